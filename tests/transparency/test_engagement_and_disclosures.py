"""Public questions (anti-spam), answers, following by email with news of updates and disclosures, and the
disclosure calendar with frozen disclosures and dated corrections."""

import time
from datetime import date

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError

from empowerment.models import Email
from transparency import disclosure_calendar, services
from transparency.forms import _SALT
from transparency.models import Disclosure, Follower, Question


def _stamp(seconds_ago=10):
    return signing.dumps(int(time.time()) - seconds_ago, salt=_SALT)


def _question(**extra):
    return {
        "kind": "question",
        "name": "",
        "email": "reader@example.org",
        "body": "How much is left?",
        "stamp": _stamp(),
        **extra,
    }


def test_a_question_is_recorded_and_robots_are_refused(client, programme):
    url = "/transparency/project/health-checks/ask/"
    assert client.post(url, _question()).status_code == 302
    assert client.post(url, _question(website="http://spam")).status_code == 400
    assert client.post(url, _question(stamp=_stamp(0))).status_code == 400
    assert client.post(url, _question(stamp="forged")).status_code == 400
    assert Question.objects.count() == 1
    assert client.post("/transparency/project/draft-idea/ask/", _question()).status_code == 404
    assert client.post("/transparency/nonsense/health-checks/ask/", _question()).status_code == 404


def test_questions_are_rate_limited_per_address(client, programme):
    url = "/transparency/project/health-checks/ask/"
    codes = [client.post(url, _question(email=f"r{i}@example.org")).status_code for i in range(7)]
    assert codes[:5] == [302] * 5 and codes[5] == 429
    assert Question.objects.count() == 5


