"""Celery tasks of fundraising: thin, idempotent (the services check each batch's status under a lock)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import importing, ledger, notify


@shared_task(acks_late=True)
def run_import(batch_id: int) -> None:
    importing.import_run(batch_id)


@shared_task
def sweep_stale_imports() -> dict:
    """Beat: imports left queued are dispatched again; imports whose worker died are queued again or
    failed with the reason; rows kept by dry runs that no run will read are dropped."""
    counts = importing.imports_sweep_stale()
    counts["kept_dropped"] = importing.imports_sweep_kept()
    return counts


@shared_task(
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5, acks_late=True
)
def record_notifications() -> int:
    """Record the donations of pending platform notifications, a batch at a time until none is left (asked
    for after each notification is stored, and by beat every minute in case a request was lost). A batch
    that fails for a reason other than the database connection is recorded one notification at a time, and
    each notification that still fails is marked failed with the reason."""
    return notify.record_pending()


@shared_task(
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5, acks_late=True
)
def take_daily_checkpoint() -> str:
    """Publish today's ledger checkpoint (one per day: a second run returns the one taken)."""
    from .checkpoints import checkpoint_daily  # noqa: PLC0415

    return checkpoint_daily().code


@shared_task(
    autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=5, acks_late=True
)
def chain_ledger() -> int:
    """Give the entries of a large import their place in the hash chain, a chunk per transaction (asked for
    when such an import commits, and by beat every minute in case that request was lost). Safe to run twice
    or at once: each chunk is taken under the chain head and only entries still unchained are chained."""
    return ledger.chain_all_pending()
