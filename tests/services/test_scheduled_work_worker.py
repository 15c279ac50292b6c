"""Celery beat's schedule and the scheduled reports, run by a real worker through Redis."""

import pytest
from django.conf import settings

from empowerment.celery import app as celery_app
from empowerment.models import Document
from transparency.models import TransparencyReport
from transparency.tasks import render_scheduled_reports

from .conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_every_periodic_task_in_the_beat_schedule_is_a_registered_task():
    celery_app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "empowerment.tasks.redispatch_stale_documents",
        "transparency.tasks.render_scheduled_reports",
        "transparency.tasks.announce_news",
        "transparency.tasks.send_disclosure_reminders",
    } <= names
    missing = sorted(name for name in names if name not in celery_app.tasks)
    assert not missing, f"beat would send unknown tasks: {missing}"


def test_the_scheduled_reports_are_rendered_by_a_real_worker_once_per_period_and_language(worker):
    render_scheduled_reports.delay()
    expected = 2 * len(settings.LANGUAGES)  # last month and last quarter, in every language

    def all_ready():
        docs = Document.objects.filter(kind__startswith="transparency")
        return docs.count() == expected and all(d.status == "ready" for d in docs)

    assert wait_for(all_ready, timeout=120), list(Document.objects.values_list("kind", "status", "error"))
    assert TransparencyReport.objects.count() == expected
    render_scheduled_reports.delay()  # beat runs it daily: the second run makes nothing new
    assert not wait_for(lambda: Document.objects.count() > expected, timeout=8)
    assert TransparencyReport.objects.count() == expected
