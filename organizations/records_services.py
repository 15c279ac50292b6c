"""Changing and deleting an organization's own records in the portal: partners (their details, while no
other organization works with them), the resources they brought, volunteer teams, volunteers and hours.
Adding them is in community_services.

Each service is keyword-only and atomic, checks the acting user's role (admins and editors), refuses bad
input with a ValidationError naming the field (nothing saved), and records history with the acting user.
A row is deleted only when nothing refers to it; the refusal says what does."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from .community_services import _not_future, _require, _required_text, checked_hours, checked_resource_value
from .models import Organization, Partner, PartnerResource, Volunteer, VolunteerHours, VolunteerTeam


def _saved(instance, by, fields: list[str]):
    instance.full_clean()
    instance._history_user = by
    instance.save(update_fields=fields)
    return instance


def _deleted(instance, by) -> None:
    instance._history_user = by  # the history's deletion row names who deleted it
    instance.delete()


# Partners and resources -----------------------------------------------------------------------------------


@transaction.atomic
def partner_change(
    *,
    organization: Organization,
    by,
    partner: Partner,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    notes: str = "",
) -> Partner:
    """Change a partner's details. Refused when other organizations work with the same partner: its
    details are theirs too (the foundation's staff change them)."""
    _require(by, organization)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if not partner.organizations.filter(pk=organization.pk).exists():
        raise ValidationError(_("This partner is not linked to your organization."))
    if partner.organizations.exclude(pk=organization.pk).exists():
        raise ValidationError(
            _(
                "Other organizations work with %(name)s too, so its details are shared: ask the foundation's staff to change them."
            )
            % {"name": partner.name}
        )
    name = _required_text(name, "name")
    if kind not in Partner.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of partner.")})
    if Partner.objects.filter(name__iexact=name).exclude(pk=partner.pk).exists():
        raise ValidationError({"name": _("The programme already knows a partner with this name.")})
    partner.name = name
    partner.kind = kind
    partner.contact_name = (contact_name or "").strip()
    partner.contact_phone = (contact_phone or "").strip()
    partner.contact_email = (contact_email or "").strip()
    partner.notes = (notes or "").strip()
    try:
        with transaction.atomic():
            return _saved(
                partner, by, ["name", "kind", "contact_name", "contact_phone", "contact_email", "notes"]
            )
    except IntegrityError:  # the same name taken at the same moment
        raise ValidationError({"name": _("The programme already knows a partner with this name.")}) from None


@transaction.atomic
def resource_change(
    *,
    organization: Organization,
    by,
    resource: PartnerResource,
    partner: Partner,
    kind: str,
    description: str,
    provided_on: date,
    estimated_value,
    valuation_basis: str = "",
) -> PartnerResource:
    """Correct a resource a partner brought (the same rules as recording it)."""
    _require(by, organization)
    resource = PartnerResource.objects.select_for_update().get(pk=resource.pk)
    if resource.organization_id != organization.pk:
        raise ValidationError(_("This resource is not on your organization's record."))
    if partner is None or not partner.organizations.filter(pk=organization.pk).exists():
        raise ValidationError({"partner": _("Choose one of your organization's partners.")})
    if kind not in PartnerResource.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of resource.")})
    description = _required_text(description, "description")
    if provided_on is None:
        raise ValidationError({"provided_on": _("This field is required.")})
    _not_future(provided_on, "provided_on")
    value, basis = checked_resource_value(estimated_value, valuation_basis)
    resource.partner = partner
    resource.kind = kind
    resource.description = description
    resource.provided_on = provided_on
    resource.estimated_value = value
    resource.valuation_basis = basis
    return _saved(
        resource,
        by,
        ["partner", "kind", "description", "provided_on", "estimated_value", "valuation_basis"],
    )


@transaction.atomic
def resource_delete(*, organization: Organization, by, resource: PartnerResource) -> None:
    """Delete a resource recorded by mistake (nothing else refers to a resource)."""
    _require(by, organization)
    resource = PartnerResource.objects.select_for_update().get(pk=resource.pk)
    if resource.organization_id != organization.pk:
        raise ValidationError(_("This resource is not on your organization's record."))
    _deleted(resource, by)


# Teams, volunteers and hours ------------------------------------------------------------------------------


@transaction.atomic
def team_change(
    *, team: VolunteerTeam, by, name: str, leader_name: str = "", founded_on: date | None = None
) -> VolunteerTeam:
    _require(by, team.organization)
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    name = _required_text(name, "name")
    _not_future(founded_on, "founded_on")
    taken = VolunteerTeam.objects.filter(organization_id=team.organization_id, name__iexact=name)
    if taken.exclude(pk=team.pk).exists():
        raise ValidationError({"name": _("Your organization already has a team with this name.")})
    team.name = name
    team.leader_name = (leader_name or "").strip()
    team.founded_on = founded_on
    try:
        with transaction.atomic():
            return _saved(team, by, ["name", "leader_name", "founded_on"])
    except IntegrityError:
        raise ValidationError({"name": _("Your organization already has a team with this name.")}) from None


@transaction.atomic
def team_delete(*, team: VolunteerTeam, by) -> None:
    """Delete a team without volunteers (a team with volunteers keeps their hours on record)."""
    _require(by, team.organization)
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    if team.volunteers.exists():
        raise ValidationError(
            _("The team %(name)s has volunteers: delete or move them first.") % {"name": team.name}
        )
    _deleted(team, by)


@transaction.atomic
def volunteer_change(
    *,
    volunteer: Volunteer,
    by,
    name: str,
    phone: str = "",
    skills: str = "",
    joined_on: date | None = None,
    active: bool = True,
) -> Volunteer:
    """Correct a volunteer's details, or mark them as no longer active (their hours stay). The joining
    date cannot move past the first day they have hours on."""
    _require(by, volunteer.team.organization)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    name = _required_text(name, "name")
    if joined_on is None:
        raise ValidationError({"joined_on": _("This field is required.")})
    _not_future(joined_on, "joined_on")
    first = volunteer.hours.aggregate(first=Min("date"))["first"]
    if first is not None and joined_on > first:
        raise ValidationError(
            {
                "joined_on": _("%(name)s has hours on %(date)s, before this date.")
                % {"name": name, "date": first}
            }
        )
    volunteer.name = name
    volunteer.phone = (phone or "").strip()
    volunteer.skills = (skills or "").strip()
    volunteer.joined_on = joined_on
    volunteer.active = bool(active)
    return _saved(volunteer, by, ["name", "phone", "skills", "joined_on", "active"])


@transaction.atomic
def volunteer_delete(*, volunteer: Volunteer, by) -> None:
    """Delete a volunteer without hours; one with hours is marked as no longer active instead."""
    _require(by, volunteer.team.organization)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.hours.exists():
        raise ValidationError(
            _("%(name)s has hours on record: mark them as no longer active instead.")
            % {"name": volunteer.name}
        )
    _deleted(volunteer, by)


@transaction.atomic
def hours_change(*, entry: VolunteerHours, by, date: date, hours, activity: str) -> VolunteerHours:
    """Correct a day's hours (the same rules as recording them: at most 24 hours a day per volunteer)."""
    volunteer = entry.volunteer
    _require(by, volunteer.team.organization)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    entry = VolunteerHours.objects.select_for_update().get(pk=entry.pk, volunteer=volunteer)
    hours, activity = checked_hours(volunteer, date=date, hours=hours, activity=activity, replacing=entry)
    entry.date = date
    entry.hours = hours
    entry.activity = activity
    return _saved(entry, by, ["date", "hours", "activity"])


@transaction.atomic
def hours_delete(*, entry: VolunteerHours, by) -> None:
    """Delete hours recorded by mistake (nothing else refers to them)."""
    _require(by, entry.volunteer.team.organization)
    entry = VolunteerHours.objects.select_for_update().get(pk=entry.pk)
    _deleted(entry, by)
