"""Celery tasks of the shared pipelines (PDFs and email): thin, idempotent, retried only for transient errors."""

from celery import shared_task
from django.conf import settings

from empowerment import mail
from empowerment import storage as stored_files
from empowerment.documents import services

# Transient errors are retried this many times, after DOCUMENT_RETRY_BACKOFF seconds doubled each time
# (5, 10, 20, 40 s by default, at most 300 s); the last attempt marks the document failed with the reason.
RENDER_MAX_RETRIES = 4


def retry_countdown(retries: int) -> float:
    return min(300.0, getattr(settings, "DOCUMENT_RETRY_BACKOFF", 5.0) * 2**retries)


@shared_task(bind=True, max_retries=RENDER_MAX_RETRIES, acks_late=True, reject_on_worker_lost=True)
def render_document(self, document_id: str) -> str | None:
    # A message the broker delivers again belongs to a worker that died before acknowledging it.
    delivery = self.request.delivery_info or {}
    redelivered = bool(delivery.get("redelivered") or (self.request.headers or {}).get("redelivered"))
    try:
        document = services.document_render(
            document_id=document_id,
            redelivered=redelivered,
            final=self.request.retries >= self.max_retries,
        )
    except services.TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc
    return document.status if document else None


@shared_task
def redispatch_stale_documents() -> int:
    return services.documents_redispatch_stale()


@shared_task(bind=True, max_retries=mail.EMAIL_MAX_RETRIES, acks_late=True, reject_on_worker_lost=True)
def send_email(self, email_id: int) -> str | None:
    """Send one queued email; SMTP and network errors are retried with backoff, the last one marks it
    failed with the reason (empowerment.mail)."""
    try:
        return mail.email_send(email_id=email_id, final=self.request.retries >= self.max_retries)
    except mail.TRANSIENT_ERRORS as exc:
        raise self.retry(exc=exc, countdown=mail.retry_countdown(self.request.retries)) from exc


@shared_task
def redispatch_stale_emails() -> int:
    """Beat: send the emails left queued or stuck sending, and forget the bodies of those sent a week ago."""
    mail.emails_forget_sent_bodies()
    return mail.emails_redispatch_stale()


@shared_task
def delete_unreferenced_files() -> int:
    """Beat, daily: delete the stored files no row refers to (empowerment.storage.delete_unreferenced)."""
    return len(stored_files.delete_unreferenced())
