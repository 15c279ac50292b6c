from celery.schedules import crontab

BEAT_SCHEDULE = {
    "organizations-document-expiry-reminders": {
        "task": "organizations.tasks.send_document_expiry_reminders",
        "schedule": crontab(hour=8, minute=15),
    }
}
