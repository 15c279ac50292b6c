"""Capacity assessments scored on staff screens per organization and dimension, and the organization's
self-assessment in the portal, shown side by side."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from empowerment.authz import staff_view
from empowerment.forms import add_service_errors
from organizations.portal import portal_view

from . import selectors, services
from .staff_forms import ScoresForm


def _organization(org_pk):
    organization = selectors.mentored_organization(org_pk)
    if organization is None:
        raise Http404
    return organization


@staff_view("trainings.assess_capacity")
@require_GET
def capacity_index(request):
    return render(
        request,
        "trainings/staff/capacity_index.html",
        {"organizations": selectors.capacity_organizations()},
    )


@staff_view("trainings.assess_capacity")
@require_GET
def capacity_organization(request, org_pk):
    organization = _organization(org_pk)
    return render(
        request,
        "trainings/staff/capacity_organization.html",
        {
            "org": organization,
            "sheet": selectors.capacity_sheet(organization),
            "assessments": selectors.org_assessments(organization),
        },
    )


@staff_view("trainings.assess_capacity")
@require_http_methods(["GET", "POST"])
def capacity_assess(request, org_pk):
    organization = _organization(org_pk)
    sheet = selectors.capacity_sheet(organization)
    form = ScoresForm(request.POST or None, sheet=sheet, cohorts=selectors.org_cohorts(organization))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                organization=organization,
                kind=form.cleaned_data["kind"],
                by=request.user,
                scores=form.scores(),
                assessed_on=form.cleaned_data["assessed_on"],
                cohort=form.cleaned_data.get("cohort"),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("trainings:capacity_organization", org_pk=organization.pk)
    return render(
        request,
        "trainings/staff/capacity_assess.html",
        {"org": organization, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@portal_view("trainings.self_assess")
@require_http_methods(["GET", "POST"])
def portal_self_assessment(request):
    org = request.organization
    form = ScoresForm(request.POST or None, sheet=selectors.capacity_sheet(org))
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_record(
                organization=org,
                kind=form.cleaned_data["kind"],
                by=request.user,
                scores=form.scores(),
                assessed_on=form.cleaned_data["assessed_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your self-assessment was saved; it is shown beside the staff scores.")
            )
            return redirect("trainings:portal_capacity", org_slug=org.slug)
    return render(
        request,
        "trainings/portal/self_assessment.html",
        {"org": org, "tab": "capacity", "form": form},
        status=400 if request.method == "POST" else 200,
    )
