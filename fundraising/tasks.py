"""Celery tasks of fundraising: thin, idempotent (the service checks the batch's status under a lock)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import importing, services


@shared_task(acks_late=True)
def run_import(batch_id: int) -> None:
    importing.import_run(batch_id)


@shared_task(
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5, acks_late=True
)
def record_notifications() -> int:
    """Record the donations of pending platform notifications, a batch at a time until none is left (asked
    for after each notification is stored, and by beat every minute in case a request was lost)."""
    return services.notifications_record_all()
