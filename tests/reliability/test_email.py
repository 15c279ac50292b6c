"""Email is a task (empowerment.mail): written in the action's transaction, sent by a worker after commit,
retried with backoff on SMTP errors, marked sent only after it was sent, never able to fail the action; and
each email wholly in its recipient's language.

The mail server is a test backend that raises smtplib errors the first N times (tests/reliability/flaky_smtp.py);
Celery runs in-process, where a retry runs at once (its countdown is for a real worker)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from empowerment.mail import (
    EMAIL_MAX_RETRIES,
    email_queue,
    email_send,
    emails_redispatch_stale,
    retry_countdown,
)
from empowerment.models import Email
from organizations.models import ProgrammeApplication
from tests.transparency.conftest import programme  # noqa: F401 - fixture
from transparency import services as transparency
from transparency.models import Follower

from .flaky_smtp import FlakySMTPBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session", autouse=True)
def _catalogues():
    """The language checks need the compiled Chinese catalogues (`make test` compiles them too)."""
    call_command("compiletranslations", verbosity=0)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.reliability.flaky_smtp.FlakySMTPBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    FlakySMTPBackend.failures = 0
    FlakySMTPBackend.attempts = 0
    yield FlakySMTPBackend
    FlakySMTPBackend.failures = 0


def test_an_smtp_error_does_not_fail_the_action_and_the_email_is_retried_then_recorded_sent(
    client, application_post, flaky_smtp, django_capture_on_commit_callbacks
):
    flaky_smtp.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organizations:apply"), application_post)
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:apply_thanks")
    assert ProgrammeApplication.objects.count() == 1  # the action stood
    email = Email.objects.get()
    assert flaky_smtp.attempts == 3
    assert email.status == Email.Status.SENT and email.sent_at is not None
    assert email.attempts == 3
    assert "SMTPServerDisconnected" in email.last_error  # the reason of the last failure is kept
    assert [m.to for m in mail.outbox] == [["wangfang@example.org"]]


def test_an_email_that_never_goes_is_marked_failed_with_the_reason_and_the_action_still_stands(
    client, application_post, people, flaky_smtp, django_capture_on_commit_callbacks
):
    flaky_smtp.failures = 1000
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organizations:apply"), application_post)
    assert response.status_code == 302
    assert ProgrammeApplication.objects.count() == 1
    email = Email.objects.get()
    assert email.status == Email.Status.FAILED and email.sent_at is None
    assert email.attempts == EMAIL_MAX_RETRIES + 1 == flaky_smtp.attempts
    assert "Connection unexpectedly closed" in email.last_error
    assert mail.outbox == []

    # Staff send it again from the admin once the server is back.
    flaky_smtp.failures = 0
    client.force_login(people["administrator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:empowerment_email_changelist"),
            {"action": "retry", "_selected_action": [email.pk]},
        )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert len(mail.outbox) == 1


def test_nothing_is_sent_before_commit(flaky_smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = email_queue(
            to="x@example.org",
            subject="Hello",
            template="transparency/email/disclosure_reminder.txt",
            context={"item": {"title": "T"}},
            language="en",
        )
    assert email.status == Email.Status.QUEUED
    assert mail.outbox == [] and len(callbacks) == 1  # the send waits for the commit


def test_the_send_is_idempotent_and_a_key_queues_once(flaky_smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = email_queue(
            to="x@example.org",
            subject="Hello",
            template="transparency/email/disclosure_reminder.txt",
            context={"item": {"title": "T"}},
            language="en",
            key="once:1",
        )
        again = email_queue(
            to="x@example.org",
            subject="Hello",
            template="transparency/email/disclosure_reminder.txt",
            context={"item": {"title": "T"}},
            language="en",
            key="once:1",
        )
    assert again is None
    assert email_send(email_id=first.pk) == Email.Status.SENT  # a second delivery of the task sends nothing
    assert len(mail.outbox) == 1


def test_emails_left_queued_while_the_broker_was_down_are_sent_by_the_beat_job(flaky_smtp):
    # Written by a transaction whose on-commit dispatch never reached a worker (the broker was down).
    email = Email.objects.create(to="x@example.org", subject="Hello", body="Body", language="en")
    Email.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    fresh = Email.objects.create(to="y@example.org", subject="Hello", body="Body", language="en")
    assert emails_redispatch_stale() == 1
    email.refresh_from_db()
    fresh.refresh_from_db()
    assert email.status == Email.Status.SENT and fresh.status == Email.Status.QUEUED
    assert [m.to for m in mail.outbox] == [["x@example.org"]]


def test_retries_back_off():
    assert [retry_countdown(n) for n in range(5)] == [5.0, 10.0, 20.0, 40.0, 80.0]
    assert retry_countdown(20) == 900.0


def test_a_follower_hears_the_news_wholly_in_their_own_language_whatever_the_workers(
    programme,  # noqa: F811
    flaky_smtp,
    django_capture_on_commit_callbacks,
):
    """The worker runs in English; the follower chose Chinese: subject and body are both Chinese."""
    follower = Follower.objects.create(
        project=programme.p1, email="fan@example.org", language="zh-hans", confirmed_at=timezone.now()
    )
    update = programme.p1.updates.filter(status="approved").first()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        sent = transparency.followers_notify(
            target_kind="project", target_id=programme.p1.pk, key=f"update:{update.pk}"
        )
    assert sent == 1
    message = mail.outbox[-1]
    assert message.to == [follower.email]
    assert message.subject == f"{programme.p1.title}的动态"
    assert "一键退订" in message.body  # the unsubscribe line, translated
    assert "Unsubscribe" not in message.body and "News of" not in message.subject
    assert Email.objects.get(to=follower.email).language == "zh-hans"


def test_an_org_email_is_wholly_in_the_language_of_the_request(
    org_a, people, flaky_smtp, django_capture_on_commit_callbacks
):
    from projects import services as projects
    from tests.factories.projects import ProjectFactory, complete_proposal

    project = complete_proposal(ProjectFactory(organization=org_a))
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        projects.project_transition(project=project, action="submit", by=people["a_admin"])
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {f"项目“{project.title}”：已提交"}, subjects
    assert all("submitted" not in m.body.lower() for m in mail.outbox)
    assert {e.language for e in Email.objects.all()} == {"zh-hans"}


def test_allauths_emails_go_through_the_outbox_too(
    client, people, flaky_smtp, django_capture_on_commit_callbacks
):
    """A password reset while the mail server fails once: the page answers as usual, the email goes on retry."""
    flaky_smtp.failures = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "a-admin@example.org"})
    assert response.status_code == 302
    email = Email.objects.get(to="a-admin@example.org")
    assert email.status == Email.Status.SENT and email.attempts == 2
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_body_of_an_email_sent_a_week_ago_is_forgotten_and_the_record_kept(flaky_smtp):
    from empowerment.tasks import redispatch_stale_emails

    old = Email.objects.create(to="x@example.org", subject="Invitation", body="link /invitations/secret/")
    Email.objects.filter(pk=old.pk).update(status="sent", sent_at=timezone.now() - timedelta(days=8))
    recent = Email.objects.create(to="y@example.org", subject="Invitation", body="link /invitations/other/")
    Email.objects.filter(pk=recent.pk).update(status="sent", sent_at=timezone.now() - timedelta(days=1))
    redispatch_stale_emails.apply()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.body == "" and old.subject == "Invitation" and old.status == "sent"
    assert recent.body == "link /invitations/other/"
