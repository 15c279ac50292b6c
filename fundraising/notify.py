"""Signed donation notifications from online platforms.

The platform POSTs JSON to /api/donations/notify/<channel code>/ with three headers:
  X-Timestamp: Unix seconds; refused when more than NOTIFY_WINDOW from the server's clock.
  X-Nonce: a random string used once; a second message with the same nonce is a replay and is refused.
  X-Signature: hex HMAC-SHA256, keyed with the channel's secret, over "<timestamp>.<nonce>." + raw body.
Body: {"id": "...", "amount": "88.00", "date": "2024-05-01", "donor_name": "...", "show_name": true,
       "designation": "<fund code>", "campaign": "<campaign slug>", "receipt_number": "..."}.
The same donation notified twice (same "id", different nonces: a platform retry) records one donation.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import ledger, services
from .models import Campaign, Channel, Donation, Fund, NotificationNonce

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
        with transaction.atomic():
            try:
                with transaction.atomic():
                    NotificationNonce.objects.create(channel=channel, nonce=nonce)
            except IntegrityError:
                return _error(409, "replayed")
            return _record(channel, data)
    except ValidationError as exc:
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


def _record(channel: Channel, data: dict) -> Outcome:
    external_id = str(data.get("id") or "").strip()[:100]
    if not external_id:
        raise ValidationError({"id": ["missing"]})
    existing = Donation.objects.filter(channel=channel, external_id=external_id).first()
    if existing is not None:
        return Outcome(200, {"status": "duplicate", "receipt_number": existing.receipt_number})
    amount = data.get("amount")
    if not isinstance(amount, str | int):
        raise ValidationError({"amount": ['Send the amount as a string, e.g. "88.00".']})
    try:
        received_on = date.fromisoformat(str(data.get("date") or ""))
    except ValueError:
        raise ValidationError({"date": ["Send the date as YYYY-MM-DD."]}) from None
    campaign = None
    if data.get("campaign"):
        campaign = Campaign.objects.filter(slug=str(data["campaign"])[:80], channel=channel).first()
        if campaign is None:
            raise ValidationError({"campaign": ["Unknown campaign."]})
        fund = campaign.fund
    elif data.get("designation"):
        fund = Fund.objects.filter(code=str(data["designation"])[:80]).first()
        if fund is None:
            raise ValidationError({"designation": ["Unknown designation."]})
    else:
        fund = ledger.general_fund()
    try:
        with transaction.atomic():
            donation = services.donation_record(
                channel=channel,
                amount=str(amount),
                received_on=received_on,
                fund=fund,
                receipt_number=str(data.get("receipt_number") or external_id)[:64],
                external_id=external_id,
                donor_name=str(data.get("donor_name") or "")[:120],
                show_name=data.get("show_name") is True,
                campaign=campaign,
                by=None,
            )
    except ValidationError as exc:
        # A concurrent delivery of the same notification won the race: the donation exists once.
        existing = Donation.objects.filter(channel=channel, external_id=external_id).first()
        if existing is not None:
            return Outcome(200, {"status": "duplicate", "receipt_number": existing.receipt_number})
        raise exc
    return Outcome(201, {"status": "recorded", "receipt_number": donation.receipt_number})
