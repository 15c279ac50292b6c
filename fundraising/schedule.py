"""Periodic tasks of fundraising (merged into CELERY_BEAT_SCHEDULE by the settings)."""

BEAT_SCHEDULE = {
    "record-donation-notifications": {
        "task": "fundraising.tasks.record_notifications",
        "schedule": 60.0,
    },
}
