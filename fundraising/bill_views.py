"""Staff screens of platform bills (upload, dry run, import) and of reconciliation (the state per account
and month, unmatched bank lines matched by hand or explained). Finance officers and administrators only.
Thin: each validates a form and calls one service or selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment.authz import staff_view
from empowerment.forms import add_service_errors

from .bill_forms import BankLineExplainForm, BankLineMatchForm, BankLinePayoutForm, BillUploadForm
from .bills import reconcile, services
from .bills.models import BankLine, PlatformBill
from .models import LedgerTransaction
from .selectors import reconciliation as selectors

MANAGE = "fundraising.manage_money"


@staff_view(MANAGE)
@require_http_methods(["GET", "POST"])
def bill_list(request):
    form = BillUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            bill = services.bill_upload(
                channel=form.cleaned_data["channel"],
                upload=form.cleaned_data["file"],
                preset=form.cleaned_data["preset"],
                default_fund=form.cleaned_data["default_fund"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("fundraising:bill_detail", pk=bill.pk)
    return render(
        request,
        "fundraising/staff/bills/bill_list.html",
        {"form": form, "bills": selectors.recent_bills()},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(MANAGE)
@require_GET
def bill_detail(request, pk):
    bill = get_object_or_404(PlatformBill.objects.select_related("channel", "default_fund"), pk=pk)
    return render(
        request,
        "fundraising/staff/bills/bill_detail.html",
        {
            "bill": bill,
            "fingerprint": services.fingerprint(bill),
            "imported": selectors.bill_lines_by_kind(bill),
            "bank_lines": bill.bank_lines.order_by("row")[:500] if bill.preset == "bank" else [],
        },
    )


@staff_view(MANAGE)
@require_POST
def bill_import(request, pk):
    bill = get_object_or_404(PlatformBill, pk=pk)
    try:
        services.bill_import(bill=bill, by=request.user, shown=request.POST.get("shown", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The bill is imported."))
    return redirect("fundraising:bill_detail", pk=bill.pk)


@staff_view(MANAGE)
@require_POST
def bill_discard(request, pk):
    bill = get_object_or_404(PlatformBill, pk=pk)
    try:
        services.bill_discard(bill=bill, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("fundraising:bill_detail", pk=bill.pk)
    messages.success(request, _("The bill was discarded; nothing was imported."))
    return redirect("fundraising:bill_list")


@staff_view(MANAGE)
@require_GET
def reconciliation(request):
    return render(
        request,
        "fundraising/staff/bills/reconciliation.html",
        {
            "state": selectors.reconciliation_state(months=12),
            "lines": selectors.unreconciled_bank_lines(),
            "payouts": selectors.unsettled_payouts(),
            "recent": selectors.recently_reconciled(),
        },
    )


@staff_view(MANAGE)
@require_POST
def reconciliation_match(request):
    count = reconcile.match_all()
    messages.info(request, _("%(n)s bank lines matched.") % {"n": count})
    return redirect("fundraising:reconciliation")


@staff_view(MANAGE)
@require_http_methods(["GET", "POST"])
def bank_line_detail(request, pk):
    line = get_object_or_404(BankLine.objects.select_related("channel", "bill", "matched_transaction"), pk=pk)
    match_form = BankLineMatchForm(request.POST if request.POST.get("action") == "match" else None)
    explain_form = BankLineExplainForm(request.POST if request.POST.get("action") == "explain" else None)
    unmatched = line.status == BankLine.Status.UNMATCHED
    payout_form = BankLinePayoutForm(
        request.POST if request.POST.get("action") == "payout" else None,
        holdings=reconcile.platform_holdings() if unmatched and line.amount > 0 else {},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "payout" and payout_form.is_valid():
                reconcile.line_record_payout(
                    line=line, channel=payout_form.cleaned_data["channel"], by=request.user
                )
                messages.success(
                    request, _("The bank line is recorded as the platform's payout and matched.")
                )
                return redirect("fundraising:reconciliation")
            if action == "match" and match_form.is_valid():
                tx = LedgerTransaction.objects.filter(pk=match_form.cleaned_data["transaction"]).first()
                if tx is None:
                    raise ValidationError(
                        {"transaction": _("There is no ledger transaction with this number.")}
                    )
                reconcile.line_match(line=line, tx=tx, by=request.user)
                messages.success(request, _("The bank line is matched."))
                return redirect("fundraising:reconciliation")
            if action == "explain" and explain_form.is_valid():
                reconcile.line_explain(line=line, reason=explain_form.cleaned_data["reason"], by=request.user)
                messages.success(request, _("The bank line is explained."))
                return redirect("fundraising:reconciliation")
            if action == "reopen":
                reconcile.line_reopen(line=line, by=request.user)
                messages.info(request, _("The bank line is open again."))
                return redirect("fundraising:bank_line_detail", pk=line.pk)
        except ValidationError as exc:
            forms_by_action = {"explain": explain_form, "payout": payout_form}
            add_service_errors(forms_by_action.get(action, match_form), exc)
    return render(
        request,
        "fundraising/staff/bills/bank_line.html",
        {
            "line": line,
            "candidates": reconcile.candidates(line) if unmatched else [],
            "match_form": match_form,
            "payout_form": payout_form,
            "explain_form": explain_form,
            "history": line.history.select_related("history_user").order_by("-history_date")[:20],
        },
        status=400 if request.method == "POST" else 200,
    )
