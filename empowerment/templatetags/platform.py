"""Template helpers shared by every app: number and money formatting, PDF asset URLs, status badges.

Numbers shown to people go through these filters (never floatformat, intcomma or widthratio in a template):
money (¥1,250.50), count (2,547), hours (3,152; 12.5), score (3.25), percent (85.3%, from 0–100), ratio
(85.3%, from a fraction), day (the language's usual date). A missing value is "—"."""

import functools
import re

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.translation import get_language

from empowerment import numbers
from empowerment.money import format_money

register = template.Library()


@register.filter
def money(value):
    """Format a Decimal amount in yuan: ¥1,250.50. Refuses floats."""
    return format_money(value)


@register.filter
def count(value) -> str:
    """A whole number with thousands separators: 2,547."""
    return numbers.format_count(value)


@register.filter
def number(value) -> str:
    """A quantity with separators and only the decimals it has (at most two): 1,200; 85.5."""
    return numbers.format_number(value)


@register.filter
def hours(value) -> str:
    """Hours without decimals unless fractional: 3,152; 12.5."""
    return numbers.format_hours(value)


@register.filter
def score(value) -> str:
    """A score with its real precision: 3.25."""
    return numbers.format_score(value)


@register.filter
def percent(value) -> str:
    """A percentage given as 0–100, with one decimal: 39.7%."""
    return numbers.format_percent(value)


@register.filter
def ratio(value) -> str:
    """A ratio given as a fraction, as a percentage with one decimal: 0.853 → 85.3%."""
    return numbers.format_percent(value, fraction=True)


@register.filter
def day(value) -> str:
    """A date in the active language's usual form."""
    return numbers.format_day(value)


@register.filter
def when(value) -> str:
    """A moment as its day in the active language's usual form and the local time of day (hours, minutes)."""
    return numbers.format_moment(value)


@register.simple_tag
def ratio_cell(value, ok) -> str:
    """A ratio in a table cell: green when within its limit, red when not, grey ("—") when it cannot be
    computed (nothing to divide by): a missing figure is never shown as a success."""
    if value is None:
        return format_html('<td class="text-body-secondary" data-ratio="missing">{}</td>', numbers.MISSING)
    colour, state = ("table-success", "ok") if ok else ("table-danger", "over")
    return format_html(
        '<td class="{}" data-ratio="{}">{}</td>', colour, state, numbers.format_percent(value, fraction=True)
    )


@register.simple_tag
def pdf_static(path: str) -> str:
    """URL of a static file for the PDF renderer (which fetches nothing else)."""
    return f"static:{path}"


@register.simple_tag
def pdf_media(file_field) -> str:
    """URL of a stored file for the PDF renderer, or '' when there is none."""
    return f"media:{file_field.name}" if file_field else ""


STATUS_COLOURS = {
    "queued": "secondary",
    "rendering": "info",
    "ready": "success",
    "failed": "danger",
    "active": "success",
    "applicant": "warning",
    "graduated": "primary",
    "submitted": "warning",
    "approved": "success",
    "rejected": "danger",
}


@register.filter
def status_colour(value) -> str:
    return STATUS_COLOURS.get(str(value), "secondary")


@functools.lru_cache(maxsize=256)
def _choice_labels(model, field_name: str, language: str | None) -> dict:
    """A field's choices as {value: label} in the active language (`language` only keeps the languages
    apart): Django's get_FOO_display builds this dictionary again, translating every label, for each row."""
    return {value: force_str(label) for value, label in model._meta.get_field(field_name).flatchoices}


@register.filter
def display(obj, field_name: str):
    """`{{ row|display:"kind" }}` shows what `{{ row.get_kind_display }}` shows (the label of the field's
    value, or the value itself when it is not one of the choices), from the choices' labels made once per
    language: for the rows of long tables."""
    if obj is None:
        return ""
    value = getattr(obj, field_name)
    try:
        return _choice_labels(type(obj), field_name, get_language()).get(
            value, force_str(value, strings_only=True)
        )
    except TypeError:  # an unhashable value: as Django does, the value itself
        return force_str(value, strings_only=True)


# Addresses of a list's rows --------------------------------------------------------------------------------

_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")  # what the <slug:…> converter matches
_SLUG_MARK = "0slug0"
_slug_addresses: dict[tuple, tuple[str, str]] = {}


@register.simple_tag
def slug_url(viewname: str, slug) -> str:
    """What `{% url viewname slug %}` gives for an address whose one argument is a slug, for the rows of a
    long list: the address is reversed once per name (and URL configuration and script prefix) and each
    row's slug put in its place, as reverse() writes a slug (unquoted: it holds nothing to quote). A value
    that is not a slug is reversed as {% url %} reverses it (NoReverseMatch)."""
    slug = str(slug)
    if not _SLUG.match(slug):
        return reverse(viewname, args=[slug])
    key = (viewname, get_resolver(get_urlconf()), get_script_prefix())
    parts = _slug_addresses.get(key)
    if parts is None:
        if len(_slug_addresses) > 1000:  # URL configurations replaced many times over (tests)
            _slug_addresses.clear()
        before, _mark, after = reverse(viewname, args=[_SLUG_MARK]).partition(_SLUG_MARK)
        parts = _slug_addresses[key] = (before, after)
    return f"{parts[0]}{slug}{parts[1]}"
