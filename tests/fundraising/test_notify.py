"""The signed notification endpoint: signature, replay, altered body, duplicates, bad input."""

import json
import secrets
import time

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