def test_answer_is_published_beside_the_project_and_the_asker_told(
    client, programme, django_capture_on_commit_callbacks
):
    question = services.question_ask(
        data={"kind": "concern", "name": "", "email": "a@example.org", "body": "<script>x</script>"},
        client="1.2.3.4",
        project=programme.p1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(
            question=question, answer="All receipts are online.", publish=True, by=programme.officer
        )
    assert mail.outbox[-1].to == ["a@example.org"]
    html = client.get("/projects/health-checks/").content.decode()
    assert "All receipts are online." in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    with pytest.raises(PermissionDenied):
        services.question_answer(question=question, answer="x", publish=True, by=programme.finance)


def test_follow_confirm_notify_once_and_unsubscribe(client, programme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/transparency/project/health-checks/follow/", {"email": "fan@example.org"})
    follower = Follower.objects.get()
    assert follower.confirmed_at is None and follower.token in mail.outbox[-1].body
    assert services.followers_notify(target_kind="project", target_id=programme.p1.pk, key="update:0") == 0
    client.post(f"/follow/confirm/{follower.token}/")
    update = programme.p1.updates.filter(status="approved").first()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.followers_notify(
                target_kind="project", target_id=programme.p1.pk, key=f"update:{update.pk}"
            )
            == 1
        )
        assert (
            services.followers_notify(
                target_kind="project", target_id=programme.p1.pk, key=f"update:{update.pk}"
            )
            == 0
        )
    assert mail.outbox[-1].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.post(f"/follow/unsubscribe/{follower.token}/").status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None


def test_calendar_marks_due_and_overdue_and_publishing_freezes(
    client, programme, django_capture_on_commit_callbacks
):
    today = date(2026, 5, 20)
    items = {i.key: i for i in disclosure_calendar.obligations(today=today)}
    first = items[f"project:{programme.p1.pk}:progress:2026-03-31"]
    assert first.state == "overdue" and first.due_on == date(2026, 4, 30)
    final_p2 = items[f"project:{programme.p2.pk}:final:2026-03-31"]
    assert final_p2.state == "due"
    with pytest.raises(ValidationError):  # money left: a final disclosure must explain it
        services.disclosure_publish(
            kind="final",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            due_on=final_p2.due_on,
            narrative="Done.",
            project=programme.p2,
            by=programme.officer,
        )
    with django_capture_on_commit_callbacks(execute=True):
        disclosure = services.disclosure_publish(
            kind="progress",
            period_start=first.period_start,
            period_end=first.period_end,
            due_on=first.due_on,
            narrative="Checks held <b>monthly</b>.",
            project=programme.p1,
            by=programme.officer,
        )
    assert disclosure.funds_spent == 2500 and disclosure.balance == 8500
    with pytest.raises(ValidationError):
        services.disclosure_publish(
            kind="progress",
            period_start=first.period_start,
            period_end=first.period_end,
            due_on=first.due_on,
            narrative="Again",
            project=programme.p1,
            by=programme.officer,
        )
    services.disclosure_correct(disclosure=disclosure, note="Two checks, not three.", by=programme.officer)
    disclosure.refresh_from_db()
    assert disclosure.narrative == "Checks held <b>monthly</b>."
    html = client.get("/projects/health-checks/").content.decode()
    assert "Two checks, not three." in html and "&lt;b&gt;monthly&lt;/b&gt;" in html
    assert disclosure_calendar.find(first.key, today=today).state == "done"
    assert Disclosure.objects.count() == 1


def test_reminders_are_sent_once_per_stage(programme):
    sent = services.disclosure_reminders_send(today=date(2026, 5, 20))
    assert sent > 0
    assert services.disclosure_reminders_send(today=date(2026, 5, 20)) == 0


def test_beat_announces_new_updates_and_disclosures_once_per_follower(
    programme, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from projects import services as project_services
    from transparency import tasks
    from transparency.models import Announcement

    now = timezone.now()
    fans = [
        Follower.objects.create(project=programme.p1, email=f"fan{i}@example.org", confirmed_at=now)
        for i in range(2)
    ]
    Follower.objects.create(project=programme.p1, email="unconfirmed@example.org")
    Follower.objects.create(
        project=programme.p1, email="gone@example.org", confirmed_at=now, unsubscribed_at=now
    )
    p2_fan = Follower.objects.create(project=programme.p2, email="p2fan@example.org", confirmed_at=now)
    draft_fan = Follower.objects.create(project=programme.draft, email="draft@example.org", confirmed_at=now)

    update = programme.p1.updates.filter(status="approved").first()
    new_update = type(update).objects.create(
        project=programme.p1,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        narrative="October: visits to <b>40</b> homes.",
        status="submitted",
    )
    with django_capture_on_commit_callbacks(execute=True):
        project_services.update_review(update=new_update, by=programme.officer, approve=True)
    # Published without its immediate notice (e.g. the broker was down): beat must catch it up.
    disclosure = services.disclosure_publish(
        kind="progress",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        due_on=date(2026, 10, 31),
        narrative="Quarter three.",
        project=programme.p2,
        by=programme.officer,
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.announce_news() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.announce_news() == 0

    received = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert [to for to, _subject in received] == ["fan0@example.org", "fan1@example.org", "p2fan@example.org"]
    by_to = {m.to[0]: m for m in mail.outbox}
    assert programme.p1.title in by_to["fan0@example.org"].subject
    assert f"/follow/unsubscribe/{fans[0].token}/" in by_to["fan0@example.org"].body
    # Each news email is keyed by follower and item (sent once) and recorded sent after it was sent.
    assert Email.objects.get(key=f"follow-news:{fans[0].pk}:update:{new_update.pk}").status == "sent"
    assert Email.objects.get(key=f"follow-news:{p2_fan.pk}:disclosure:{disclosure.pk}").status == "sent"
    assert not Email.objects.filter(to=draft_fan.email).exists()
    # Old approved updates (reviewed long ago or never dated) are not sent as news.
    assert set(Announcement.objects.values_list("key", flat=True)) == {
        f"update:{new_update.pk}",
        f"disclosure:{disclosure.pk}",
    }


def test_admin_closes_new_questions_without_answer_through_the_service(client, programme):
    from django.core.exceptions import PermissionDenied

    from transparency.models import Question

    new = Question.objects.create(project=programme.p1, email="q1@example.org", body="Spam spam")
    answered = Question.objects.create(
        project=programme.p1, email="q2@example.org", body="How?", status="answered", answer="Like this."
    )
    with pytest.raises(PermissionDenied):
        services.question_close(question=new, by=programme.finance)
    new.refresh_from_db()
    assert new.status == "new"

    client.force_login(programme.officer)
    response = client.post(
        "/admin/transparency/question/",
        {"action": "close", "_selected_action": [new.pk, answered.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 question(s) closed." in response.content.decode()
    new.refresh_from_db()
    answered.refresh_from_db()
    assert (new.status, answered.status) == ("closed", "answered")
    assert new.history.first().history_user == programme.officer
