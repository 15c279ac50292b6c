"""A worker killed with SIGKILL in the middle of a render: the document is rendered once when a worker is back,
never twice, and its status does not stay "rendering"."""

import time

import pytest

from empowerment.documents.services import document_request, documents_redispatch_stale
from empowerment.documents.testing import KIND
from empowerment.models import Document
from empowerment.tasks import render_document
from tests.factories.core import OrganizationFactory

from .conftest import start_worker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _doc(pk):
    return Document.objects.get(pk=pk)


def _renders(log):
    return log.read_text().count("rendered") if log.exists() else 0


def test_a_render_interrupted_by_sigkill_is_finished_once_by_the_next_worker(real_broker, tmp_path):
    hold, log = tmp_path / "hold", tmp_path / "renders.log"
    hold.write_text("wait")
    org = OrganizationFactory()
    document = document_request(
        kind=KIND, subject=org, language="en", params={"hold": str(hold), "log": str(log)}
    )
    # The message stays unacknowledged in Redis while the worker renders (acks_late); a broker visibility
    # timeout of 2 s lets the next worker take it back at start instead of after 10 minutes.
    first = start_worker(real_broker, CELERY_VISIBILITY_TIMEOUT=2).start()
    try:
        assert wait_for(lambda: _doc(document.pk).status == "rendering", timeout=60), "render never started"
        first.kill()  # SIGKILL to the whole worker, in the middle of the render
    finally:
        first.stop()
    assert _doc(document.pk).status == "rendering"
    assert _renders(log) == 0
    hold.unlink()
    time.sleep(2.5)  # older than the visibility timeout

    second = start_worker(real_broker, CELERY_VISIBILITY_TIMEOUT=2).start()
    try:
        assert wait_for(lambda: _doc(document.pk).status in ("ready", "failed"), timeout=90), (
            f"still {_doc(document.pk).status}"
        )
        done = _doc(document.pk)
        assert done.status == "ready", done.error
        assert done.attempts == 2  # the killed attempt and the one that finished
        assert _renders(log) == 1

        # Duplicate deliveries later on (the beat job, a second message) leave the finished document alone.
        documents_redispatch_stale()
        render_document.delay(str(document.pk))
        time.sleep(4)
        again = _doc(document.pk)
        assert (again.status, again.attempts, again.sha256) == ("ready", 2, done.sha256)
        assert _renders(log) == 1
    finally:
        second.stop()


def test_a_render_left_stuck_without_a_message_is_re_dispatched_by_the_beat_job(real_broker, tmp_path):
    """The dead worker's message is gone too (e.g. the broker lost it): the beat job re-dispatches a document
    left "rendering" longer than DOCUMENT_RENDER_TIMEOUT, and a worker renders it once."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from empowerment.documents import services

    log = tmp_path / "renders.log"
    org = OrganizationFactory()
    document = Document.objects.create(  # no message is ever sent for it
        kind=KIND,
        subject_type=ContentType.objects.get_for_model(org),
        subject_id=str(org.pk),
        params={"log": str(log)},
        title="stuck",
        status="rendering",
        started_at=timezone.now() - services.STALE_RENDERING * 2,
        attempts=1,
    )
    worker = start_worker(real_broker).start()
    try:
        time.sleep(2)
        assert _doc(document.pk).status == "rendering"  # nothing happens by itself
        assert documents_redispatch_stale() == 1  # the periodic task (celery beat, every 2 minutes)
        assert wait_for(lambda: _doc(document.pk).status == "ready", timeout=90), _doc(document.pk).error
    finally:
        worker.stop()
    assert _renders(log) == 1
    assert _doc(document.pk).attempts == 2
