"""Staff screens of the official receipt register and of donors (statements made and sent on their behalf),
and the public statement pages: the request by receipt number and the signed link. Thin: each view checks
the gate, validates a form and calls one service or selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment import ratelimit
from empowerment.authz import staff_view
from empowerment.forms import add_service_errors
from empowerment.models import Document

from .models import Donation
from .receipt_forms import (
    ReceiptIssueForm,
    RegisterFilterForm,
    ReissueForm,
    StatementForm,
    StatementRequestForm,
    StatementSendForm,
    VoidForm,
)
from .receipts import exports, links, services
from .selectors import donors as selectors

MANAGE = "fundraising.manage_money"


def _receipt_or_404(pk):
    receipt = selectors.receipt_detail(pk)
    if receipt is None:
        raise Http404
    return receipt


def _issue_initial(donation=None, receipt=None) -> dict:
    initial = {
        "code": selectors.last_book_code() or services.DEFAULT_BOOK_CODE,
        "issued_on": timezone.localdate(),
    }
    if receipt is not None:
        initial.update(
            payer_name=receipt.payer_name, payer_email=receipt.payer_email, payer_phone=receipt.payer_phone
        )
    return initial


# The register --------------------------------------------------------------------------------------------


@staff_view(MANAGE)
@require_GET
def receipt_list(request):
    form = RegisterFilterForm(request.GET or None, years=selectors.receipt_years())
    receipts = selectors.receipt_register(**form.filters())
    page = Paginator(receipts, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "fundraising/staff/receipts/list.html",
        {
            "form": form,
            "page": page,
            "totals": selectors.receipt_register_totals(receipts),
            "needing_void": selectors.receipts_needing_void(),
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@staff_view(MANAGE)
@require_GET
def receipt_export(request, fmt):
    form = RegisterFilterForm(request.GET or None, years=selectors.receipt_years())
    receipts = selectors.receipt_register(**form.filters())
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(exports.register_csv(receipts), content_type="text/csv; charset=utf-8")
    elif fmt == "sync.csv":
        response = HttpResponse(exports.register_sync_csv(receipts), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.register_xlsx(receipts),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="donation-receipts-{stamp}.{fmt}"'
    return response


@staff_view(MANAGE)
@require_http_methods(["GET", "POST"])
def receipt_issue(request, pk):
    donation = Donation.objects.select_related("funder", "fund", "channel").filter(pk=pk).first()
    if donation is None:
        raise Http404
    live = selectors.live_receipt(donation)
    form = ReceiptIssueForm(request.POST or None, initial=_issue_initial(donation))
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.receipt_issue(donation=donation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Official receipt %(serial)s issued.") % {"serial": receipt.serial})
            return redirect("fundraising:receipt_detail", pk=receipt.pk)
    return render(
        request,
        "fundraising/staff/receipts/issue.html",
        {"donation": donation, "live": live, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(MANAGE)
@require_GET
def receipt_detail(request, pk):
    receipt = _receipt_or_404(pk)
    return render(
        request,
        "fundraising/staff/receipts/detail.html",
        {
            "receipt": receipt,
            "donor": selectors.donor_for_receipt(receipt),
            "void_form": VoidForm(),
            "reissue_form": ReissueForm(initial=_issue_initial(receipt=receipt), label=_("Reissue")),
        },
    )


@staff_view(MANAGE)
@require_POST
def receipt_void(request, pk):
    receipt = _receipt_or_404(pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.receipt_void(receipt=receipt, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Receipt %(serial)s is voided.") % {"serial": receipt.serial})
            return redirect("fundraising:receipt_detail", pk=receipt.pk)
    return render(
        request,
        "fundraising/staff/receipts/detail.html",
        {
            "receipt": receipt,
            "donor": selectors.donor_for_receipt(receipt),
            "void_form": form,
            "reissue_form": ReissueForm(initial=_issue_initial(receipt=receipt), label=_("Reissue")),
        },
        status=400,
    )


@staff_view(MANAGE)
@require_POST
def receipt_reissue(request, pk):
    receipt = _receipt_or_404(pk)
    form = ReissueForm(request.POST, label=_("Reissue"))
    if form.is_valid():
        try:
            new = services.receipt_reissue(receipt=receipt, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Receipt %(new)s replaces %(old)s.") % {"new": new.serial, "old": receipt.serial},
            )
            return redirect("fundraising:receipt_detail", pk=new.pk)
    return render(
        request,
        "fundraising/staff/receipts/detail.html",
        {
            "receipt": _receipt_or_404(pk),
            "donor": selectors.donor_for_receipt(receipt),
            "void_form": VoidForm(),
            "reissue_form": form,
        },
        status=400,
    )


# Donors --------------------------------------------------------------------------------------------------


def _donor_or_404(kind, pk):
    donor = selectors.donor_get(kind, pk)
    if donor is None:
        raise Http404
    return donor


@staff_view(MANAGE)
@require_GET
def donor_list(request):
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "fundraising/staff/receipts/donors.html",
        {"donors": selectors.donors_list(query), "q": query},
    )


def _donor_page(request, donor, *, statement_form=None, send_form=None, status=200):
    years = selectors.donor_years(donor)
    language = get_language()
    initial = {"year": years[0] if years else timezone.localdate().year, "language": language}
    return render(
        request,
        "fundraising/staff/receipts/donor.html",
        {
            "donor": donor,
            "donations": selectors.donor_donations(donor)[:200],
            "statement_form": statement_form or StatementForm(initial=initial, years=years),
            "send_form": send_form or StatementSendForm(initial={**initial, "to": donor.email}, years=years),
        },
        status=status,
    )


@staff_view(MANAGE)
@require_GET
def donor_detail(request, kind, pk):
    return _donor_page(request, _donor_or_404(kind, pk))


@staff_view(MANAGE)
@require_POST
def donor_statement(request, kind, pk):
    donor = _donor_or_404(kind, pk)
    form = StatementForm(request.POST, years=selectors.donor_years(donor))
    if not form.is_valid():
        return _donor_page(request, donor, statement_form=form, status=400)
    document = services.statement_document(
        donor=donor, year=form.cleaned_data["year"], language=form.cleaned_data["language"], by=request.user
    )
    return redirect("document_detail", pk=document.pk)


@staff_view(MANAGE)
@require_POST
def donor_statement_send(request, kind, pk):
    donor = _donor_or_404(kind, pk)
    form = StatementSendForm(request.POST, years=selectors.donor_years(donor))
    if form.is_valid():
        try:
            services.statement_send(donor=donor, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("A link to the %(year)s statement is being emailed to %(to)s.")
                % {"year": form.cleaned_data["year"], "to": form.cleaned_data["to"]},
            )
            return redirect("fundraising:donor_detail", kind=donor.kind, pk=donor.pk)
    return _donor_page(request, donor, send_form=form, status=400)


# Public --------------------------------------------------------------------------------------------------


# Statement requests (by a receipt's number and amount) one client address may make in an hour.
STATEMENT_REQUESTS_PER_HOUR = 20


@require_GET
def statement_request(request):
    form = StatementRequestForm(request.GET or None)
    status = 200
    if request.GET:
        status = 400
        if ratelimit.exceeded(
            f"statement-request:{ratelimit.client_address(request)}", STATEMENT_REQUESTS_PER_HOUR, 3600
        ):
            # A receipt's number and amount are the key to a statement: guessing them is slowed down.
            form.add_error(None, _("Too many requests were sent from here. Please try again in an hour."))
            return render(request, "fundraising/statement_request.html", {"form": form}, status=429)
        if form.is_valid():
            receipt = selectors.receipt_by_number(form.cleaned_data["number"], form.cleaned_data["amount"])
            if receipt is not None:
                donor = selectors.donor_for_receipt(receipt)
                token = links.statement_token(donor, form.cleaned_data["year"], get_language())
                return redirect("fundraising:statement_link", token=token)
            form.add_error(None, _("No live official receipt matches this number and amount."))
            status = 404
    return render(request, "fundraising/statement_request.html", {"form": form}, status=status)


@never_cache
@require_GET
def statement_link(request, token):
    try:
        donor, year, language = links.statement_read(token)
    except links.LinkExpired:
        return render(request, "fundraising/statement_link.html", {"expired": True}, status=410)
    except links.LinkInvalid:
        raise Http404 from None
    document = services.statement_document(donor=donor, year=year, language=language)
    document.refresh_from_db()
    if document.status == Document.Status.READY and document.file:
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=False,
            filename=f"statement-{year}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
    failed = document.status == Document.Status.FAILED
    return render(
        request,
        "fundraising/statement_link.html",
        {"failed": failed, "year": year},
        status=503 if failed else 202,
    )
