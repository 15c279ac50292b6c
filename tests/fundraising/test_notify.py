"""The signed notification endpoint: signature, replay, altered body, duplicates, bad input; and the batched
recording of stored notifications as donations (one ledger posting per batch)."""

import json
import secrets
import time
from decimal import Decimal

import pytest

from fundraising.models import Channel, Donation, LedgerEntry
from fundraising.notify import sign

pytestmark = pytest.mark.django_db
URL = "/api/donations/notify/{}/"


@pytest.fixture
def channel(db):
    return Channel.objects.create(code="yixi", name="Online platform", kind=Channel.Kind.ONLINE)


def _post(client, channel, payload, *, secret=None, timestamp=None, nonce=None, body=None, tamper=None):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = str(timestamp if timestamp is not None else int(time.time()))
    nonce = nonce or secrets.token_hex(8)
    signature = sign(secret or channel.notify_secret, timestamp, nonce, body)
    if tamper:
        body = tamper(body)
    from django.test import TestCase

    # The request's on-commit work (recording the stored notification) runs as it would after a commit.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            URL.format(channel.code),
            body,
            content_type="application/json",
            HTTP_X_TIMESTAMP=timestamp,
            HTTP_X_NONCE=nonce,
            HTTP_X_SIGNATURE=signature,
        )


GIFT = {"id": "N-1", "amount": "88.00", "date": "2024-05-01", "donor_name": "小明", "show_name": True}


def test_a_signed_notification_records_one_donation(client, channel):
    response = _post(client, channel, GIFT)
    assert response.status_code == 201, response.content
    donation = Donation.objects.get()
    assert donation.external_id == "N-1" and str(donation.amount) == "88.00"
    # The platform retries with a fresh nonce: still one donation.
    again = _post(client, channel, GIFT)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert Donation.objects.count() == 1 and LedgerEntry.objects.count() == 2


def test_replayed_altered_wrongly_signed_or_stale_messages_are_refused(client, channel):
    nonce = "fixed-nonce"
    assert _post(client, channel, GIFT, nonce=nonce).status_code == 201
    assert _post(client, channel, {**GIFT, "id": "N-2"}, nonce=nonce).status_code == 409
    altered = _post(client, channel, {**GIFT, "id": "N-3"}, tamper=lambda b: b.replace(b"88.00", b"8800.00"))
    assert altered.status_code == 401
    assert _post(client, channel, {**GIFT, "id": "N-4"}, secret="wrong").status_code == 401
    assert _post(client, channel, {**GIFT, "id": "N-5"}, timestamp=int(time.time()) - 3600).status_code == 401
    assert Donation.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1,2]",
        json.dumps({**GIFT, "amount": "1.005"}).encode(),
        json.dumps({**GIFT, "amount": 1.5}).encode(),
        json.dumps({**GIFT, "date": "2999-01-01"}).encode(),
        json.dumps({**GIFT, "designation": "nowhere"}).encode(),
        json.dumps({**GIFT, "id": ""}).encode(),
        "\udcff".encode("utf-8", "surrogatepass"),
    ],
)
def test_bad_input_gets_a_4xx_json_answer_never_500(client, channel, body):
    response = _post(client, channel, None, body=body)
    assert 400 <= response.status_code < 500
    assert response.json()["status"] == "error"
    assert Donation.objects.count() == 0


def test_unsigned_requests_and_unknown_channels_are_refused(client, channel):
    assert client.post(URL.format(channel.code), GIFT).status_code == 401
    assert client.post(URL.format("nope"), GIFT).status_code == 404
    assert client.get(URL.format(channel.code)).status_code == 405


def _store(channel, **values):
    from fundraising import ledger
    from fundraising.models import DonationNotification

    defaults = {
        "external_id": values.get("external_id", "X"),
        "receipt_number": values.get("external_id", "X"),
        "amount": "20.00",
        "received_on": "2024-05-02",
        "fund": ledger.general_fund(),
    }
    return DonationNotification.objects.create(channel=channel, **{**defaults, **values})


def test_with_a_worker_the_answer_comes_first_and_a_batch_records_every_stored_notification(
    client, channel, settings, monkeypatch
):
    from fundraising import ledger, services, tasks
    from fundraising.models import DonationNotification, LedgerTransaction

    settings.CELERY_TASK_ALWAYS_EAGER = False
    asked = []
    monkeypatch.setattr(tasks.record_notifications, "apply_async", lambda **kw: asked.append(kw))
    for n in range(5):
        assert _post(client, channel, {**GIFT, "id": f"W-{n}"}).status_code == 201
    # Stored and answered; one recording asked for, a moment later so that a burst makes one batch.
    assert Donation.objects.count() == 0 and asked == [{"countdown": services.RECORD_GATHER_SECONDS}]
    assert DonationNotification.objects.filter(status="pending").count() == 5
    transactions = LedgerTransaction.objects.count()
    assert services.notifications_record_all() == 5  # what the worker runs
    assert Donation.objects.filter(channel=channel).count() == 5
    assert LedgerTransaction.objects.count() == transactions + 5
    assert set(DonationNotification.objects.values_list("status", flat=True)) == {"recorded"}
    assert all(n.donation.external_id == n.external_id for n in DonationNotification.objects.all())
    assert ledger.ledger_verify() == []
    assert services.notifications_record_all() == 0  # run again: nothing more
    assert Donation.objects.count() == 5


def test_recording_links_a_donation_already_imported_and_refuses_a_taken_receipt_or_closed_month(
    channel, people
):
    import datetime

    from fundraising import ledger, services
    from fundraising.models import PeriodClose
    from tests.factories.fundraising import donate

    imported = donate(channel=channel, external_id="I-1", receipt_number="R-IMPORTED", amount="30.00")
    same = _store(channel, external_id="I-1", receipt_number="R-OTHER")
    clash = _store(channel, external_id="I-2", receipt_number="R-IMPORTED")
    PeriodClose.objects.create(month=datetime.date(2024, 1, 1), closed_by=people["finance_officer"])
    closed = _store(channel, external_id="I-3", received_on="2024-01-20")
    fine = _store(channel, external_id="I-4")
    assert services.notifications_record_all() == 4
    for n in (same, clash, closed, fine):
        n.refresh_from_db()
    assert same.status == "recorded" and same.donation == imported
    assert clash.status == "failed" and "R-IMPORTED" in clash.error
    assert closed.status == "failed" and "2024-01" in closed.error
    assert fine.status == "recorded" and fine.donation.amount == Decimal("20.00")
    assert Donation.objects.filter(channel=channel).count() == 2
    assert ledger.ledger_verify() == []


def test_pending_notifications_are_recorded_by_the_admin_action_of_a_finance_officer(client, channel, people):
    from fundraising.models import DonationNotification

    pending = _store(channel, external_id="A-1")
    client.force_login(people["finance_officer"])
    response = client.post(
        "/admin/fundraising/donationnotification/",
        {"action": "record_pending", "_selected_action": [pending.pk]},
    )
    assert response.status_code == 302
    assert DonationNotification.objects.get().status == "recorded"
