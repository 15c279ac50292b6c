"""Every write to an organization's partners, the non-cash resources they bring, its volunteer teams,
volunteers and their hours.

Each service is keyword-only and atomic, checks the acting user's role in the organization (admins and
editors write; viewers and staff read only) and records history with the acting user. Bad input is refused
with a ValidationError naming the field, and nothing is saved.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment.money import to_money

from .models import Organization, Partner, PartnerResource, Volunteer, VolunteerHours, VolunteerTeam


def _require(by, organization: Organization) -> None:
    if not by.has_perm("organizations.edit_records", organization):
        raise PermissionDenied


def _not_future(value: date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


# Partners and their resources ------------------------------------------------------------------------------


@transaction.atomic
def partner_add(
    *,
    organization: Organization,
    by,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    notes: str = "",
) -> Partner:
    """Link a partner to the organization. A partner the programme already knows under the same name (other
    organizations work with it too) is linked as it is, its details unchanged; otherwise it is created."""
    _require(by, organization)
    name = _required_text(name, "name")
    if kind not in Partner.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of partner.")})
    partner = Partner.objects.select_for_update().filter(name__iexact=name).first()
    if partner is None:
        partner = Partner(
            name=name,
            kind=kind,
            area=organization.area,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip(),
            notes=notes.strip(),
        )
        partner.full_clean()
        partner._history_user = by
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError:  # created by someone else at the same moment
            partner = Partner.objects.get(name=name)
    elif partner.organizations.filter(pk=organization.pk).exists():
        raise ValidationError(
            {"name": _("%(name)s is already one of your partners.") % {"name": partner.name}}
        )
    partner.organizations.add(organization)
    return partner


@transaction.atomic
def partner_unlink(*, organization: Organization, by, partner: Partner) -> None:
    """Take a partner off the organization's list. Refused while resources it brought to the organization
    are on record: they stay part of the organization's history."""
    _require(by, organization)
    if not partner.organizations.filter(pk=organization.pk).exists():
        raise ValidationError(_("This partner is not linked to your organization."))
    if PartnerResource.objects.filter(partner=partner, organization=organization).exists():
        raise ValidationError(
            _("Resources from %(name)s are on record for your organization, so it stays on the list.")
            % {"name": partner.name}
        )
    partner.organizations.remove(organization)


@transaction.atomic
def resource_record(
    *,
    organization: Organization,
    by,
    partner: Partner,
    kind: str,
    description: str,
    provided_on: date,
    estimated_value,
    valuation_basis: str = "",
) -> PartnerResource:
    """Record a non-cash resource a partner brought to the organization, with its stated value and the
    basis of that value. The value is kept apart from cash in every total."""
    _require(by, organization)
    if partner is None or not partner.organizations.filter(pk=organization.pk).exists():
        raise ValidationError({"partner": _("Choose one of your organization's partners.")})
    if kind not in PartnerResource.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of resource.")})
    description = _required_text(description, "description")
    if provided_on is None:
        raise ValidationError({"provided_on": _("This field is required.")})
    _not_future(provided_on, "provided_on")
    value, valuation_basis = checked_resource_value(estimated_value, valuation_basis)
    resource = PartnerResource(
        partner=partner,
        organization=organization,
        kind=kind,
        description=description,
        provided_on=provided_on,
        estimated_value=value,
        valuation_basis=valuation_basis,
    )
    resource.full_clean()
    resource._history_user = by
    resource.save()
    return resource


# Volunteer teams, volunteers and hours ------------------------------------------------------------------


@transaction.atomic
def team_create(
    *, organization: Organization, by, name: str, leader_name: str = "", founded_on: date | None = None
) -> VolunteerTeam:
    _require(by, organization)
    name = _required_text(name, "name")
    _not_future(founded_on, "founded_on")
    if organization.volunteer_teams.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Your organization already has a team with this name.")})
    team = VolunteerTeam(
        organization=organization,
        name=name,
        leader_name=(leader_name or "").strip(),
        founded_on=founded_on,
        area=organization.area,
    )
    team.full_clean()
    team._history_user = by
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise ValidationError({"name": _("Your organization already has a team with this name.")}) from None
    return team


