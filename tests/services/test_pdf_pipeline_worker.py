"""The PDF pipeline end to end: Redis broker, a real `celery worker` process, PostgreSQL, WeasyPrint."""

import hashlib

import pypdf
import pytest

from empowerment.documents.services import document_request
from empowerment.models import Document
from tests.factories.core import OrganizationFactory, UserFactory

from .conftest import Worker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _status(pk):
    return Document.objects.get(pk=pk).status


def test_a_real_worker_renders_the_profile_pdf_with_chinese_text(worker):
    org = OrganizationFactory(name="包头市乐龄社会工作服务中心")
    document = document_request(
        kind="organization_profile",
        subject=org,
        language="zh-hans",
        requested_by=UserFactory(is_staff=True, is_superuser=True),
    )
    assert wait_for(lambda: _status(document.pk) in ("ready", "failed")), "the worker did not finish in time"
    document.refresh_from_db()
    assert document.status == "ready", document.error
    data = document.file.open("rb").read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == document.sha256
    text = "".join(page.extract_text() for page in pypdf.PdfReader(document.file.open("rb")).pages)
    assert "包头市乐龄社会工作服务中心" in text
    assert document.verification_code in text
    assert document.attempts == 1


def test_a_document_queued_while_no_worker_runs_is_rendered_once_one_starts(real_broker):
    org = OrganizationFactory()
    document = document_request(kind="organization_profile", subject=org, language="en")
    assert _status(document.pk) == "queued"
    worker = Worker(real_broker).start()
    try:
        assert wait_for(lambda: _status(document.pk) == "ready"), Document.objects.get(pk=document.pk).error
    finally:
        worker.stop()
    assert Document.objects.get(pk=document.pk).attempts == 1
