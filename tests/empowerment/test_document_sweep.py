"""The beat sweep of the PDF pipeline never leaves a document "rendering" or "queued" for ever: a stuck document is
dispatched again, and after its last allowed attempt it is failed with the reason for its owner to retry."""

import datetime

import pytest
from django.utils import timezone

from empowerment.documents.services import (
    STALE_QUEUED,
    STUCK_MAX_ATTEMPTS,
    document_request,
    documents_redispatch_stale,
)
from empowerment.models import Document

pytestmark = pytest.mark.django_db


def _stuck(org_a, people, attempts):
    document = document_request(
        kind="organization_profile", subject=org_a, language="en", requested_by=people["a_admin"]
    )
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.RENDERING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
        attempts=attempts,
    )
    return document


def test_a_stuck_document_is_dispatched_again_and_rendered(org_a, people, django_capture_on_commit_callbacks):
    document = _stuck(org_a, people, attempts=1)
    assert documents_redispatch_stale() == 1  # in-process tasks: rendered at once
    document.refresh_from_db()
    assert document.status == Document.Status.READY and document.attempts == 2


def test_a_document_stuck_after_its_last_attempt_is_failed_with_the_reason(
    client, org_a, people, django_capture_on_commit_callbacks
):
    document = _stuck(org_a, people, attempts=STUCK_MAX_ATTEMPTS)
    assert documents_redispatch_stale() == 0
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert f"stopped {STUCK_MAX_ATTEMPTS} times" in document.error
    # Its owner may try again.
    client.force_login(people["a_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/documents/{document.pk}/retry/")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.READY


# A queued document the broker never hands to a worker ------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    """Sending a render task fails as with the broker unreachable; the sends are counted."""
    from empowerment.tasks import render_document  # noqa: PLC0415

    sent = []

    def refuse(document_id):
        sent.append(document_id)
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(render_document, "delay", refuse)
    return sent


def _queued_long_ago(org_a, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind="organization_profile", subject=org_a, language="en", requested_by=people["a_admin"]
        )
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    return document


def test_a_queued_document_sent_again_and_still_not_taken_after_its_timeout_is_failed_with_the_reason(
    client, org_a, people, broker_down, django_capture_on_commit_callbacks
):
    document = _queued_long_ago(org_a, people, django_capture_on_commit_callbacks)
    assert len(broker_down) == 1  # the request's own dispatch failed: the document stays queued
    now = timezone.now()

    assert documents_redispatch_stale(now=now) == 1
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED and document.redispatched_at == now
    assert len(broker_down) == 2

    # Within its timeout it waits: not sent again, not failed.
    assert documents_redispatch_stale(now=now + STALE_QUEUED - datetime.timedelta(seconds=1)) == 0
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED
    assert len(broker_down) == 2

    # Past its timeout after the last sending: failed, with the reason, for its owner to retry or discard.
    later = now + STALE_QUEUED + datetime.timedelta(seconds=1)
    assert documents_redispatch_stale(now=later) == 0
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.finished_at == later
    assert f"within {int(STALE_QUEUED.total_seconds())} seconds" in document.error
    client.force_login(people["a_admin"])
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "No worker took this document" in page
    assert f"/documents/{document.pk}/retry/" in page and f"/documents/{document.pk}/discard/" in page

    # A retry starts a fresh wait: the next sweep sends it again instead of failing it at once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/{document.pk}/retry/")
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED and document.redispatched_at is None
    assert documents_redispatch_stale(now=later + datetime.timedelta(minutes=5)) == 1
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED


def test_a_queued_document_sent_again_and_taken_by_a_worker_is_rendered_not_failed(
    org_a, people, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    document = _queued_long_ago(org_a, people, django_capture_on_commit_callbacks)
    monkeypatch.undo()  # the broker is back: the sweep's sending reaches an (in-process) worker
    now = timezone.now()
    assert documents_redispatch_stale(now=now) == 1
    document.refresh_from_db()
    assert document.status == Document.Status.READY and document.redispatched_at is None
    assert documents_redispatch_stale(now=now + STALE_QUEUED * 2) == 0
    document.refresh_from_db()
    assert document.status == Document.Status.READY


def test_a_document_put_back_to_queued_by_a_worker_gets_a_fresh_wait(
    org_a, people, broker_down, django_capture_on_commit_callbacks
):
    """A worker took it (clearing the mark of the sweep's sending) and a transient error put it back."""
    document = _queued_long_ago(org_a, people, django_capture_on_commit_callbacks)
    now = timezone.now()
    documents_redispatch_stale(now=now)
    from empowerment.documents.services import _claim, _requeue  # noqa: PLC0415

    assert _claim(document.pk) is not None
    _requeue(document.pk, "OperationalError: the database went away")
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED and document.redispatched_at is None
    # Long after the first sending it is sent again, not failed.
    assert documents_redispatch_stale(now=now + STALE_QUEUED * 2) == 1
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED
