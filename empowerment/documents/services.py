"""Writes of the PDF pipeline: request a document, render it (in the worker), retry or discard a failed one."""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from empowerment.models import Document

from . import registry
from .rendering import PdfEngineUnavailable, html_to_pdf

logger = logging.getLogger(__name__)

# A document left "rendering" longer than this is taken to belong to a dead worker and may be rendered again.
STALE_RENDERING = timedelta(seconds=getattr(settings, "DOCUMENT_RENDER_TIMEOUT", 300))

# Errors that may pass (database or storage hiccups): the task retries them with backoff, a bounded number of
# times; any other error is in the document itself (template, damaged image) and fails it at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


def _dispatch(document_id) -> None:
    from empowerment.tasks import render_document  # noqa: PLC0415 - tasks import services

    try:
        render_document.delay(str(document_id))
    except Exception:  # the broker is down: the document stays queued and the beat job re-dispatches it
        logger.exception("Could not dispatch document %s; it stays queued", document_id)


def document_request(
    *, kind: str, subject, language: str, requested_by=None, params: dict | None = None
) -> Document:
    """Queue a PDF of `subject`. Returns the document already queued or rendering for the same request,
    if any, instead of queueing it twice. Dispatches the render task after commit."""
    spec = registry.get(kind)
    if requested_by is not None and not spec.can_request(requested_by, subject):
        raise PermissionDenied
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    params = params or {}
    subject_type = ContentType.objects.get_for_model(subject)
    with transaction.atomic():
        pending = (
            Document.objects.select_for_update()
            .filter(
                kind=kind,
                subject_type=subject_type,
                subject_id=str(subject.pk),
                language=language,
                params=params,
                status__in=[Document.Status.QUEUED, Document.Status.RENDERING],
            )
            .first()
        )
        if pending is not None:
            return pending
        with translation.override(language):
            title = str(spec.title(subject, params))
        document = Document.objects.create(
            kind=kind,
            language=language,
            subject_type=subject_type,
            subject_id=str(subject.pk),
            params=params,
            title=title[:255],
            requested_by=requested_by,
        )
        transaction.on_commit(lambda: _dispatch(document.pk))
    return document


def document_retry(*, document: Document, user) -> Document:
    """Queue a failed document again (the user must be allowed to request it)."""
    spec = registry.get(document.kind)
    if not spec.can_request(user, document.subject):
        raise PermissionDenied
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Document.Status.FAILED:
            return locked
        locked.status = Document.Status.QUEUED
        locked.error = ""
        locked.redispatched_at = None
        locked.save(update_fields=["status", "error", "redispatched_at"])
        transaction.on_commit(lambda: _dispatch(locked.pk))
    return locked


def document_discard(*, document: Document, user) -> bool:
    """Delete a failed document (the user must be allowed to request it), so that it no longer waits on its
    owner's screens. Returns False, and leaves it alone, when it is not failed (any more)."""
    spec = registry.get(document.kind)
    if not spec.can_request(user, document.subject):
        raise PermissionDenied
    with transaction.atomic():
        locked = Document.objects.select_for_update().filter(pk=document.pk).first()
        if locked is None or locked.status != Document.Status.FAILED:
            return False
        name = locked.file.name if locked.file else ""
        locked.delete()
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))
    return True


def _claim(document_id, *, redelivered: bool = False) -> Document | None:
    """Mark the document rendering, unless it is done or another live worker has it.

    A message delivered again by the broker (`redelivered`: its worker died before acknowledging it) takes
    over a document left "rendering" at once; otherwise only after DOCUMENT_RENDER_TIMEOUT.
    """
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == Document.Status.READY:
            return None
        now = timezone.now()
        if (
            document.status == Document.Status.RENDERING
            and not redelivered
            and document.started_at
            and now - document.started_at < STALE_RENDERING
        ):
            return None
        document.status = Document.Status.RENDERING
        document.started_at = now
        document.attempts += 1
        document.redispatched_at = None  # a worker has it: a later requeue starts a fresh wait
        document.save(update_fields=["status", "started_at", "attempts", "redispatched_at"])
        return document


def _requeue(document_id, reason: str) -> None:
    """A transient error: back to queued (the task retries later), with the reason kept for the user."""
    Document.objects.filter(pk=document_id, status=Document.Status.RENDERING).update(
        status=Document.Status.QUEUED, error=reason[:2000]
    )


