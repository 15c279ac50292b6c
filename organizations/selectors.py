"""Reads of organizations, scoped to what the caller may see."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from empowerment.authz import is_staff_member

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
    org = (
        Organization.objects.select_related("area", "area__parent", "area__parent__parent")
        .filter(slug=slug)
        .first()
    )
    if org is None or not user.has_perm("organizations.view_portal", org):
        raise Http404
    return org


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
    description the organization wrote itself (an application's answers never become one)."""
    return public_organizations().exclude(description="")


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
