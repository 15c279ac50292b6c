"""The public donation lookup, staff finance pages, the portal's money pages and the signed notification
endpoint (the public campaign, project and fund pages are composed in transparency). Thin: each resolves
permission, validates a form and calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment import charts
from empowerment.authz import is_staff_member
from empowerment.documents.services import document_request
from empowerment.forms import add_service_errors
from empowerment.money import format_money
from organizations.portal import portal_view

from . import exports, importing, ledger, notify, selectors, services
from .forms import DecisionForm, DonationForm, ExpenditureForm, ImportForm, LookupForm, PeriodCloseForm
from .models import Donation, Expenditure, Fund, ImportBatch
from .selectors import budget as budget_selectors
from .selectors.donors import live_receipt, with_receipt_issued


def _staff(request, perm: str):
    """None if the user may go on; otherwise the response: sign in, 404 for non-staff, 403 for the role."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff_member(request.user):
        raise Http404
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return None


# Public -------------------------------------------------------------------------------------------------


@require_GET
def donation_lookup(request):
    form = LookupForm(request.GET or None)
    donation = money = None
    searched = False
    if request.GET and form.is_valid():
        searched = True
        donation = selectors.donation_lookup(form.cleaned_data["receipt_number"], form.cleaned_data["amount"])
        if donation is not None:
            money = selectors.fund_money(donation.fund)
    official = live_receipt(donation) if donation is not None else None
    return render(
        request,
        "fundraising/lookup.html",
        {"form": form, "donation": donation, "money": money, "searched": searched, "official": official},
        status=404 if searched and donation is None else 200,
    )


# Signed notifications -----------------------------------------------------------------------------------


@csrf_exempt
@never_cache
def notify_donation(request, channel):
    # JSON for every refusal, the method and the size included; the body is read up to the limit before
    # anything parses it (request.body would read a whole oversized body first).
    if request.method != "POST":
        outcome = notify.method_not_allowed()
        response = JsonResponse(outcome.body, status=outcome.status)
        response["Allow"] = "POST"
        return response
    body = notify.read_body(request.META, request)
    if not isinstance(body, bytes):
        return JsonResponse(body.body, status=body.status)
    outcome = notify.receive(channel_code=channel, body=body, headers=request.headers)
    return JsonResponse(outcome.body, status=outcome.status)


# Staff --------------------------------------------------------------------------------------------------


@require_GET
def dashboard(request):
    if (response := _staff(request, "fundraising.view_dashboard")) is not None:
        return response
    try:
        year = int(request.GET.get("year", "") or timezone.localdate().year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = timezone.localdate().year
    data = selectors.dashboard(year)
    charts_svg = {
        "channel": charts.bar_chart(
            [(r["channel__name"], r["total"]) for r in data["by_channel"]],
            title=_("Raised by channel"),
            fmt=format_money,
        ),
        "funder": charts.bar_chart(
            [(r["label"] or _("Anonymous"), r["total"]) for r in data["by_funder_kind"]],
            title=_("Raised by funder type"),
            fmt=format_money,
        ),
        "month": charts.bar_chart(
            [(f"{r['month']:%Y-%m}", r["total"]) for r in data["by_month"]],
            title=_("Raised by month"),
            fmt=format_money,
        ),
        "category": charts.bar_chart(
            [(f"{r['label']} ({r['classification']})", r["total"]) for r in data["spent_by_category"]],
            title=_("Spent by category"),
            fmt=format_money,
        ),
    }
    return render(
        request,
        "fundraising/staff/dashboard.html",
        {
            "d": data,
            "charts": charts_svg,
            "can_manage": request.user.has_perm("fundraising.manage_money"),
            "attention": notify.needs_attention(),
        },
    )


@require_GET
def dashboard_export(request):
    if (response := _staff(request, "fundraising.view_dashboard")) is not None:
        return response
    content = exports.dashboard_workbook(selectors.dashboard())
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="finance-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def donation_new(request):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    form = DonationForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            donation = services.donation_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Donation %(n)s recorded.") % {"n": donation.receipt_number})
            return redirect("fundraising:donation_new")
    recent = with_receipt_issued(Donation.objects.select_related("channel", "fund")).order_by("-pk")[:10]
    return render(request, "fundraising/staff/donation_new.html", {"form": form, "recent": recent})


@require_POST
def donation_receipt(request, pk):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    donation = get_object_or_404(Donation, pk=pk)
    document = document_request(
        kind="donation_receipt", subject=donation, language=get_language(), requested_by=request.user
    )
    return redirect("document_detail", pk=document.pk)


