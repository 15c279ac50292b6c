"""Admin changelists over tables of millions of rows (donations, expenditures, the ledger)."""

import datetime
import html
import time
from collections.abc import Hashable
from decimal import Decimal
from urllib.parse import quote as urlquote

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import ResultList, _coerce_field_name, results
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise, cached_property
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Below this many rows an exact COUNT(*) is cheap enough.
ESTIMATE_ABOVE = 100_000


# The planner's estimate of a table's rows changes when autovacuum or ANALYZE runs: read again this often.
ESTIMATE_KEPT_SECONDS = 60


class EstimatedCountPaginator(Paginator):
    """Exact counts for filtered or searched lists; for the whole of a large PostgreSQL table, the
    planner's row estimate (pg_class.reltuples, kept by autovacuum) instead of a COUNT(*) over every row,
    read once a minute per process."""

    @cached_property
    def count(self):
        qs = self.object_list
        if isinstance(qs, QuerySet) and not qs.query.where:
            connection = connections[qs.db]
            if connection.vendor == "postgresql":
                estimate = _estimated_rows(connection, qs.db, qs.model._meta.db_table)
                if estimate > ESTIMATE_ABOVE:
                    return estimate
        return super().count


_estimates: dict[tuple[str, str], tuple[float, int]] = {}


def _estimated_rows(connection, alias: str, table: str) -> int:
    key = (alias, table)
    kept = _estimates.get(key)
    now = time.monotonic()
    if kept is not None and now - kept[0] < ESTIMATE_KEPT_SECONDS:
        return kept[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    estimate = int(row[0]) if row and row[0] is not None else 0
    _estimates[key] = (now, estimate)
    return estimate


class _LargeChangeList(ChangeList):
    def get_results(self, request):
        # Only the page's rows are read with `list_only`: the actions' querysets (cl.get_queryset) and the
        # change pages read whole rows, as the services and forms they call expect.
        if self.model_admin.list_only:
            self.queryset = self.queryset.only(*self.model_admin.list_only)
        super().get_results(request)


class _KeptBoundField(BoundField):
    """A field of an unbound action form, its markup drawn by Django's widget templates once per process for
    what decides it (the form, the field, its choices and initial value, the language) instead of at every
    list: the same select of the same actions each time (a few tenths of a millisecond a list)."""

    def __str__(self):
        form = self.form
        if form.is_bound:
            return super().__str__()
        choices = getattr(self.field, "choices", None)
        key = (
            type(form),
            self.name,
            form.auto_id,
            form.prefix,
            get_language(),
            None if choices is None else tuple((str(value), str(label)) for value, label in choices),
            repr(self.initial),
        )
        html = _kept_fields.get(key)
        if html is None:
            if len(_kept_fields) >= _KEPT_FIELDS:
                _kept_fields.clear()
            html = _kept_fields[key] = super().__str__()
        return html

    __html__ = __str__


_kept_fields: dict[tuple, str] = {}
_KEPT_FIELDS = 200


class KeptActionForm(helpers.ActionForm):
    """Django's action form, its fields drawn once (_KeptBoundField)."""

    bound_field_class = _KeptBoundField


def kept_list_filter(cl, spec) -> str:
    """Django's admin_list.admin_list_filter(cl, spec): the filter's choices are worked out at every list (its
    links follow the list's query), then drawn by Django's admin/filter.html once per process for what the
    template shows (the title, each choice's fields, the language) instead of at every list: the same markup
    for the same choices, byte for byte. A filter with a template of its own is drawn as Django draws it."""
    choices = list(spec.choices(cl))
    context = {"title": spec.title, "choices": choices, "spec": spec}
    if spec.template != "admin/filter.html":
        return get_template(spec.template).render(context)
    # Each value with its type: a safe string and a plain one of the same text are drawn differently.
    key = (
        get_language(),
        type(spec.title).__name__,
        str(spec.title),
        tuple(
            tuple(sorted((name, type(value).__name__, str(value)) for name, value in choice.items()))
            for choice in choices
        ),
    )
    html = _kept_filters.get(key)
    if html is None:
        if len(_kept_filters) >= _KEPT_FILTERS:
            _kept_filters.clear()
        html = _kept_filters[key] = get_template(spec.template).render(context)
    return html


_kept_filters: dict[tuple, str] = {}
_KEPT_FILTERS = 500


class LargeTableAdminMixin:
    """No second COUNT(*) for "N results of M" and an estimated count for the unfiltered list; the
    list's ordering is served by an index on the model. Fifty rows a page (a list this long is searched and
    filtered, not read through), each row's selection box written directly instead of through a form
    widget's templates (a third of the rows' rendering at a hundred rows). `list_only`: the columns the
    list's rows show (their own and their related rows', as QuerySet.only names them), the others left
    unread (a related project's or organization's long texts in both languages)."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    change_list_template = "admin/large_change_list.html"  # its rows by result_rows
    action_form = KeptActionForm
    list_only: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        return _LargeChangeList

    def action_checkbox(self, obj):
        # The markup of Django's ModelAdmin.action_checkbox (a CheckboxInput), which the admin's actions.js
        # reads by its class and name.
        # As format_html builds it (the values escaped, the translated label's text as it is), with one
        # format instead of two: fifty rows a page.
        label = _("Select this object for an action - {}").format(_escaped(str(obj)))
        return mark_safe(  # noqa: S308 - escaped values in fixed markup
            f'<input type="checkbox" name="{_escaped(helpers.ACTION_CHECKBOX_NAME)}" value="{_escaped(obj.pk)}" '
            f'class="action-select" aria-label="{label}">'
        )


# The rows of a changelist ----------------------------------------------------------------------------------
# Django's items_for_result decides, for every cell, what kind of column it is in (field lookup, link,
# CSS classes, the empty value's display, a URL reversed per row): about 20 µs a cell, 500 cells a page.
# Here those decisions are taken once per column and the change links built from one reversed URL; each cell
# then costs its value's display (Django's own display_for_field / display_for_value) and a concatenation.
# The markup is Django's, byte for byte (tests/empowerment/test_admin_paging.py compares them).

_ROW_PK = "0rowpk0"  # stands for the row's key in the change URL, reversed once


class _Column:
    def __init__(self, cl, index: int, name, link: bool, table_tag: str):
        self.name, self.link, self.table_tag = name, link, table_tag
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.empty = cl.model_admin.get_empty_value_display()
        self.field = self.method = None
        try:
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            pass  # a method, property or callable, as in Django's lookup_field
        if (
            self.field is None
            and isinstance(name, str)
            and name != "__str__"
            and hasattr(cl.model_admin, name)
        ):
            self.method = getattr(cl.model_admin, name)
            if name == "action_checkbox":
                self.classes = ["action-checkbox"]
        self.plain_classes = f'class="{" ".join(self.classes)}"'
        self.nowrap_classes = f'class="{" ".join([*self.classes, "nowrap"])}"'
        self.field_nowrap = isinstance(self.field, (models.DateField, models.TimeField, models.ForeignKey))
        # A field with choices shows each value's label: displayed once per distinct value, as the others
        # of _DISPLAYED_ONCE (display_for_field flattens the choices again at every cell). A text field
        # without choices shows its text (display_for_field's last branch), escaped.
        self.by_value = bool(getattr(self.field, "flatchoices", None))
        self.text = type(self.field) in _TEXT_FIELDS and not self.by_value
        self.displayed: dict = {}

    def cell(self, cl, obj, link_to: str | None) -> str:
        try:
            shown, nowrap = self._shown(cl, obj)
        except ObjectDoesNotExist:
            shown, nowrap = _conditional_escape(self.empty), False
        if link_to is not None:
            shown = f'<a href="{link_to}">{shown}</a>'
        classes = self.nowrap_classes if nowrap else self.plain_classes
        return f"<{self.table_tag} {classes}>{shown}</{self.table_tag}>"

    def _shown(self, cl, obj) -> tuple[str, bool]:
        """The cell's content, escaped, and whether it is kept on one line. A value's display depends only
        on the value (and the request's language and formats), so each distinct value of the page is
        displayed once."""
        field = self.field
        if field is not None and not field.auto_created:
            if isinstance(field.remote_field, models.ManyToOneRel):
                related = getattr(obj, field.name)
                if related is None:
                    return _conditional_escape(self.empty), self.field_nowrap
                key = (type(related), related.pk)
                shown = self.displayed.get(key)
                if shown is None:
                    shown = self.displayed[key] = _conditional_escape(related)
                return shown, self.field_nowrap
            value = getattr(obj, self.name)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if self.text and isinstance(value, str):
                return _conditional_escape(value if value else self.empty), self.field_nowrap
            by_value = self.by_value or isinstance(value, _DISPLAYED_ONCE)
            key = (type(value), value) if by_value and isinstance(value, Hashable) else None
            shown = self.displayed.get(key) if key is not None else None
            if shown is None:
                shown = _conditional_escape(display_for_field(value, field, self.empty, avoid_link=self.link))
                if key is not None:
                    self.displayed[key] = shown
            return shown, self.field_nowrap
        # An automatic field (the key), a ModelAdmin's method, a model's method or property.
        if field is not None:
            attr, value = None, getattr(obj, self.name)
        elif self.method is not None:
            attr, value = self.method, self.method(obj)
        else:
            _field, attr, value = lookup_field(self.name, obj, cl.model_admin)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        nowrap = isinstance(value, (datetime.date, datetime.time))
        key = (attr, type(value), value) if isinstance(value, _DISPLAYED_ONCE) else None
        shown = self.displayed.get(key) if key is not None else None
        if shown is None:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            empty = getattr(attr, "empty_value_display", self.empty)
            shown = _conditional_escape(display_for_value(value, empty, boolean))
            if key is not None:
                self.displayed[key] = shown
        return shown, nowrap


def _escaped(value) -> str:
    """Django's escape(value) as a plain string: its text through html.escape, without the lazy-string
    wrapper that Django's function goes through at each call (a few hundred cells a page)."""
    return html.escape(str(value))


def _conditional_escape(value) -> str:
    """Django's conditional_escape(value), as a plain string (the row is marked safe as a whole)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# Values whose display is the same wherever they appear in a page (a method's str or HTML is per row).
_DISPLAYED_ONCE = (bool, int, Decimal, datetime.date, datetime.time, type(None))
# Fields whose value display_for_field shows as its text (no link, number or date format of their own).
_TEXT_FIELDS = (models.CharField, models.TextField, models.SlugField, models.EmailField)


def result_rows(cl):
    """The rows of `cl` as Django's admin_list.results(cl) draws them (each row's cells joined in one
    piece), for a changelist without editable fields or popups (those are left to Django)."""

    if cl.formset or cl.is_popup:
        yield from results(cl)
        return
    columns, linked = [], False
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif not linked and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        columns.append(_Column(cl, index, name, link, "td" if linked or not link else "th"))
        linked = linked or link
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_ROW_PK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        before = after = None
    else:
        url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
        before, _sep, after = escape(url).partition(_ROW_PK)
    link_to = None
    for obj in cl.result_list:
        if before is not None:  # the key as reverse() writes it into the URL
            key = urlquote(str(quote(getattr(obj, cl.pk_attname))), safe=RFC3986_SUBDELIMS + "/~:@")
            link_to = f"{before}{_escaped(key)}{after}"
        # Each cell is built of escaped values and the columns' own markup. The row's cells come as one
        # piece: change_list_results.html writes a row's items one after another, so it draws the same row
        # (a template loop over ten cells of fifty rows is a tenth of the list's time).
        row = "".join(column.cell(cl, obj, link_to if column.link else None) for column in columns)
        yield ResultList(None, [mark_safe(row)])  # noqa: S308
