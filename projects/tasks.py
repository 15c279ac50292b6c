"""Periodic tasks of the projects app (declared in projects/schedule.py)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def send_update_reminders() -> int:
    """Email organizations whose progress update is due within a week. Idempotent: each reminder is an
    email queued once per project, due date and recipient (empowerment.mail)."""
    return services.reminders_send(base_url=getattr(settings, "SITE_URL", ""))
