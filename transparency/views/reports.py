"""Transparency reports: the public list and report pages, the staff request page and the organizations'
own page in the portal."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from empowerment.authz import is_staff_member
from empowerment.pagecache import public_page
from organizations.portal import portal_view

from .. import selectors, services
from ..forms import ReportRequestForm


@public_page
@require_GET
def report_list(request):
    return render(request, "transparency/report_list.html", {"reports": selectors.published_reports()[:100]})


@require_GET
def report_detail(request, code):
    """A published report with its verification code and SHA-256, to check a printed or downloaded copy."""
    report = selectors.report_by_code(code)
    if report is None:
        return render(request, "transparency/report_unknown.html", {"code": code[:64]}, status=404)
    return render(request, "transparency/report_detail.html", {"report": report, "document": report.document})


def _request_form(request, *, projects, require_project):
    initial = {
        "language": "zh-hans" if (get_language() or "").startswith("zh") else "en",
        "period_kind": "month",
    }
    return ReportRequestForm(
        request.POST or None, initial=initial, projects=projects, require_project=require_project
    )


def _submit(request, form, by):
    try:
        report = services.report_request(
            period=form.cleaned_data["parsed_period"],
            language=form.cleaned_data["language"],
            project=form.cleaned_data.get("project"),
            by=by,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.info(request, _("The report is being prepared. This page shows its progress."))
    return redirect("document_detail", pk=report.document_id)


@require_http_methods(["GET", "POST"])
def staff_reports(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff_member(request.user):
        raise Http404
    form = _request_form(
        request, projects=selectors.public_projects().order_by("title"), require_project=False
    )
    if request.method == "POST" and form.is_valid():
        response = _submit(request, form, request.user)
        if response:
            return response
    return render(
        request,
        "transparency/staff_reports.html",
        {"form": form, "reports": selectors.reports_for_staff()[:100]},
    )


@require_http_methods(["GET", "POST"])
@portal_view()
def portal_reports(request):
    org = request.organization
    projects = selectors.public_projects().filter(organization=org).order_by("title")
    form = _request_form(request, projects=projects, require_project=True)
    if request.method == "POST":
        if not projects.exists():
            raise PermissionDenied
        if form.is_valid():
            response = _submit(request, form, request.user)
            if response:
                return response
    return render(
        request,
        "transparency/portal_reports.html",
        {
            "org": org,
            "form": form,
            "has_projects": projects.exists(),
            "reports": selectors.reports_for_organization(org),
        },
    )
