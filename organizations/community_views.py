"""The portal's partners and volunteers pages: partners and the non-cash resources they bring, volunteer
teams, their volunteers and hours. Members read; admins and editors write (through community_services)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from empowerment.forms import add_service_errors

from . import community_services, selectors
from .portal import portal_view
from .records_forms import HoursForm, PartnerForm, ResourceForm, TeamForm, VolunteerForm


def _can_edit(request) -> bool:
    return request.user.has_perm("organizations.edit_records", request.organization)


def _require_edit(request) -> None:
    if not _can_edit(request):
        raise PermissionDenied


def _partners_page(request, *, partner_form=None, resource_form=None, status=200):
    org = request.organization
    can_edit = _can_edit(request)
    partners = selectors.organization_partners(org)
    return render(
        request,
        "organizations/partners.html",
        {
            "org": org,
            "partners": partners,
            "resources": selectors.organization_resources(org),
            "resources_total": selectors.organization_resources_value(org),
            "can_edit": can_edit,
            "partner_form": (partner_form or PartnerForm()) if can_edit else None,
            "resource_form": (resource_form or ResourceForm(partners=org.partners.all()))
            if can_edit
            else None,
        },
        status=status,
    )


@portal_view()
@require_http_methods(["GET", "POST"])
def partners(request):
    if request.method != "POST":
        return _partners_page(request)
    _require_edit(request)
    org = request.organization
    form = PartnerForm(request.POST)
    if form.is_valid():
        try:
            partner = community_services.partner_add(organization=org, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added to your partners.") % {"name": partner.name})
            return redirect("organizations:partners", org_slug=org.slug)
    return _partners_page(request, partner_form=form)


@portal_view("organizations.edit_records")
@require_POST
def resource_add(request):
    org = request.organization
    form = ResourceForm(request.POST, partners=org.partners.all())
    if form.is_valid():
        try:
            community_services.resource_record(organization=org, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The resource was recorded."))
            return redirect("organizations:partners", org_slug=org.slug)
    return _partners_page(request, resource_form=form)


@portal_view("organizations.edit_records")
@require_POST
def partner_unlink(request, pk):
    org = request.organization
    partner = get_object_or_404(org.partners, pk=pk)
    try:
        community_services.partner_unlink(organization=org, by=request.user, partner=partner)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was taken off your partners.") % {"name": partner.name})
    return redirect("organizations:partners", org_slug=org.slug)


@portal_view()
@require_http_methods(["GET", "POST"])
def volunteers(request):
    org = request.organization
    can_edit = _can_edit(request)
    form = TeamForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        _require_edit(request)
        if form.is_valid():
            try:
                team = community_services.team_create(organization=org, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The team %(name)s was added.") % {"name": team.name})
                return redirect("organizations:volunteer_team", org_slug=org.slug, pk=team.pk)
    return render(
        request,
        "organizations/volunteers.html",
        {
            "org": org,
            "teams": selectors.organization_teams(org),
            "summary": selectors.volunteer_hours_summary(organization=org),
            "rate": selectors.volunteer_rate_current(),
            "form": form,
            "can_edit": can_edit,
        },
    )


def _team_page(request, team, *, volunteer_form=None, hours_form=None, status=200):
    can_edit = _can_edit(request)
    active = team.volunteers.filter(active=True).order_by("name")
    return render(
        request,
        "organizations/volunteer_team.html",
        {
            "org": request.organization,
            "team": team,
            "volunteers": selectors.team_volunteers(team),
            "recent_hours": selectors.team_recent_hours(team),
            "can_edit": can_edit,
            "volunteer_form": (volunteer_form or VolunteerForm()) if can_edit else None,
            "hours_form": (hours_form or HoursForm(volunteers=active)) if can_edit else None,
        },
        status=status,
    )


@portal_view()
@require_http_methods(["GET", "POST"])
def team(request, pk):
    team = selectors.team_for_portal(request.organization, pk)
    if request.method != "POST":
        return _team_page(request, team)
    _require_edit(request)
    form = VolunteerForm(request.POST)
    if form.is_valid():
        try:
            volunteer = community_services.volunteer_add(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s joined the team.") % {"name": volunteer.name})
            return redirect("organizations:volunteer_team", org_slug=request.organization.slug, pk=team.pk)
    return _team_page(request, team, volunteer_form=form)


@portal_view("organizations.edit_records")
@require_POST
def hours_add(request, pk):
    team = selectors.team_for_portal(request.organization, pk)
    form = HoursForm(request.POST, volunteers=team.volunteers.filter(active=True))
    if form.is_valid():
        try:
            community_services.hours_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The hours were recorded."))
            return redirect("organizations:volunteer_team", org_slug=request.organization.slug, pk=team.pk)
    return _team_page(request, team, hours_form=form)
