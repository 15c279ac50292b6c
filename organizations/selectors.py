"""Reads of organizations, scoped to what the caller may see."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from empowerment.authz import is_staff_member
from empowerment.querysets import compiled_once

from .models import Area, DueDiligenceDocument, Invitation, Membership, Organization, Theme


def organizations_for_user(user) -> QuerySet[Organization]:
    """The organizations the user is a member of, with their role annotated as `my_role`."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return (
        Organization.objects.filter(memberships__user=user)
        .select_related("area")
        .annotate(my_role=models_role(user))
        .order_by("name")
    )


def models_role(user):
    from django.db.models import OuterRef, Subquery  # noqa: PLC0415

    return Subquery(Membership.objects.filter(organization=OuterRef("pk"), user=user).values("role")[:1])


def organization_for_portal(user, slug: str) -> Organization:
    """The organization with this slug if the user is a member or staff; the same 404 otherwise."""
    # Every portal request reads it (compiled once): its area (the dashboard names it) comes with it, the
    # area's parents (no portal page shows them) do not.
    org = next(iter(compiled_once("portal organization", _organization_of_slug, slug=slug)), None)
    if org is None or not user.has_perm("organizations.view_portal", org):
        raise Http404
    return org


def _organization_of_slug(slug: str) -> QuerySet[Organization]:
    return Organization.objects.select_related("area").filter(slug=slug).order_by()[:1]


def organization_members(organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__email")


def organization_open_invitations(organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by(
        "-created_at"
    )


def organization_admin_count(organization) -> int:
    return organization.memberships.filter(role="admin").count()


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organization").filter(token=token).first()


def documents_expiring(*, within_days: int = 60) -> QuerySet[DueDiligenceDocument]:
    """Due-diligence documents expired or expiring within the given days, soonest first."""
    limit = timezone.localdate() + timedelta(days=within_days)
    return (
        DueDiligenceDocument.objects.filter(expires_on__isnull=False, expires_on__lte=limit)
        .select_related("organization")
        .order_by("expires_on")
    )


def areas_for_choice(max_level: int = 4) -> QuerySet[Area]:
    return Area.objects.filter(level__lte=max_level).select_related("parent").order_by("code")


def public_organizations() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(status__in=[Organization.Status.ACTIVE, Organization.Status.GRADUATED])
        .select_related("area")
        .prefetch_related("themes")
    )


def published_profiles() -> QuerySet[Organization]:
    """Organizations listed publicly (directory, open data): taking part and with a published profile, a
    description the organization wrote itself in either language (an application's answers never become one)."""
    return public_organizations().filter(Q(description_zh_hans__gt="") | Q(description_en__gt=""))


def organization_counts() -> dict:
    return Organization.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=Organization.Status.ACTIVE)),
        graduated=Count("pk", filter=Q(status=Organization.Status.GRADUATED)),
    )


def themes() -> QuerySet[Theme]:
    return Theme.objects.all()


def user_can_see_org_private(user, organization) -> bool:
    return is_staff_member(user) or user.has_perm("organizations.view_private_documents", organization)


# Due diligence --------------------------------------------------------------------------------------------


def _replaced_by_newer():
    """True for a document that a later, not returned, document of the same kind and organization
    replaces (its renewal). Documents of the kind "other" are never replaced."""
    from django.db.models import Exists, OuterRef  # noqa: PLC0415

    return Exists(
        DueDiligenceDocument.objects.filter(
            organization=OuterRef("organization"),
            kind=OuterRef("kind"),
            uploaded_at__gt=OuterRef("uploaded_at"),
        )
        # Two "other" documents are two different papers, not one and its renewal.
        .exclude(kind=DueDiligenceDocument.Kind.OTHER)
        .exclude(status=DueDiligenceDocument.Status.RETURNED)
    )


def organization_documents(organization) -> QuerySet[DueDiligenceDocument]:
    """An organization's due-diligence documents, newest first, each with `replaced` annotated."""
    return (
        organization.documents.select_related("uploaded_by", "reviewed_by")
        .annotate(replaced=_replaced_by_newer())
        .order_by("-uploaded_at")
    )


def documents_to_review() -> QuerySet[DueDiligenceDocument]:
    """Documents waiting for a programme officer, oldest first."""
    return (
        DueDiligenceDocument.objects.filter(status=DueDiligenceDocument.Status.SUBMITTED)
        .select_related("organization", "uploaded_by")
        .order_by("uploaded_at")
    )


def documents_current() -> QuerySet[DueDiligenceDocument]:
    """Documents in force or waiting for verification that no newer one of the same kind replaces."""
    return (
        DueDiligenceDocument.objects.exclude(status=DueDiligenceDocument.Status.RETURNED)
        .annotate(replaced=_replaced_by_newer())
        .filter(replaced=False)
        .select_related("organization")
    )


