"""Redis (broker and cache) stopped: pages, the portal and the admin keep working, a PDF requested meanwhile
stays queued and is rendered once the broker is back; /healthz says what is down."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse

from empowerment.documents.services import documents_redispatch_stale
from empowerment.models import Document
from tests.factories.core import PASSWORD
from tests.services.conftest import Worker

from .conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_with_redis_stopped_the_site_works_and_a_pdf_request_waits_queued_until_it_is_back(
    private_broker, people, org_a, client
):
    private_broker.stop()

    # Logging in goes through allauth's rate limit, which counts in the (unreachable) cache.
    response = client.post(reverse("account_login"), {"login": "a-admin@example.org", "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    for url in (
        "/",
        reverse("organizations:apply"),
        reverse("organizations:portal_dashboard", args=[org_a.slug]),
    ):
        assert client.get(url).status_code == 200, url

    started = time.monotonic()
    response = client.post(reverse("organizations:profile_pdf", args=[org_a.slug]))
    took = time.monotonic() - started
    assert response.status_code == 302
    document = Document.objects.get(kind="organization_profile", subject_id=str(org_a.pk))
    assert document.status == "queued"
    assert took < 15, f"the request hung {took:.1f} s on the unreachable broker"
    assert client.get(response["Location"]).status_code == 200  # the document page says "queued"

    client.force_login(people["administrator"])
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:empowerment_document_changelist")).status_code == 200

    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    checks = health.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"].startswith("down")
    assert checks["cache"].startswith("down")

    # Redis is back and a worker runs: the beat job dispatches the document left queued; it renders once.
    private_broker.start()
    worker = Worker(
        private_broker.queue,
        extra_env={"CELERY_BROKER_URL": private_broker.url, "REDIS_URL": private_broker.url},
    ).start()
    try:
        assert documents_redispatch_stale(older_than=timedelta(0)) == 1
        assert wait_for(
            lambda: Document.objects.get(pk=document.pk).status in ("ready", "failed"), timeout=90
        )
    finally:
        worker.stop()
    document.refresh_from_db()
    assert document.status == "ready", document.error
    assert document.attempts == 1
    assert client.get(reverse("healthz")).status_code == 200
