"""A render that fails: failed with the reason; transient errors retried with growing waits a bounded number
of times; the user is offered a retry. Renders run in-process here except for the backoff test (real worker)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from empowerment.documents.services import document_request
from empowerment.documents.testing import KIND
from empowerment.models import Document
from empowerment.tasks import RENDER_MAX_RETRIES
from tests.factories.core import OrganizationFactory, UserFactory

from .conftest import start_worker, wait_for


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_a_template_error_fails_the_document_at_once_with_the_reason(django_capture_on_commit_callbacks):
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=KIND, subject=org, language="en", params={"fail": "template"})
    document.refresh_from_db()
    assert document.status == "failed"
    assert document.error.startswith("TemplateSyntaxError: Invalid block tag")
    assert document.attempts == 1  # an error in the document itself is not retried
    assert not document.file


@pytest.mark.django_db
def test_a_damaged_image_fails_the_document_and_the_retry_button_renders_it_once_the_image_is_fixed(
    client, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    name = default_storage.save("photos/damaged.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"garbage" * 50))
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=KIND, subject=org, language="en", requested_by=admin, params={"image": f"media:{name}"}
        )
    document.refresh_from_db()
    assert document.status == "failed"
    assert "BrokenResource" in document.error and name in document.error

    client.force_login(admin)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert name in page  # the reason is shown
    assert f'action="/documents/{document.pk}/retry/"' in page

    default_storage.delete(name)
    default_storage.save(name, ContentFile(_png()))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/documents/{document.pk}/retry/").status_code == 302
    document.refresh_from_db()
    assert (document.status, document.error, document.attempts) == ("ready", "", 2)


@pytest.mark.django_db
def test_a_transient_error_is_retried_a_bounded_number_of_times_then_fails_with_the_reason(
    django_capture_on_commit_callbacks, tmp_path
):
    attempts = tmp_path / "attempts.log"
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=KIND, subject=org, language="en", params={"fail": "transient", "attempts_log": str(attempts)}
        )
    document.refresh_from_db()
    assert document.status == "failed"
    assert document.error == "OSError: storage temporarily unavailable (test document)"
    assert document.attempts == RENDER_MAX_RETRIES + 1
    assert len(attempts.read_text().split()) == RENDER_MAX_RETRIES + 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_retries_of_a_transient_error_wait_longer_each_time_on_a_real_worker(real_broker, tmp_path):
    attempts = tmp_path / "attempts.log"
    org = OrganizationFactory()
    # Back-off base 0.5 s for the test worker: waits of 0.5, 1, 2 and 4 s between the five attempts.
    worker = start_worker(real_broker, DOCUMENT_RETRY_BACKOFF=0.5).start()
    try:
        document = document_request(
            kind=KIND, subject=org, language="en", params={"fail": "transient", "attempts_log": str(attempts)}
        )
        seen = []

        def status():
            current = Document.objects.get(pk=document.pk)
            seen.append(current.status)
            return current.status == "failed"

        assert wait_for(status, timeout=90, interval=0.1)
    finally:
        worker.stop()
    times = [float(t) for t in attempts.read_text().split()]
    assert len(times) == RENDER_MAX_RETRIES + 1
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    for gap, expected in zip(gaps, [0.5, 1, 2, 4], strict=True):
        assert expected * 0.9 <= gap < expected + 3, gaps
    assert "queued" in seen  # between attempts the document waits queued, never stuck "rendering"
    assert Document.objects.get(pk=document.pk).error.startswith("OSError")
