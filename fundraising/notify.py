"""Signed donation notifications from online platforms.

The platform POSTs JSON to /api/donations/notify/<channel code>/ with three headers:
  X-Timestamp: Unix seconds; refused when more than NOTIFY_WINDOW from the server's clock.
  X-Nonce: a random string used once; a second message with the same nonce is a replay and is refused.
  X-Signature: hex HMAC-SHA256, keyed with the channel's secret, over "<timestamp>.<nonce>." + raw body.
Body: {"id": "...", "amount": "88.00", "date": "2024-05-01", "donor_name": "...", "show_name": true,
       "designation": "<fund code>", "campaign": "<campaign slug>", "receipt_number": "..."}.
The same donation notified twice (same "id", different nonces: a platform retry) records one donation.

A checked notification is stored (DonationNotification) and answered at once; a worker records the
donations of stored notifications in batches, each batch one ledger posting (services.notifications_record),
so a giving day's burst is not held up by the ledger's chain lock, one notification after another. With
in-process tasks the donation is recorded before the answer is sent.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from empowerment.money import to_money

from . import ledger, services
from .models import Campaign, Channel, DonationNotification, Fund, NotificationNonce

NOTIFY_WINDOW = 300


@dataclass
class Outcome:
    status: int
    body: dict


def sign(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _error(status: int, code: str, detail: str = "") -> Outcome:
    body = {"status": "error", "error": code}
    if detail:
        body["detail"] = detail
    return Outcome(status, body)


def receive(*, channel_code: str, body: bytes, headers) -> Outcome:
    """Check and record one notification; never raises for bad input."""
    channel = Channel.objects.filter(code=channel_code[:40], active=True, kind=Channel.Kind.ONLINE).first()
    if channel is None:
        return _error(404, "unknown_channel")
    timestamp = headers.get("X-Timestamp", "")
    nonce = headers.get("X-Nonce", "")
    signature = headers.get("X-Signature", "")
    if not (timestamp and nonce and signature) or len(nonce) > 100:
        return _error(401, "missing_signature")
    expected = sign(channel.notify_secret, timestamp, nonce, body)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        return _error(401, "bad_signature")
    try:
        sent = int(timestamp)
    except ValueError:
        return _error(401, "bad_timestamp")
    if abs(time.time() - sent) > NOTIFY_WINDOW:
        return _error(401, "stale_timestamp")
    try:
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return _error(400, "bad_json")
    try:
        values = _parse(channel, data)
    except ValidationError as exc:
        return _invalid(exc)
    try:
        with transaction.atomic():
            NotificationNonce.objects.create(channel=channel, nonce=nonce)
            DonationNotification.objects.create(channel=channel, **values)
            transaction.on_commit(services.notifications_record_soon)
    except IntegrityError:
        # Nothing was kept. Which rule refused it: a replayed nonce, a retried donation, a receipt clash.
        if NotificationNonce.objects.filter(channel=channel, nonce=nonce).exists():
            return _error(409, "replayed")
        if DonationNotification.objects.filter(channel=channel, external_id=values["external_id"]).exists():
            return Outcome(200, {"status": "duplicate", "receipt_number": _receipt_of(channel, values)})
        return _invalid(ValidationError({"receipt_number": ["This receipt number is already used."]}))
    return Outcome(201, {"status": "recorded", "receipt_number": values["receipt_number"]})


def _receipt_of(channel: Channel, values: dict) -> str:
    notification = DonationNotification.objects.filter(
        channel=channel, external_id=values["external_id"]
    ).first()
    return notification.receipt_number if notification else values["receipt_number"]


def _invalid(exc: ValidationError) -> Outcome:
    # The nonce is kept out: the platform may correct and resend the message with a fresh one.
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return Outcome(
        400,
        {
            "status": "error",
            "error": "invalid",
            "detail": {k: [str(m) for m in v] for k, v in detail.items()},
        },
    )


def _parse(channel: Channel, data: dict) -> dict:
    """The notification's donation, checked as a recorded donation is (ValidationError by field)."""
    external_id = str(data.get("id") or "").strip()[:100]
    if not external_id:
        raise ValidationError({"id": ["missing"]})
    amount = data.get("amount")
    if not isinstance(amount, str | int):
        raise ValidationError({"amount": ['Send the amount as a string, e.g. "88.00".']})
    try:
        amount = to_money(str(amount))
    except ValidationError as exc:
        raise ValidationError({"amount": exc.messages}) from None
    if amount <= 0:
        raise ValidationError({"amount": ["The amount must be more than zero."]})
    try:
        received_on = date.fromisoformat(str(data.get("date") or ""))
    except ValueError:
        raise ValidationError({"date": ["Send the date as YYYY-MM-DD."]}) from None
    if received_on > timezone.localdate():
        raise ValidationError({"date": ["The date cannot be in the future."]})
    campaign = None
    if data.get("campaign"):
        campaign = Campaign.objects.filter(slug=str(data["campaign"])[:80], channel=channel).first()
        if campaign is None:
            raise ValidationError({"campaign": ["Unknown campaign."]})
        fund = campaign.fund_id
    elif data.get("designation"):
        fund = Fund.objects.filter(code=str(data["designation"])[:80]).values_list("pk", flat=True).first()
        if fund is None:
            raise ValidationError({"designation": ["Unknown designation."]})
    else:
        fund = ledger.general_fund().pk
    receipt_number = str(data.get("receipt_number") or external_id).strip()[:64]
    return {
        "external_id": external_id,
        "receipt_number": receipt_number,
        "amount": amount,
        "received_on": received_on,
        "donor_name": str(data.get("donor_name") or "").strip()[:120],
        "show_name": data.get("show_name") is True,
        "fund_id": fund,
        "campaign": campaign,
    }
