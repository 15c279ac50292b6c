"""Periodic tasks of fundraising (merged into CELERY_BEAT_SCHEDULE by the settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The day's ledger checkpoint (chain head and balances), published; once a day, safe to run twice.
    "ledger-daily-checkpoint": {
        "task": "fundraising.tasks.take_daily_checkpoint",
        "schedule": crontab(hour=23, minute=55),
    },
    "record-donation-notifications": {
        "task": "fundraising.tasks.record_notifications",
        "schedule": 60.0,
    },
    # Entries of a large import waiting for their place in the hash chain (the import asks at commit too).
    "chain-ledger-entries": {
        "task": "fundraising.tasks.chain_ledger",
        "schedule": 60.0,
    },
    "sweep-stale-imports": {
        "task": "fundraising.tasks.sweep_stale_imports",
        "schedule": 120.0,
    },
}
