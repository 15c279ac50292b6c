"""Finance officers' screens for grants and government service contracts (the agreement, its tranches,
receiving a tranche, what is overdue) and in-kind gifts with their valuation basis. Every staff member may
read them; writing needs `fundraising.manage_money`. Thin: a form, one service, one selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment.authz import staff_view
from empowerment.forms import add_service_errors

from . import services
from .grant_forms import GrantForm, InKindForm, ReceiveForm, TrancheFormSet
from .models import Grant, GrantTranche, InKindGift
from .selectors import grants as grant_selectors

READ = "fundraising.view_dashboard"
MANAGE = "fundraising.manage_money"


@staff_view(READ)
@require_GET
def grant_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Grant.Kind.values else ""
    overdue_only = request.GET.get("overdue") == "1"
    grants = grant_selectors.grant_list(kind=kind, overdue_only=overdue_only)
    return render(
        request,
        "fundraising/staff/grant_list.html",
        {
            "grants": list(grants),
            "totals": grant_selectors.grant_totals(grants),
            "kinds": Grant.Kind.choices,
            "kind": kind,
            "overdue_only": overdue_only,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@staff_view(READ)
@require_GET
def grant_overdue(request):
    tranches = grant_selectors.overdue_tranches()
    today = timezone.localdate()
    rows = [(t, (today - t.due_on).days) for t in tranches]
    return render(
        request,
        "fundraising/staff/grant_overdue.html",
        {
            "rows": rows,
            "total": grant_selectors.overdue_total(tranches),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def _detail_context(request, grant, *, receive_forms=None) -> dict:
    schedule = grant_selectors.grant_schedule(grant)
    receive_forms = receive_forms or {}
    for t in schedule["tranches"]:
        if not t.is_received:
            t.form = receive_forms.get(t.pk) or ReceiveForm(
                prefix=f"t{t.pk}", initial={"received_on": timezone.localdate()}
            )
    return {
        "grant": grant,
        **schedule,
        # A refused receipt, shown at the top as well: the tranche's own form is gone once it is received.
        "refused": next(iter(receive_forms.values()), None),
        "can_manage": request.user.has_perm(MANAGE),
    }


@staff_view(READ)
@require_GET
def grant_detail(request, pk):
    grant = grant_selectors.grant_detail(pk)
    if grant is None:
        raise Http404
    return render(request, "fundraising/staff/grant_detail.html", _detail_context(request, grant))


@staff_view(MANAGE)
@require_POST
def tranche_receive(request, pk, tranche_pk):
    grant = grant_selectors.grant_detail(pk)
    if grant is None:
        raise Http404
    tranche = get_object_or_404(GrantTranche, pk=tranche_pk, grant_id=grant.pk)
    form = ReceiveForm(request.POST, prefix=f"t{tranche.pk}")
    if form.is_valid():
        try:
            donation = services.tranche_receive(tranche=tranche, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Tranche %(n)s was received and posted to the ledger (receipt %(r)s).")
                % {"n": tranche.number, "r": donation.receipt_number},
            )
            return redirect("fundraising:grant_detail", pk=grant.pk)
    return render(
        request,
        "fundraising/staff/grant_detail.html",
        _detail_context(request, grant, receive_forms={tranche.pk: form}),
        status=400,
    )


def _tranche_inputs(formset, open_tranches: dict) -> list[services.TrancheInput]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or (not form.has_changed() and not data.get("id")):
            continue
        tranche = None
        if data.get("id"):
            tranche = open_tranches.get(data["id"])
            if tranche is None:
                raise ValidationError({"tranches": _("This tranche can no longer be changed.")})
        rows.append(
            services.TrancheInput(
                amount=data.get("amount") or None,
                due_on=data.get("due_on"),
                milestone=data.get("milestone") or "",
                tranche=tranche,
                delete=bool(data.get("DELETE")),
            )
        )
    return rows


def _grant_form_page(request, grant=None):
    existing = list(grant.tranches.all()) if grant else []
    received = [t for t in existing if getattr(t, "donation", None) is not None]
    open_tranches = {t.pk: t for t in existing if getattr(t, "donation", None) is None}
    if grant is None:
        initial = {"signed_on": timezone.localdate()}
    else:
        initial = {
            "funder": grant.funder_id,
            "kind": grant.kind,
            "title": grant.title,
            "reference": grant.reference,
            "signed_on": grant.signed_on,
            "fund": grant.fund_id,
            "channel": grant.channel_id,
            "total": grant.total,
        }
    tranche_initial = [
        {"id": t.pk, "amount": t.amount, "due_on": t.due_on, "milestone": t.milestone}
        for t in open_tranches.values()
    ]
    form = GrantForm(request.POST or None, initial=initial)
    formset = TrancheFormSet(request.POST or None, initial=tranche_initial, prefix="tranches")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            rows = _tranche_inputs(formset, open_tranches)
            saved = services.grant_save(by=request.user, grant=grant, tranches=rows, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agreement and its tranches were saved."))
            return redirect("fundraising:grant_detail", pk=saved.pk)
    return render(
        request,
        "fundraising/staff/grant_form.html",
        {"form": form, "formset": formset, "grant": grant, "received": received},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(MANAGE)
@require_http_methods(["GET", "POST"])
def grant_create(request):
    return _grant_form_page(request)


@staff_view(MANAGE)
@require_http_methods(["GET", "POST"])
def grant_edit(request, pk):
    grant = grant_selectors.grant_with_tranches(pk)
    if grant is None:
        raise Http404
    return _grant_form_page(request, grant)


# In-kind gifts -----------------------------------------------------------------------------------------


@staff_view(READ)
@require_GET
def in_kind_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in InKindGift.Kind.values else ""
    gifts = grant_selectors.in_kind_list(kind=kind)
    return render(
        request,
        "fundraising/staff/in_kind_list.html",
        {
            "gifts": gifts[:200],
            "totals": grant_selectors.in_kind_totals(gifts),
            "kinds": InKindGift.Kind.choices,
            "kind": kind,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@staff_view(MANAGE)
@require_http_methods(["GET", "POST"])
def in_kind_new(request):
    form = InKindForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            gift = services.in_kind_record(by=request.user, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The in-kind gift “%(d)s” was recorded apart from cash.") % {"d": gift.description}
            )
            return redirect("fundraising:in_kind_list")
    return render(
        request,
        "fundraising/staff/in_kind_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