def _fail(document_id, reason: str) -> None:
    Document.objects.filter(pk=document_id).exclude(status=Document.Status.READY).update(
        status=Document.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def public_url(path: str) -> str:
    """An absolute address on the public site (settings.SITE_URL), for links printed on documents."""
    return settings.SITE_URL.rstrip("/") + path


def document_verification(document: Document) -> tuple[str, str]:
    """The one verification code printed on a document and the public address that checks it: the
    subject's own code when its kind has one (a certificate), otherwise the document's."""
    spec = registry.get(document.kind)
    code = document.verification_code
    if spec.verification_code is not None:
        code = spec.verification_code(document.subject, document.params) or code
    return code, public_url(reverse("verify_code", args=[code]))


def document_build_html(document: Document) -> str:
    spec = registry.get(document.kind)
    with translation.override(document.language):
        context = spec.build_context(document.subject, document.params)
        code, url = document_verification(document)
        return render_to_string(
            spec.template, {**context, "document": document, "verification_code": code, "verify_url": url}
        )


def document_render(*, document_id, redelivered: bool = False, final: bool = True) -> Document | None:
    """Render a queued document. Safe to run twice: a ready document is left alone, a document another
    worker is rendering is skipped, and the output file is overwritten, never appended.

    An error in the document itself (template, damaged image, missing libraries) marks it failed with the
    reason. A transient error (database, storage) puts it back to queued and is raised so that the task
    retries with backoff; on the `final` attempt it marks the document failed instead.
    """
    document = _claim(document_id, redelivered=redelivered)
    if document is None:
        return None
    try:
        if document.subject is None:
            raise LookupError("The subject of this document no longer exists.")
        html = document_build_html(document)
        pdf = html_to_pdf(html)
        return _store(document_id, document, pdf)
    except PdfEngineUnavailable as exc:
        _fail(document_id, str(exc))
        return None
    except TRANSIENT_ERRORS as exc:
        reason = f"{type(exc).__name__}: {exc}"
        if final:
            logger.exception("Rendering document %s failed for good", document_id)
            _fail(document_id, reason)
            return None
        logger.warning("Rendering document %s failed (%s); it will be retried", document_id, reason)
        _requeue(document_id, reason)
        raise
    except Exception as exc:
        logger.exception("Rendering document %s failed", document_id)
        _fail(document_id, f"{type(exc).__name__}: {exc}")
        return None


def _store(document_id, document: Document, pdf: bytes) -> Document:
    name = f"documents/{document.created_at:%Y/%m}/{document.pk}.pdf"
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document_id)
        if locked.status == Document.Status.READY:
            return locked
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(pdf))
        locked.file.name = saved
        locked.size = len(pdf)
        locked.sha256 = hashlib.sha256(pdf).hexdigest()
        locked.status = Document.Status.READY
        locked.finished_at = timezone.now()
        locked.error = ""
        locked.save(update_fields=["file", "size", "sha256", "status", "finished_at", "error"])
    return locked


# The sweep gives up on a document rendered this many times without finishing (each try killed its worker,
# say) and marks it failed with the reason: the user sees it and may try again, instead of a document that
# stays "rendering" for ever.
STUCK_MAX_ATTEMPTS = 5

# A queued document (the broker lost or never took its message) is dispatched again once by the sweep; if no
# worker has taken it DOCUMENT_RENDER_TIMEOUT after that, it is failed with the reason, so that it never
# stays "queued" for ever without a way out (its owner may retry or discard it).
STALE_QUEUED = STALE_RENDERING

QUEUED_TOO_LONG = (
    "No worker took this document within {seconds} seconds of sending it again "
    "(the task queue may be down). Try again later."
)


def documents_redispatch_stale(*, older_than: timedelta = timedelta(minutes=2), now=None) -> int:
    """Re-dispatch documents left queued (broker was down) or stuck rendering (worker died); fail those
    that have been tried STUCK_MAX_ATTEMPTS times, and those still queued STALE_QUEUED after the sweep sent
    them again. Returns how many were re-dispatched."""
    now = now or timezone.now()
    stuck = Document.objects.filter(status=Document.Status.RENDERING, started_at__lt=now - STALE_RENDERING)
    for pk in stuck.filter(attempts__gte=STUCK_MAX_ATTEMPTS).values_list("pk", flat=True):
        _fail(pk, f"Rendering stopped {STUCK_MAX_ATTEMPTS} times without finishing (the worker was lost).")
    queued = Document.objects.filter(status=Document.Status.QUEUED)
    # Sent again by an earlier sweep and still not taken by a worker: give up, with the reason.
    given_up = Document.objects.filter(
        status=Document.Status.QUEUED, redispatched_at__lt=now - STALE_QUEUED
    ).update(
        status=Document.Status.FAILED,
        error=QUEUED_TOO_LONG.format(seconds=int(STALE_QUEUED.total_seconds())),
        finished_at=now,
    )
    if given_up:
        logger.warning("%s queued document(s) were never taken by a worker and are failed", given_up)
    # Queued for a while and not yet sent again: send once more and note when.
    to_resend = list(
        queued.filter(created_at__lt=now - older_than, redispatched_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    Document.objects.filter(pk__in=to_resend, status=Document.Status.QUEUED).update(redispatched_at=now)
    ids = to_resend + list(stuck.values_list("pk", flat=True))
    for pk in ids:
        _dispatch(pk)
    return len(ids)
