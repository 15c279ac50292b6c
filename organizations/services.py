"""Every write to organizations, memberships, invitations and applications.

Each service is atomic, checks what it must, records history (django-simple-history, with the acting
user from the request middleware or passed explicitly) and sends email only after commit.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from empowerment.mail import email_queue, recipient_language, supported_language
from empowerment.slugs import free_slug, save_with_unique_slug, slug_base
from empowerment.translated import column, written_in

from .credit_code import normalize
from .models import Invitation, Membership, Organization, ProgrammeApplication, Role


def _absolute(path: str, base_url: str) -> str:
    return base_url.rstrip("/") + path


def _email(*, to: str, subject, template: str, context: dict) -> None:
    """Queue an email (sent by a worker after commit, retried on SMTP errors), subject and body in the
    recipient's own language when they have an account that chose one, else in the request's language."""
    language = recipient_language(to, language_for_email())
    email_queue(to=to, subject=subject, template=template, context=context, language=language)


def unique_slug(name: str, *, exclude_pk=None) -> str:
    """A slug free now (a hint for forms and the demo; inserts go through save_with_unique_slug)."""
    return free_slug(Organization, slug_base(name, "org"), exclude_pk=exclude_pk)


# Applications -------------------------------------------------------------------------------------


@transaction.atomic
def application_submit(*, data: dict, themes=(), base_url: str = "") -> ProgrammeApplication:
    """Record an application from the public form and acknowledge it by email."""
    data = {**data, "credit_code": normalize(data.get("credit_code", ""))}
    application = ProgrammeApplication(**data)
    application.full_clean()
    application.save()
    application.themes.set(themes)
    _email(
        to=application.contact_email,
        subject=_("We received your application to the Community Empowerment Programme"),
        template="organizations/email/application_received.txt",
        context={"application": application},
    )
    return application


def _check_not_duplicate(application: ProgrammeApplication) -> None:
    errors = {}
    if Organization.objects.filter(Q(name_zh_hans=application.name) | Q(name_en=application.name)).exists():
        errors["name"] = _("An organization with this name already takes part in the programme.")
    if application.credit_code and Organization.objects.filter(credit_code=application.credit_code).exists():
        errors["credit_code"] = _("An organization with this unified social credit code already exists.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_approve(
    *, application: ProgrammeApplication, decided_by, note: str = "", base_url: str = ""
) -> Organization:
    """Approve an application: create the active organization and invite the applicant as its admin."""
    if not decided_by.has_perm("organizations.review_application"):
        raise PermissionDenied
    application = ProgrammeApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ProgrammeApplication.Status.SUBMITTED:
        raise ValidationError(_("This application has already been decided."))
    _check_not_duplicate(application)
    organization = Organization(
        # the name in the language it is written in (organizations/translation.py)
        **{column("name", written_in(application.name)): application.name},
        slug=unique_slug(application.name),
        legal_form=application.legal_form,
        credit_code=application.credit_code or None,
        registration_date=application.registration_date,
        area=application.area,
        address=application.address,
        staff_count=application.staff_count,
        volunteer_count=application.volunteer_count,
        contact_name=application.contact_name,
        contact_email=application.contact_email,
        contact_phone=application.contact_phone,
        # The application's answers stay private: the organization publishes its own description.
        status=Organization.Status.ACTIVE,
        joined_on=timezone.localdate(),
    )
    organization.full_clean(exclude=["slug"])  # the slug's uniqueness is settled at the insert
    organization._history_user = decided_by
    try:
        # Another approval may take the same slug at the same moment: the next free one is used then.
        save_with_unique_slug(organization, base=slug_base(application.name, "org"))
    except IntegrityError:
        raise ValidationError(_("An organization with this name or code already exists.")) from None
    organization.themes.set(application.themes.all())
    application.status = ProgrammeApplication.Status.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    application.decision_note = note
    application.organization = organization
    application._history_user = decided_by
    application.save()
    invitation_create(
        organization=organization,
        email=application.contact_email,
        role=Role.ADMIN,
        invited_by=decided_by,
        base_url=base_url,
        check_permission=False,
    )
    return organization


@transaction.atomic
def application_reject(*, application: ProgrammeApplication, decided_by, note: str) -> ProgrammeApplication:
    if not decided_by.has_perm("organizations.review_application"):
        raise PermissionDenied
    application = ProgrammeApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ProgrammeApplication.Status.SUBMITTED:
        raise ValidationError(_("This application has already been decided."))
    if not note.strip():
        raise ValidationError(
            {"decision_note": _("Say why the application is rejected; the applicant reads it.")}
        )
    application.status = ProgrammeApplication.Status.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    application.decision_note = note
    application._history_user = decided_by
    application.save()
    _email(
        to=application.contact_email,
        subject=_("Your application to the Community Empowerment Programme"),
        template="organizations/email/application_rejected.txt",
        context={"application": application},
    )
    return application


# Invitations and memberships ------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    role: str,
    invited_by,
    base_url: str = "",
    check_permission=True,
) -> Invitation:
    """Invite a person by email. A pending invitation to the same address is replaced by the new one."""
    if check_permission and not invited_by.has_perm("organizations.manage_members", organization):
        raise PermissionDenied
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organization.")})
    now = timezone.now()
    for pending in organization.invitations.select_for_update().filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ):
        pending.revoked_at = now
        pending.save(update_fields=["revoked_at"])  # saved one by one so that history records it
    invitation = Invitation(organization=organization, email=email, role=role, invited_by=invited_by)
    invitation._history_user = invited_by
    invitation.save()
    link = _absolute(reverse("organizations:invitation_accept", args=[invitation.token]), base_url)
    _email(
        to=email,
        subject=_("You are invited to join %(org)s on the Community Empowerment Programme")
        % {"org": organization.name},
        template="organizations/email/invitation.txt",
        context={"invitation": invitation, "link": link, "inviter": invited_by},
    )
    return invitation


def _check_invitation_usable(invitation: Invitation) -> None:
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This invitation was withdrawn. Ask the organization for a new one."), code="revoked"
        )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask the organization for a new one."), code="expired"
        )


def invitation_check(invitation: Invitation) -> None:
    """Raise ValidationError with the reason when the invitation cannot be used."""
    _check_invitation_usable(invitation)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organization with the invited role. The signed-in user's address must be the invited one."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_invitation_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation._history_user = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return membership


@transaction.atomic
def invitation_signup(*, invitation: Invitation, full_name: str, password: str):
    """Create the account of an invited person (their address is verified by the link) and accept."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_invitation_usable(invitation)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("An account with this address exists already: sign in to accept the invitation.")
        )
    user = User(
        email=invitation.email.lower(),
        full_name=full_name.strip(),
        language=supported_language(translation.get_language()),  # the language they signed up in
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> None:
    if not by.has_perm("organizations.manage_members", invitation.organization):
        raise PermissionDenied
    locked = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if locked is not None:
        locked._history_user = by
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])


