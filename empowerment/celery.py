"""The Celery application. Tasks are discovered in each app's tasks.py; periodic tasks are declared in
settings.CELERY_BEAT_SCHEDULE and in BEAT_SCHEDULE below, in code."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empowerment.settings")

app = Celery("empowerment")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