def documents_lapsed(*, today=None) -> QuerySet[DueDiligenceDocument]:
    """Current documents whose expiry date has passed (no renewal uploaded), longest lapsed first."""
    today = today or timezone.localdate()
    return documents_current().filter(expires_on__lt=today).order_by("expires_on", "organization__name")


def documents_expiring_soon(*, within_days: int = 60, today=None) -> QuerySet[DueDiligenceDocument]:
    """Current documents that lapse within the given days (not yet lapsed), soonest first."""
    today = today or timezone.localdate()
    return (
        documents_current()
        .filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=within_days))
        .order_by("expires_on", "organization__name")
    )


def documents_to_remind(*, today, within_days: int) -> QuerySet[DueDiligenceDocument]:
    """What the expiry reminder job looks at: current documents of organizations in the programme that
    lapse between today and `within_days` from today."""
    return documents_expiring_soon(within_days=within_days, today=today).filter(
        organization__status__in=[Organization.Status.ACTIVE, Organization.Status.APPLICANT]
    )


def document_for_staff(pk: int) -> DueDiligenceDocument:
    from django.shortcuts import get_object_or_404  # noqa: PLC0415

    return get_object_or_404(
        DueDiligenceDocument.objects.select_related("organization", "uploaded_by", "reviewed_by"), pk=pk
    )


# Partners, resources, volunteers -------------------------------------------------------------------------


def _rate_on_date():
    """The yuan-per-hour rate in force on an hours entry's date (None before the first rate)."""
    from django.db.models import OuterRef, Subquery  # noqa: PLC0415

    from .models import VolunteerHourRate  # noqa: PLC0415

    return Subquery(
        VolunteerHourRate.objects.filter(valid_from__lte=OuterRef("date"))
        .order_by("-valid_from")
        .values("yuan_per_hour")[:1]
    )


