"""Celery tasks of fundraising: thin, idempotent (the service checks the batch's status under a lock)."""

from celery import shared_task

from . import importing


@shared_task(acks_late=True)
def run_import(batch_id: int) -> None:
    importing.import_run(batch_id)
