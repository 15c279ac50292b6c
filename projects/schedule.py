from celery.schedules import crontab

BEAT_SCHEDULE = {
    "projects-update-reminders": {
        "task": "projects.tasks.send_update_reminders",
        "schedule": crontab(hour=8, minute=30),
    }
}
