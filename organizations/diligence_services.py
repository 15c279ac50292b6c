"""Every write to due-diligence documents: an organization uploads, staff verify or return, and the
beat job reminds the organization before a document lapses.

Each service is atomic, checks the acting user's permission (the organization's member role: admins and
editors upload; programme officers verify and return) and records history. Email goes through the outbox
(empowerment.mail), sent by a worker after commit, never inside the request.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from empowerment.mail import email_queue, recipient_language
from empowerment.uploads import clean_document

from .models import DueDiligenceDocument, Organization, Role

# Days before expiry at which the organization is reminded, largest first.
REMINDER_THRESHOLDS = (60, 30, 7)


def _require(user, permission: str, obj=None) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def organization_recipients(organization: Organization) -> list[str]:
    """The addresses that reach an organization: its administrators and editors and its contact email."""
    emails = set(
        organization.memberships.filter(role__in=[Role.ADMIN, Role.EDITOR]).values_list(
            "user__email", flat=True
        )
    )
    if organization.contact_email:
        emails.add(organization.contact_email.lower())
    return sorted(e for e in emails if e)


@transaction.atomic
def due_diligence_upload(
    *,
    organization: Organization,
    by,
    kind: str,
    title: str,
    file,
    expires_on: date | None = None,
    issued_on: date | None = None,
    notes: str = "",
) -> DueDiligenceDocument:
    """Store a document the organization uploads, waiting for staff to verify it. The file is checked by
    content and size and stored without its metadata (empowerment.uploads.clean_document)."""
    _require(by, "organizations.edit_records", organization)
    if kind not in DueDiligenceDocument.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of document.")})
    if file is None:
        raise ValidationError({"file": _("Choose the file to upload.")})
    try:
        cleaned = clean_document(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError(
            {"expires_on": _("This date has passed: upload the current document, with its new expiry date.")}
        )
    if expires_on is not None and issued_on is not None and expires_on < issued_on:
        raise ValidationError({"expires_on": _("A document cannot expire before it was issued.")})
    if issued_on is not None and issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
    document = DueDiligenceDocument(
        organization=organization,
        kind=kind,
        title=title.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        notes=notes.strip(),
        uploaded_by=by,
        status=DueDiligenceDocument.Status.SUBMITTED,
    )
    document.full_clean(exclude=["file"])
    document._history_user = by
    # Stored under a random name (document_upload_to); if the transaction rolls back, the file is deleted
    # a day later by empowerment.storage.delete_unreferenced.
    document.file.save(cleaned.name, cleaned, save=False)
    document.save()
    return document


def _lock_submitted(document: DueDiligenceDocument) -> DueDiligenceDocument:
    locked = (
        DueDiligenceDocument.objects.select_for_update().select_related("organization").get(pk=document.pk)
    )
    if locked.status != DueDiligenceDocument.Status.SUBMITTED:
        raise ValidationError(
            _("This document has already been %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def due_diligence_verify(*, document: DueDiligenceDocument, by) -> DueDiligenceDocument:
    """A programme officer confirms the document is genuine and current."""
    _require(by, "organizations.review_documents")
    locked = _lock_submitted(document)
    locked.status = DueDiligenceDocument.Status.VERIFIED
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = by
    locked._history_user = by
    locked.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    return locked


@transaction.atomic
def due_diligence_return(
    *, document: DueDiligenceDocument, by, reason: str, base_url: str = ""
) -> DueDiligenceDocument:
    """A programme officer sends the document back with a reason the organization reads in its portal
    (and by email, after commit)."""
    _require(by, "organizations.review_documents")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is returned; the organization reads it.")})
    locked = _lock_submitted(document)
    locked.status = DueDiligenceDocument.Status.RETURNED
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = by
    locked.return_reason = reason
    locked._history_user = by
    locked.save(update_fields=["status", "reviewed_at", "reviewed_by", "return_reason"])
    organization = locked.organization
    link = base_url.rstrip("/") + reverse("organizations:documents", args=[organization.slug])
    language = translation.get_language() or settings.LANGUAGE_CODE
    for to in organization_recipients(organization):
        email_queue(
            to=to,
            subject=lambda doc=locked: (
                _("A due-diligence document was returned: %(title)s") % {"title": doc.title}
            ),
            template="organizations/email/document_returned.txt",
            context={"document": locked, "organization": organization, "link": link},
            language=recipient_language(to, language),
            key=f"dd-returned:{locked.pk}:{to}",
        )
    return locked


def _threshold(days_left: int) -> int | None:
    """The smallest reminder threshold a document `days_left` from expiry has reached, or None."""
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def expiry_reminders_send(*, today: date | None = None, base_url: str = "") -> int:
    """Remind organizations of documents that lapse within 60, 30 and 7 days. Safe to run any number of
    times a day: each reminder is an email queued under a key of the document, its expiry date, the
    threshold and the recipient, so each goes once. A document reached late (uploaded 20 days before it
    lapses, or the job did not run for a while) gets the reminder of the threshold it is at, not the ones
    it passed. Documents that were returned or that a newer one of the same kind replaces are skipped.
    Returns the number of emails queued."""
    from .selectors import documents_to_remind  # noqa: PLC0415

    today = today or timezone.localdate()
    language = settings.LANGUAGE_CODE
    queued = 0
    for document in documents_to_remind(today=today, within_days=max(REMINDER_THRESHOLDS)):
        days_left = (document.expires_on - today).days
        threshold = _threshold(days_left)
        if threshold is None or days_left < 0:
            continue
        organization = document.organization
        link = base_url.rstrip("/") + reverse("organizations:documents", args=[organization.slug])
        with transaction.atomic():
            for to in organization_recipients(organization):
                email = email_queue(
                    to=to,
                    subject=lambda doc=document, days=days_left: (
                        _("%(kind)s expires in %(days)s days: upload the new one")
                        % {"kind": doc.get_kind_display(), "days": days}
                    ),
                    template="organizations/email/document_expiring.txt",
                    context={
                        "document": document,
                        "organization": organization,
                        "days_left": days_left,
                        "link": link,
                    },
                    language=recipient_language(to, language),
                    key=f"dd-expiry:{document.pk}:{document.expires_on.isoformat()}:{threshold}:{to}",
                )
                queued += email is not None
    return queued