ORGANIZATION_MOVES = {
    # action: (statuses it may start from, status it leads to)
    "activate": ({Organization.Status.APPLICANT, Organization.Status.SUSPENDED}, Organization.Status.ACTIVE),
    "suspend": ({Organization.Status.ACTIVE, Organization.Status.GRADUATED}, Organization.Status.SUSPENDED),
    "graduate": ({Organization.Status.ACTIVE}, Organization.Status.GRADUATED),
}


@transaction.atomic
def organization_set_status(*, organization: Organization, action: str, by, reason: str = "") -> Organization:
    """Move an organization through its programme status (applicant → active → graduated, or suspended).
    Programme officers only; the move and its reason are kept in the organization's history."""
    if not by.has_perm("organizations.review_application"):
        raise PermissionDenied
    if action not in ORGANIZATION_MOVES:
        raise ValidationError(_("Unknown status change."))
    sources, target = ORGANIZATION_MOVES[action]
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if locked.status not in sources:
        raise ValidationError(
            _("%(name)s is %(status)s; this change is not possible from there.")
            % {"name": locked.name, "status": locked.get_status_display()}
        )
    locked.status = target
    if target == Organization.Status.ACTIVE and locked.joined_on is None:
        locked.joined_on = timezone.localdate()
    locked._history_user = by
    locked._change_reason = reason[:100]
    locked.save(update_fields=["status", "joined_on"])
    return locked


def _lock_memberships(organization: Organization) -> list[Membership]:
    # Lock every membership of the organization in a fixed order, so two admins demoting each other at
    # the same moment cannot leave it without an admin.
    return list(Membership.objects.select_for_update().filter(organization=organization).order_by("pk"))


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by) -> Membership:
    organization = membership.organization
    if not by.has_perm("organizations.manage_members", organization):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    locked = _lock_memberships(organization)
    current = next(m for m in locked if m.pk == membership.pk)
    admins = [m for m in locked if m.role == Role.ADMIN]
    if current.role == Role.ADMIN and role != Role.ADMIN and len(admins) == 1:
        raise ValidationError(
            {
                "role": _(
                    "An organization needs at least one administrator. Make someone else administrator first."
                )
            }
        )
    current.role = role
    current._history_user = by
    current.save(update_fields=["role"])
    return current


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    organization = membership.organization
    if not by.has_perm("organizations.manage_members", organization):
        raise PermissionDenied
    locked = _lock_memberships(organization)
    current = next((m for m in locked if m.pk == membership.pk), None)
    if current is None:
        return
    admins = [m for m in locked if m.role == Role.ADMIN]
    if current.role == Role.ADMIN and len(admins) == 1:
        raise ValidationError(
            _("An organization needs at least one administrator. Make someone else administrator first.")
        )
    current._history_user = by
    current.delete()


# Profile ---------------------------------------------------------------------------------------------


@transaction.atomic
def organization_update_profile(
    *, organization: Organization, by, data: dict, themes=None, logo=None
) -> Organization:
    """Save the profile fields an organization may edit; a new logo replaces the old file."""
    if not by.has_perm("organizations.change_profile", organization):
        raise PermissionDenied
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    for field, value in data.items():
        setattr(organization, field, value)
    if organization.credit_code:
        organization.credit_code = normalize(organization.credit_code)
    else:
        organization.credit_code = None
    old_logo = organization.logo.name if organization.logo else ""
    organization.full_clean(exclude=["logo"])
    organization._history_user = by
    if logo is not None:
        organization.logo.save(logo.name, logo, save=False)
    organization.save()
    if themes is not None:
        organization.themes.set(themes)
    if logo is not None and old_logo:
        storage = organization.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return organization


def language_for_email() -> str:
    return translation.get_language() or "en"
