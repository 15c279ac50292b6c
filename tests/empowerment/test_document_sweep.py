"""The beat sweep of the PDF pipeline never leaves a document "rendering" for ever: a stuck document is
dispatched again, and after its last allowed attempt it is failed with the reason for its owner to retry."""

import datetime

import pytest
from django.utils import timezone

from empowerment.documents.services import STUCK_MAX_ATTEMPTS, document_request, documents_redispatch_stale
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
