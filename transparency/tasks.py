"""Celery tasks of the transparency app: thin and idempotent (every service they call is safe to run
twice), retried only for transient errors."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5, acks_late=True)
def render_scheduled_reports() -> int:
    """The programme's reports of the last month and quarter, in every language (one per period and
    language, however often beat runs this)."""
    return len(services.reports_schedule())


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5, acks_late=True)
def send_disclosure_reminders() -> int:
    return services.disclosure_reminders_send()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5, acks_late=True)
def announce_news() -> int:
    """Beat: followers hear of newly approved progress updates and published disclosures (each once), so
    the apps that approve and publish need not know about followers."""
    return services.announcements_send()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5, acks_late=True)
def notify_followers(target_kind: str, target_id: int, key: str, base_url: str = "") -> int:
    """The hook for other apps: call after commit when an update is approved (key "update:<id>",
    target_kind "project") or a disclosure published ("disclosure:<id>"). Each follower hears once."""
    return services.followers_notify(target_kind=target_kind, target_id=target_id, key=key, base_url=base_url)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5, acks_late=True)
def refresh_dashboard() -> None:
    """Recompute the public dashboard's snapshot (asked for when a visitor saw it stale)."""
    services.dashboard_refresh()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5, acks_late=True)
def refresh_open_data_files() -> list[str]:
    """Beat: build again the whole open-data files whose data changed (debounced; one worker at a time;
    transparency.opendata_files.refresh). Safe to run twice: a fresh file is left as it is."""
    from . import opendata_files  # noqa: PLC0415

    return opendata_files.refresh()