def volunteer_hours_summary(*, organization=None, start=None, end=None) -> dict:
    """Hours worked in volunteer teams and their value at the staff-set rate of each hour's date: `hours`,
    `valued_hours` (those on or after the first rate), `value` (Decimal yuan, non-cash: never part of a
    cash total). Of one organization, or of the whole programme; within [start, end] when given."""
    from decimal import ROUND_HALF_UP, Decimal  # noqa: PLC0415

    from .models import VolunteerHours  # noqa: PLC0415

    if organization is not None and start is None and end is None:  # every organization page: compiled once
        found = compiled_once("volunteer hours", _organization_hours, organization=organization.pk)
        totals = found[0] if found else {}
    else:
        entries = VolunteerHours.objects.all()
        if organization is not None:
            entries = entries.filter(volunteer__team__organization=organization)
        if start is not None:
            entries = entries.filter(date__gte=start)
        if end is not None:
            entries = entries.filter(date__lte=end)
        totals = entries.annotate(rate=_rate_on_date()).aggregate(**_hours_sums())
    value = Decimal(totals.get("total_value") or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {
        "hours": totals.get("total_hours") or Decimal("0"),
        "valued_hours": totals.get("total_valued_hours") or Decimal("0"),
        "value": value,
    }


def _hours_sums() -> dict:
    """What volunteer_hours_summary sums over hours annotated with their date's rate."""
    from django.db.models import DecimalField, ExpressionWrapper, F, Sum  # noqa: PLC0415

    money = DecimalField(max_digits=20, decimal_places=4)
    return {
        "total_hours": Sum("hours"),
        "total_valued_hours": Sum("hours", filter=Q(rate__isnull=False)),
        "total_value": Sum(ExpressionWrapper(F("hours") * F("rate"), output_field=money)),
    }


def _organization_hours(organization: int) -> QuerySet:
    """One organization's volunteer_hours_summary sums as one row (none when it has no hours)."""
    from .models import VolunteerHours  # noqa: PLC0415

    sums = _hours_sums()
    return (
        VolunteerHours.objects.filter(volunteer__team__organization=organization)
        .annotate(rate=_rate_on_date())
        .order_by()
        .values("volunteer__team__organization")
        .annotate(**sums)
        .values(*sums)
    )


def volunteer_rate_current():
    """The rate in force today, or None when staff have not set one."""
    from .models import VolunteerHourRate  # noqa: PLC0415

    return (
        VolunteerHourRate.objects.filter(valid_from__lte=timezone.localdate()).order_by("-valid_from").first()
    )


def organization_partners(organization):
    """The organization's partners with the count and value of the resources each brought to it."""
    from django.db.models import Sum  # noqa: PLC0415

    mine = Q(resources__organization=organization)
    return (
        organization.partners.annotate(
            resource_count=Count("resources", filter=mine),
            resource_value=Sum("resources__estimated_value", filter=mine),
        )
        .select_related("area")
        .order_by("name")
    )


def organization_resources(organization):
    return organization.partner_resources.select_related("partner").order_by("-provided_on", "-pk")


def organization_resources_value(organization) -> dict:
    """Number and stated value of the non-cash resources partners brought to the organization."""
    from decimal import Decimal  # noqa: PLC0415

    found = compiled_once("partner resources", _resources_value, organization=organization.pk)
    totals = found[0] if found else {}
    return {"count": totals.get("n", 0), "value": totals.get("value") or Decimal("0.00")}


def _resources_value(organization: int) -> QuerySet:
    from django.db.models import Sum  # noqa: PLC0415

    from .models import PartnerResource  # noqa: PLC0415

    return (
        PartnerResource.objects.filter(organization=organization)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"), value=Sum("estimated_value"))
        .values("n", "value")
    )


def organization_teams(organization):
    """The organization's volunteer teams with their number of active volunteers and their hours."""
    from django.db.models import IntegerField, OuterRef, Subquery, Sum  # noqa: PLC0415
    from django.db.models.functions import Coalesce  # noqa: PLC0415

    from .models import Volunteer  # noqa: PLC0415

    active = (
        Volunteer.objects.filter(team=OuterRef("pk"), active=True)
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return organization.volunteer_teams.annotate(
        volunteer_total=Coalesce(Subquery(active, output_field=IntegerField()), 0),
        hours_total=Sum("volunteers__hours__hours"),
    ).order_by("name")


def team_for_portal(organization, pk: int):
    """A team of the organization; the same 404 for another organization's team and a missing one."""
    from django.shortcuts import get_object_or_404  # noqa: PLC0415

    return get_object_or_404(organization.volunteer_teams, pk=pk)


def team_volunteers(team):
    from django.db.models import Sum  # noqa: PLC0415

    return team.volunteers.annotate(hours_total=Sum("hours__hours")).order_by("-active", "name")


def team_recent_hours(team, limit: int = 50):
    from .models import VolunteerHours  # noqa: PLC0415

    return (
        VolunteerHours.objects.filter(volunteer__team=team)
        .select_related("volunteer")
        .order_by("-date", "-pk")[:limit]
    )


def partner_resources_value(*, start=None, end=None) -> dict:
    """Number and stated value (non-cash) of the resources partners brought to organizations, in the
    programme as a whole, within [start, end] when given."""
    from decimal import Decimal  # noqa: PLC0415

    from django.db.models import Sum  # noqa: PLC0415

    from .models import PartnerResource  # noqa: PLC0415

    resources = PartnerResource.objects.all()
    if start is not None:
        resources = resources.filter(provided_on__gte=start)
    if end is not None:
        resources = resources.filter(provided_on__lte=end)
    totals = resources.aggregate(n=Count("pk"), value=Sum("estimated_value"))
    return {"count": totals["n"], "value": totals["value"] or Decimal("0.00")}


def organization_public_community(organization) -> dict:
    """What an organization's public page shows of its volunteers and partners: teams, active volunteers,
    hours and their non-cash value, partners' names and kinds, and the stated value of their resources."""
    org = organization.pk
    counts = compiled_once("community counts", _community_counts, organization=org)
    return {
        "teams": counts[0]["teams"] if counts else 0,
        "volunteers": counts[0]["volunteers"] if counts else 0,
        "hours": volunteer_hours_summary(organization=organization),
        "partners": compiled_once("public partners", _public_partners, organization=org),
        "resources": organization_resources_value(organization),
    }


def _community_counts(organization: int) -> QuerySet:
    """The organization's volunteer teams and active volunteers, counted in one row (each read is compiled
    once: every organization page shows them)."""
    from django.db.models import IntegerField, OuterRef, Subquery  # noqa: PLC0415
    from django.db.models.functions import Coalesce  # noqa: PLC0415

    from .models import Volunteer, VolunteerTeam  # noqa: PLC0415

    def counted(qs, path):
        n = qs.filter(**{path: OuterRef("pk")}).order_by().values(path).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(n, output_field=IntegerField()), 0)

    return (
        Organization.objects.filter(pk=organization)
        .annotate(
            teams=counted(VolunteerTeam.objects.all(), "organization"),
            volunteers=counted(Volunteer.objects.filter(active=True), "team__organization"),
        )
        .values("teams", "volunteers")
    )


def _public_partners(organization: int) -> QuerySet:
    from .models import Partner  # noqa: PLC0415

    return Partner.objects.filter(organizations=organization).order_by("name").values("name", "kind")
