"""Changing and deleting the portal's partners and volunteer records: one page per record (its form, its
delete button and its history). Admins and editors only; another organization's record is a 404."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from empowerment.forms import add_service_errors

from . import community_services, records_services, selectors
from .models import Partner, PartnerResource, Volunteer, VolunteerHours
from .portal import portal_view
from .records_edit_forms import EDIT_FORMS

EDIT = "organizations.edit_records"


@dataclass
class Kind:
    title: str
    fields: tuple[str, ...]


KINDS = {
    "partner": Kind(
        gettext_lazy("Partner"), ("name", "kind", "contact_name", "contact_phone", "contact_email", "notes")
    ),
    "resource": Kind(
        gettext_lazy("Resource"),
        ("partner", "kind", "description", "provided_on", "estimated_value", "valuation_basis"),
    ),
    "team": Kind(gettext_lazy("Volunteer team"), ("name", "leader_name", "founded_on")),
    "volunteer": Kind(gettext_lazy("Volunteer"), ("name", "phone", "skills", "joined_on", "active")),
    "hours": Kind(gettext_lazy("Volunteer hours"), ("date", "hours", "activity")),
}


def _record(request, kind: str, pk: int):
    org = request.organization
    if kind == "partner":
        return get_object_or_404(org.partners, pk=pk)
    if kind == "resource":
        return get_object_or_404(PartnerResource.objects.select_related("partner"), pk=pk, organization=org)
    if kind == "team":
        return selectors.team_for_portal(org, pk)
    if kind == "volunteer":
        return get_object_or_404(Volunteer.objects.select_related("team"), pk=pk, team__organization=org)
    if kind == "hours":
        return get_object_or_404(
            VolunteerHours.objects.select_related("volunteer__team"), pk=pk, volunteer__team__organization=org
        )
    raise Http404


def _back(request, kind: str, record) -> str:
    slug = request.organization.slug
    if kind in ("partner", "resource"):
        return reverse("organizations:partners", kwargs={"org_slug": slug})
    if kind == "team":
        return reverse("organizations:volunteer_team", kwargs={"org_slug": slug, "pk": record.pk})
    team = record.team if kind == "volunteer" else record.volunteer.team
    return reverse("organizations:volunteer_team", kwargs={"org_slug": slug, "pk": team.pk})


def _form(request, kind: str, record, data=None):
    form_class = EDIT_FORMS[kind]
    initial = {f: getattr(record, f) for f in KINDS[kind].fields}
    kwargs = {"partners": request.organization.partners.all()} if kind == "resource" else {}
    form = form_class(data, initial=initial, **kwargs)
    form.helper = None  # the page writes its own <form> and buttons
    if kind == "partner":
        form.fields["name"].help_text = ""  # the add form's note on linking a known partner
    return form


def _change(request, kind: str, record, data: dict):
    org, by = request.organization, request.user
    if kind == "partner":
        return records_services.partner_change(organization=org, by=by, partner=record, **data)
    if kind == "resource":
        return records_services.resource_change(organization=org, by=by, resource=record, **data)
    if kind == "team":
        return records_services.team_change(team=record, by=by, **data)
    if kind == "volunteer":
        return records_services.volunteer_change(volunteer=record, by=by, **data)
    return records_services.hours_change(entry=record, by=by, **data)


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def record_edit(request, kind, pk):
    if kind not in KINDS:
        raise Http404
    record = _record(request, kind, pk)
    form = _form(request, kind, record, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _change(request, kind, record, dict(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(_back(request, kind, record))
    history = record.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "organizations/record_edit.html",
        {
            "org": request.organization,
            "kind": kind,
            "title": KINDS[kind].title,
            "record": record,
            "form": form,
            "history": history,
            "back": _back(request, kind, record),
            "is_partner": isinstance(record, Partner),
        },
        status=400 if request.method == "POST" else 200,
    )


@portal_view(EDIT)
@require_POST
def record_delete(request, kind, pk):
    """Delete a record nothing refers to (a partner is taken off the organization's list instead)."""
    if kind not in KINDS:
        raise Http404
    record = _record(request, kind, pk)
    org, by = request.organization, request.user
    back = _back(request, kind, record)
    if kind == "team":
        back = reverse("organizations:volunteers", kwargs={"org_slug": org.slug})
    try:
        if kind == "partner":
            community_services.partner_unlink(organization=org, by=by, partner=record)
        elif kind == "resource":
            records_services.resource_delete(organization=org, by=by, resource=record)
        elif kind == "team":
            records_services.team_delete(team=record, by=by)
        elif kind == "volunteer":
            records_services.volunteer_delete(volunteer=record, by=by)
        else:
            records_services.hours_delete(entry=record, by=by)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(
            reverse("organizations:record_edit", kwargs={"org_slug": org.slug, "kind": kind, "pk": pk})
        )
    if kind == "partner":
        messages.success(request, _("%(name)s was taken off your partners.") % {"name": record.name})
    else:
        messages.success(request, _("%(record)s was deleted.") % {"record": record})
    return redirect(back)
