"""Periodic tasks of the organizations app (declared in organizations/schedule.py)."""

from celery import shared_task
from django.conf import settings

from . import diligence_services


@shared_task
def send_document_expiry_reminders() -> int:
    """Email organizations whose due-diligence documents lapse within 60, 30 or 7 days. Idempotent: each
    reminder is queued once per document, expiry date, threshold and recipient (empowerment.mail)."""
    return diligence_services.expiry_reminders_send(base_url=getattr(settings, "SITE_URL", ""))
