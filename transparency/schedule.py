"""Periodic tasks of the transparency app, merged into CELERY_BEAT_SCHEDULE by settings."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily: the programme's reports of the last month and the last quarter appear on the 1st; running
    # every day catches up after downtime and does nothing once they exist.
    "transparency-scheduled-reports": {
        "task": "transparency.tasks.render_scheduled_reports",
        "schedule": crontab(hour=2, minute=30),
    },
    "transparency-announce-news": {
        "task": "transparency.tasks.announce_news",
        "schedule": crontab(minute="*/10"),
    },
    # Every minute: the whole open-data files whose data changed, once it has been quiet for a minute (or
    # at the latest ten minutes after a file fell behind).
    "transparency-open-data-files": {
        "task": "transparency.tasks.refresh_open_data_files",
        "schedule": crontab(minute="*"),
    },
    "transparency-disclosure-reminders": {
        "task": "transparency.tasks.send_disclosure_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}
