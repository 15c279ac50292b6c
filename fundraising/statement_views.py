"""The annual statements (资产负债表, 业务活动表, 现金流量表) for any year as a screen, a PDF and a workbook, and the
chart-of-accounts screen where finance officers map the ledger's accounts to the statements' lines. Every
staff member may read the statements; the mapping needs `fundraising.manage_money`. Thin: a form, one
service, one selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment.authz import staff_view
from empowerment.documents.services import document_request
from empowerment.forms import add_service_errors

from .models import Account
from .selectors import statements as selectors
from .statements import mapping as services
from .statements.documents import statements_workbook
from .statements.forms import ApplyDefaultsForm, MappingForm
from .statements.models import AnnualStatements

READ = "fundraising.view_dashboard"
MANAGE = "fundraising.manage_money"
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _year(value, default: int) -> tuple[int, str]:
    """(year, error message or "") from a query value."""
    if value in (None, ""):
        return default, ""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default, _("Enter a year such as %(year)s.") % {"year": default}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return default, _("Enter a year between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    return year, ""


def _default_year() -> int:
    return timezone.localdate().year - 1


@staff_view(READ)
@require_GET
def statements(request):
    year, error = _year(request.GET.get("year"), _default_year())
    years = sorted(set(selectors.statement_years()) | {year, _default_year()}, reverse=True)
    context = {"year": year, "years": years, "year_error": error, "can_manage": request.user.has_perm(MANAGE)}
    try:
        context["statements"] = selectors.annual_statements(year)
    except selectors.UnmappedAccounts as exc:
        context["unmapped"] = exc.accounts
    return render(
        request, "fundraising/staff/statements/statements.html", context, status=400 if error else 200
    )


@staff_view(READ)
@require_GET
def statements_export(request, year):
    year, error = _year(year, _default_year())
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    try:
        data = selectors.annual_statements(year)
    except selectors.UnmappedAccounts as exc:
        messages.error(request, exc.messages[0])
        return redirect(f"{reverse('fundraising:statements')}?year={year}")
    response = HttpResponse(
        statements_workbook(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="financial-statements-{year}.xlsx"'
    return response


@staff_view(READ)
@require_POST
def statements_pdf(request, year):
    year, error = _year(year, _default_year())
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    missing = selectors.unmapped_accounts(year)
    if missing:
        messages.error(request, selectors.UnmappedAccounts(missing).messages[0])
        return redirect(f"{reverse('fundraising:statements')}?year={year}")
    subject, _created = AnnualStatements.objects.get_or_create(year=year)
    document = document_request(
        kind="annual_statements", subject=subject, language=get_language(), requested_by=request.user
    )
    return redirect("document_detail", pk=document.pk)


@staff_view(MANAGE)
@require_GET
def chart_of_accounts(request):
    year = _default_year()
    return render(
        request,
        "fundraising/staff/statements/chart.html",
        {
            "rows": selectors.mapping_rows(),
            "unmapped": {a.pk for a in selectors.unmapped_accounts(year)},
            "year": year,
            "defaults_form": ApplyDefaultsForm(),
        },
    )


@staff_view(MANAGE)
@require_http_methods(["GET", "POST"])
def mapping_edit(request, pk):
    account = get_object_or_404(Account, pk=pk)
    current = getattr(account, "statement_mapping", None)
    line, cash_flow = services.default_mapping(account)
    initial = (
        {"line": current.line, "cash_flow": current.cash_flow}
        if current
        else {"line": line, "cash_flow": cash_flow}
    )
    form = MappingForm(request.POST or None, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_set(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(account)s is mapped.") % {"account": account.code})
            return redirect("fundraising:chart_of_accounts")
    return render(
        request,
        "fundraising/staff/statements/mapping_edit.html",
        {
            "account": account,
            "form": form,
            "current": current,
            "default_line": line,
            "default_cash_flow": cash_flow,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view(MANAGE)
@require_POST
def mapping_defaults(request):
    form = ApplyDefaultsForm(request.POST)
    form.is_valid()
    written = services.mapping_apply_defaults(
        by=request.user, overwrite=form.cleaned_data.get("overwrite", False)
    )
    messages.success(request, _("Default lines applied to %(n)s accounts.") % {"n": written})
    return redirect("fundraising:chart_of_accounts")