@require_GET
def expenditure_list(request):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    decided = Expenditure.objects.exclude(status=Expenditure.Status.SUBMITTED).select_related(
        "project", "organization", "budget_line"
    )
    page = Paginator(decided.order_by("-decided_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "fundraising/staff/expenditure_list.html",
        {"pending": selectors.pending_expenditures(), "page": page},
    )


@require_http_methods(["GET", "POST"])
def expenditure_detail(request, pk):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    expenditure = get_object_or_404(
        Expenditure.objects.select_related("project", "organization", "budget_line", "submitted_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.expenditure_approve(
                    expenditure=expenditure, by=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The expenditure is approved and posted."))
            elif action == "reject":
                services.expenditure_reject(
                    expenditure=expenditure, by=request.user, note=form.cleaned_data["note"]
                )
                messages.info(request, _("The expenditure is rejected."))
            else:
                form.add_error(None, _("Choose approve or reject."))
                raise ValidationError("")
        except ValidationError as exc:
            if action in ("approve", "reject"):
                add_service_errors(form, exc)
        else:
            return redirect("fundraising:expenditure_list")
    fund = Fund.objects.filter(project=expenditure.project).first()
    return render(
        request,
        "fundraising/staff/expenditure_detail.html",
        {
            "e": expenditure,
            "form": form,
            "fund": fund,
            "line": budget_selectors.budget_line_position(expenditure.budget_line, exclude_pk=expenditure.pk),
        },
    )


def _document_response(expenditure):
    if not expenditure.document:
        raise Http404
    response = FileResponse(
        expenditure.document.open("rb"),
        as_attachment=True,
        filename=expenditure.document.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def expenditure_document(request, pk):
    if (response := _staff(request, "fundraising.view_dashboard")) is not None:
        return response
    expenditure = get_object_or_404(Expenditure, pk=pk)
    if not request.user.has_perm("fundraising.view_expenditure_document", expenditure):
        raise Http404
    return _document_response(expenditure)


@require_http_methods(["GET", "POST"])
def period_close_view(request):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    form = PeriodCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger.period_close(
                month=form.cleaned_data["month"], closed_by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The month is closed."))
            return redirect("fundraising:period_close")
    from .models import PeriodClose  # noqa: PLC0415

    return render(
        request,
        "fundraising/staff/period_close.html",
        {"form": form, "closed": PeriodClose.objects.select_related("closed_by")[:24]},
    )


@require_http_methods(["GET", "POST"])
def import_new(request):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    initial = {}
    channel_id = request.GET.get("channel", "")
    from .models import Channel  # noqa: PLC0415

    channel = Channel.objects.filter(pk=channel_id).first() if channel_id.isdigit() else None
    if channel is not None:
        initial["channel"] = channel
        for key, value in (channel.column_mapping or {}).items():
            if key == "default_designation":
                initial[key] = value
            else:
                initial[f"col_{key}"] = value
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.import_upload(
                channel=form.cleaned_data["channel"],
                upload=form.cleaned_data["file"],
                mapping=form.mapping(),
                by=request.user,
                save_mapping=form.cleaned_data["save_mapping"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("fundraising:import_detail", pk=batch.pk)
    channels = Channel.objects.filter(active=True)
    batches = [(b, importing.batch_progress(b)) for b in importing.imports_recent()]
    return render(
        request,
        "fundraising/staff/import_new.html",
        {"form": form, "channels": channels, "batches": batches},
    )


@require_GET
def import_detail(request, pk):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    batch = get_object_or_404(ImportBatch.objects.select_related("channel"), pk=pk)
    mapping = [
        (importing.FIELD_LABELS[f], batch.mapping.get(f, ""))
        for f in importing.FIELDS
        if batch.mapping.get(f)
    ]
    return render(
        request,
        "fundraising/staff/import_detail.html",
        {
            "batch": batch,
            "fingerprint": importing.fingerprint(batch),
            "mapping": mapping,
            "default_designation": batch.mapping.get("default_designation", ""),
            **importing.batch_progress(batch),
        },
    )


@require_POST
def import_confirm(request, pk):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        importing.import_confirm(batch=batch, by=request.user, shown=request.POST.get("shown", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("fundraising:import_detail", pk=batch.pk)


@require_POST
def import_retry(request, pk):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        importing.import_retry(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("The dry run was run again; check the rows before confirming."))
    return redirect("fundraising:import_detail", pk=batch.pk)


@require_POST
def import_discard(request, pk):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        importing.import_discard(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("fundraising:import_detail", pk=batch.pk)
    messages.success(request, _("The import was discarded; nothing was imported."))
    return redirect("fundraising:import_new")


@never_cache
@require_GET
def import_progress(request, pk):
    if (response := _staff(request, "fundraising.manage_money")) is not None:
        return response
    batch = get_object_or_404(ImportBatch, pk=pk)
    return render(
        request,
        "fundraising/staff/_import_progress.html",
        {"batch": batch, **importing.batch_progress(batch)},
    )


# Portal -------------------------------------------------------------------------------------------------


def _org_projects(org):
    from projects.selectors import projects_for_organization  # noqa: PLC0415

    return projects_for_organization(org).filter(status__in=["approved", "active", "completed"])


@portal_view("fundraising.view_org_finance")
@require_GET
def portal_finance(request):
    org = request.organization
    return render(
        request,
        "fundraising/portal/finance.html",
        {
            "org": org,
            **selectors.organization_finance(org),
            "can_record": request.org_role in ("admin", "editor")
            or request.user.has_perm("fundraising.manage_money"),
        },
    )


@portal_view("fundraising.view_org_finance")
@require_http_methods(["GET", "POST"])
def portal_expenditure_new(request):
    org = request.organization
    if not (request.org_role in ("admin", "editor") or request.user.has_perm("fundraising.manage_money")):
        raise PermissionDenied
    projects = _org_projects(org)
    form = ExpenditureForm(request.POST or None, request.FILES or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.expenditure_submit(by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("The expenditure was submitted for approval."))
            return redirect("fundraising:portal_finance", org_slug=org.slug)
    return render(
        request,
        "fundraising/portal/expenditure_new.html",
        {
            "org": org,
            "form": form,
            "lines": budget_selectors.lines_with_position(form.fields["budget_line"].queryset),
        },
        status=400 if request.method == "POST" else 200,
    )


@portal_view("fundraising.view_org_finance")
@require_GET
def portal_expenditure_document(request, pk):
    expenditure = selectors.organization_expenditure(request.organization, pk)
    if expenditure is None:
        raise Http404
    return _document_response(expenditure)