@transaction.atomic
def volunteer_add(
    *, team: VolunteerTeam, by, name: str, phone: str = "", skills: str = "", joined_on: date | None = None
) -> Volunteer:
    _require(by, team.organization)
    name = _required_text(name, "name")
    joined_on = joined_on or timezone.localdate()
    _not_future(joined_on, "joined_on")
    volunteer = Volunteer(
        team=team, name=name, phone=(phone or "").strip(), skills=(skills or "").strip(), joined_on=joined_on
    )
    volunteer.full_clean()
    volunteer._history_user = by
    volunteer.save()
    return volunteer


MAX_HOURS_A_DAY = Decimal("24")


def checked_resource_value(estimated_value, valuation_basis: str) -> tuple[Decimal, str]:
    """A resource's estimated value in yuan (none is 0, never negative) and the basis it was estimated on,
    required when there is a value: for recording a resource and for correcting it."""
    try:
        value = to_money(estimated_value if estimated_value is not None else 0)
    except (TypeError, ValueError, InvalidOperation, ValidationError):
        raise ValidationError({"estimated_value": _("Enter an amount in yuan, e.g. 1200.00.")}) from None
    if value < 0:
        raise ValidationError({"estimated_value": _("The value cannot be negative.")})
    valuation_basis = (valuation_basis or "").strip()
    if value > 0 and not valuation_basis:
        raise ValidationError(
            {"valuation_basis": _("Say how the value was arrived at; readers of the reports see it.")}
        )
    return value, valuation_basis


def checked_hours(volunteer: Volunteer, *, date: date, hours, activity: str, replacing=None):
    """The rules for a day's hours, for recording them and for correcting them (`replacing` is the entry being
    corrected): a date not in the future nor before the volunteer joined, 0.1 to 24 hours, at most 24 hours
    a day per volunteer. Returns the hours as a Decimal and the activity stripped. The caller holds the
    volunteer's row locked, so two entries at once cannot pass the daily limit together."""
    activity = _required_text(activity, "activity")
    if date is None:
        raise ValidationError({"date": _("This field is required.")})
    _not_future(date, "date")
    if date < volunteer.joined_on:
        raise ValidationError(
            {
                "date": _("%(name)s joined on %(date)s.")
                % {"name": volunteer.name, "date": volunteer.joined_on}
            }
        )
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("Enter a number of hours, e.g. 2.5.")}) from None
    if not Decimal("0") < hours <= MAX_HOURS_A_DAY:
        raise ValidationError({"hours": _("Enter between 0.1 and 24 hours.")})
    same_day = volunteer.hours.filter(date=date)
    if replacing is not None:
        same_day = same_day.exclude(pk=replacing.pk)
    already = same_day.aggregate(h=Sum("hours"))["h"] or Decimal("0")
    if already + hours > MAX_HOURS_A_DAY:
        raise ValidationError(
            {
                "hours": _("%(name)s already has %(hours)s hours on that day; a day has 24.")
                % {"name": volunteer.name, "hours": already}
            }
        )
    return hours, activity


@transaction.atomic
def hours_record(*, volunteer: Volunteer, by, date: date, hours, activity: str) -> VolunteerHours:
    """Record the hours a volunteer worked on a day. A day holds at most 24 hours per volunteer (the
    volunteer's row is locked, so two entries at once cannot pass it together)."""
    organization = volunteer.team.organization
    _require(by, organization)
    volunteer = Volunteer.objects.select_for_update().select_related("team").get(pk=volunteer.pk)
    hours, activity = checked_hours(volunteer, date=date, hours=hours, activity=activity)
    entry = VolunteerHours(volunteer=volunteer, date=date, hours=hours, activity=activity)
    entry.full_clean()
    entry._history_user = by
    entry.save()
    return entry
