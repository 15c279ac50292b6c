"""The audit trail: every change recorded by django-simple-history (in the admin, the portal, services),
across all models, newest first, with who, when and the fields before and after. Administrators only."""

import heapq
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from simple_history.models import registered_models

from empowerment.authz import is_administrator

PER_PAGE = 30
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def audited_models() -> dict[str, type]:
    """{"app_label.model_name": model} for every model with history."""
    return {
        model._meta.label_lower: model
        for model in registered_models.values()
        if hasattr(model, "history") and hasattr(model.history, "model")
    }


@dataclass
class Change:
    when: datetime
    model_label: str
    model_name: str
    record: object
    user_id: int | None

    @property
    def action(self):
        return ACTIONS.get(self.record.history_type, self.record.history_type)

    def diff(self) -> list[tuple[str, object, object]]:
        previous = self.record.prev_record
        if self.record.history_type != "~" or previous is None:
            fields = [f for f in self.record.instance._meta.concrete_fields]
            return [
                (str(f.verbose_name), "", getattr(self.record, f.attname, ""))
                for f in fields
                if getattr(self.record, f.attname, None) not in (None, "")
            ][:12]
        delta = self.record.diff_against(previous)
        model = self.record.instance._meta.model
        rows = []
        for change in delta.changes:
            try:
                label = str(model._meta.get_field(change.field).verbose_name)
            except Exception:  # noqa: BLE001 - a many-to-many or removed field: show its name
                label = change.field
            rows.append((label, change.old, change.new))
        return rows


def changes(*, model_label: str = "", user_id: int | None = None, limit: int) -> list[Change]:
    """The `limit` newest changes, merged across the history tables (at most `limit` rows read from each)."""
    models = audited_models()
    if model_label:
        models = {model_label: models[model_label]} if model_label in models else {}
    streams = []
    for label, model in models.items():
        qs = model.history.all().order_by("-history_date")
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        streams.append(
            [
                Change(r.history_date, label, str(model._meta.verbose_name), r, r.history_user_id)
                for r in qs[:limit]
            ]
        )
    merged = heapq.merge(*streams, key=lambda c: c.when, reverse=True)
    return [c for _, c in zip(range(limit), merged, strict=False)]


@require_GET
def audit_trail(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login  # noqa: PLC0415

        return redirect_to_login(request.get_full_path())
    if not is_administrator(request.user):
        raise Http404
    models = audited_models()
    model_label = request.GET.get("model", "")
    if model_label not in models:
        model_label = ""
    try:
        user_id = int(request.GET.get("user") or 0) or None
        page_number = max(1, int(request.GET.get("page") or 1))
        if user_id is not None and not 0 < user_id < 2**63:  # no such id: the database cannot even hold it
            raise ValueError
    except ValueError:
        user_id, page_number = None, 1
    page_number = min(page_number, 200)
    rows = changes(model_label=model_label, user_id=user_id, limit=page_number * PER_PAGE)
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(page_number)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={c.user_id for c in page if c.user_id})}
    entries = [(c, users.get(c.user_id), c.diff()) for c in page]
    has_next = len(rows) == page_number * PER_PAGE
    return render(
        request,
        "empowerment/audit_trail.html",
        {
            "entries": entries,
            "page_number": page_number,
            "has_next": has_next,
            "models": sorted((label, str(m._meta.verbose_name)) for label, m in models.items()),
            "model_label": model_label,
            "staff": get_user_model().objects.filter(is_staff=True).order_by("email"),
            "user_id": user_id,
        },
    )
