"""The notification pool (docker-compose.yml's `notify`): a gunicorn process of its own for the payment
platforms' signed notifications, beside the one that serves pages, both sharing PostgreSQL and Redis with a
Celery worker. A notification sent to the pool is stored, answered 201 and recorded by the worker; sent again
it is a duplicate; the pages' process serves the pages meanwhile."""

import json
import secrets
from decimal import Decimal

import pytest

from fundraising.models import Channel, Donation, DonationNotification

from .conftest import one_machine, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

requests = pytest.importorskip("requests")


@pytest.fixture
def cluster(real_broker):
    with one_machine(real_broker, workers=1, pool="solo", notify_workers=1, notify_threads=2) as running:
        yield running


def test_a_notification_sent_to_the_pool_is_recorded_while_the_pages_are_served_apart(cluster):
    from benchmarks.burst import signed_headers  # noqa: PLC0415

    channel = Channel.objects.create(code="yixi", name="Online platform", kind=Channel.Kind.ONLINE)
    [notify_port] = cluster.notify_ports  # one beside the one web process
    assert notify_port not in cluster.ports
    body = json.dumps({"id": "P-1", "amount": "88.00", "date": "2024-05-01", "donor_name": "小明"}).encode()
    address = f"http://127.0.0.1:{notify_port}/api/donations/notify/{channel.code}/"

    response = requests.post(
        address,
        data=body,
        headers=signed_headers(channel.notify_secret, secrets.token_hex(8), body),
        timeout=30,
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "recorded"
    donation = wait_for(lambda: Donation.objects.filter(channel=channel, external_id="P-1").first())
    assert donation is not None and donation.amount == Decimal("88.00")
    assert DonationNotification.objects.get(channel=channel, external_id="P-1").status == "recorded"

    # The platform retries with a fresh nonce: a duplicate, nothing more recorded.
    again = requests.post(
        address,
        data=body,
        headers=signed_headers(channel.notify_secret, secrets.token_hex(8), body),
        timeout=30,
    )
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert Donation.objects.filter(channel=channel).count() == 1

    # The pages' process serves the pages.
    page = requests.get(f"{cluster.urls[0]}/", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    assert page.status_code == 200
    cluster.check()  # every process still running
