"""Celery tasks of the shared pipeline: thin, idempotent, retried only for transient errors."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from empowerment.documents import services


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    acks_late=True,
)
def render_document(self, document_id: str) -> str | None:
    document = services.document_render(document_id=document_id)
    return document.status if document else None


@shared_task
def redispatch_stale_documents() -> int:
    return services.documents_redispatch_stale()
