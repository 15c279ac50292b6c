"""Signed donation notifications from online platforms.

The platform POSTs JSON to /api/donations/notify/<channel code>/ with three headers:
  X-Timestamp: Unix seconds; refused when more than NOTIFY_WINDOW from the server's clock.
  X-Nonce: a random string used once; a second message with the same nonce is a replay and is refused.
  X-Signature: hex HMAC-SHA256, keyed with the channel's secret, over "<timestamp>.<nonce>." + raw body.
Body (UTF-8 JSON, at most MAX_BODY_BYTES): {"id": "...", "amount": "88.00", "date": "2024-05-01",
  "donor_name": "...", "show_name": true, "designation": "<fund code>", "campaign": "<campaign slug>",
  "receipt_number": "..."}. "id" is a string (or an integer), "amount" a string in plain decimal notation
  with at most two places, "date" YYYY-MM-DD; the others are optional strings ("show_name" a boolean). No
  string anywhere in the body may hold a control character (NUL included) or a lone surrogate.

Every refusal is a JSON answer {"status": "error", "error": <code>, "detail": ...}: 413 "too_large" for a
body over the limit (read from Content-Length and the stream before anything is parsed), 401 for a missing,
wrong or stale signature, 400 "bad_json" / "invalid" for malformed JSON or values, 404 for an unknown
channel, 405 for another method, 409 "replayed" for a nonce seen before and 409 "conflict" for a donation
id already notified with different content (kept as a NotificationConflict for finance staff). The same
donation notified twice with the same content (a platform retry with a fresh nonce) is answered 200
"duplicate" and records one donation.

A checked notification is stored (DonationNotification) and answered at once; a worker records the
donations of stored notifications in batches, each batch one ledger posting (services.notifications_record),
so a giving day's burst is not held up by the ledger's chain lock, one notification after another. With
in-process tasks the donation is recorded before the answer is sent.
"""

import hashlib
import hmac
import json
import logging
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import BigIntegerField, Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from empowerment import freshness
from empowerment.querysets import compiled_once

from . import ledger, services
from .models import Campaign, Channel, DonationNotification, Fund, NotificationConflict, NotificationNonce

logger = logging.getLogger(__name__)

NOTIFY_WINDOW = 300
# A notification is a few hundred bytes; anything larger is refused unread (413).
MAX_BODY_BYTES = 16 * 1024
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
SURROGATE = re.compile("[\ud800-\udfff]")
AMOUNT = re.compile(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What makes two notifications of one donation id the same donation.
CONTENT_FIELDS = ("receipt_number", "amount", "received_on", "donor_name", "show_name", "fund", "campaign")


@dataclass
class Outcome:
    status: int
    body: dict


def sign(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _error(status: int, code: str, detail="", **extra) -> Outcome:
    body = {"status": "error", "error": code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Outcome(status, body)


def too_large() -> Outcome:
    return _error(
        413,
        "too_large",
        f"The body is larger than {MAX_BODY_BYTES} bytes, the limit for a notification.",
        limit_bytes=MAX_BODY_BYTES,
    )


def method_not_allowed() -> Outcome:
    return _error(405, "method_not_allowed", "Send the notification with POST.")


def read_body(meta, stream) -> bytes | Outcome:
    """The request body, read up to the limit before anything parses it: a declared Content-Length over
    the limit is refused unread, and a stream that goes on past the limit is refused too."""
    declared = meta.get("CONTENT_LENGTH") or ""
    if declared:
        try:
            length = int(declared)
        except ValueError:
            return _error(400, "bad_request", "The Content-Length header is not a number.")
        if length < 0:
            return _error(400, "bad_request", "The Content-Length header is not a number.")
        if length > MAX_BODY_BYTES:
            return too_large()
    body = stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return too_large()
    return body


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str):
    raise _NotJson(f"{name} is not a JSON number.")


def _load(body: bytes) -> dict | Outcome:
    try:
        text = body.decode("utf-8")  # strict: invalid bytes and encoded surrogates are refused
    except UnicodeDecodeError:
        return _error(400, "bad_json", "The body is not UTF-8 text.")
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except _NotJson as exc:
        return _error(400, "bad_json", str(exc))
    except (ValueError, RecursionError):
        return _error(400, "bad_json", "The body is not valid JSON.")
    if not isinstance(data, dict):
        return _error(400, "bad_json", "The body must be a JSON object.")
    return data


def _bad_strings(data: dict) -> dict[str, list[str]]:
    """Fields (top-level keys) holding, at any depth, a string with a control character or a lone
    surrogate, in keys or values."""
    problems: dict[str, list[str]] = {}
    for key, value in data.items():
        stack, found = [key, value], set()
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                if CONTROL.search(item):
                    found.add("Control characters (NUL included) are not accepted.")
                if SURROGATE.search(item):
                    found.add("Lone surrogates are not accepted.")
        if found:
            field = key if not (CONTROL.search(key) or SURROGATE.search(key)) else "__all__"
            problems.setdefault(field, []).extend(sorted(found))
    return problems


def receive(*, channel_code: str, body: bytes, headers) -> Outcome:
    """Check and record one notification; never raises for bad input. On PostgreSQL a notification
    accepted costs two statements: the channel read with the campaign or fund it names (kept a moment by
    the process for the notifications that follow: _channel), and one insert of its nonce and the
    notification together (_store)."""
    # The body is parsed before the signature is checked only so that the channel's read also finds the
    # campaign or fund it names; a malformed body is refused after the signature, as before.
    data = _load(body) if len(body) <= MAX_BODY_BYTES else None
    channel = _channel(channel_code, data if isinstance(data, dict) else None)
    if channel is None:
        return _error(404, "unknown_channel")
    if len(body) > MAX_BODY_BYTES:
        return too_large()
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
    if isinstance(data, Outcome):
        return data
    try:
        values = _parse(channel, data)
    except ValidationError as exc:
        return _invalid(exc)
    try:
        _store(channel, nonce, values)
    except IntegrityError:
        # Nothing was kept. Which rule refused it: a replayed nonce, a retried donation, a receipt clash.
        if NotificationNonce.objects.filter(channel=channel, nonce=nonce).exists():
            return _error(409, "replayed")
        stored = DonationNotification.objects.filter(
            channel=channel, external_id=values["external_id"]
        ).first()
        if stored is not None:
            differences = _differences(stored, values)
            if not differences:
                return Outcome(200, {"status": "duplicate", "receipt_number": stored.receipt_number})
            _record_conflict(channel, stored, values, differences)
            return _error(
                409,
                "conflict",
                "This donation id was notified before with different content; nothing was changed. Finance "
                "staff have been told.",
                fields=[d["field"] for d in differences],
            )
        return _invalid(ValidationError({"receipt_number": ["This receipt number is already used."]}))
    return Outcome(201, {"status": "recorded", "receipt_number": values["receipt_number"]})


def _designation(data: dict | None) -> tuple[str, str]:
    """What the notification's money is for: ("campaign", slug), ("designation", fund code) or ("general",
    ""), read once by _channel (to look it up) and by _parse (once the fields are checked). A value _parse
    refuses reads as "general" here (it is never looked up: a NUL or a lone surrogate cannot even be sent
    to the database)."""
    for kind in ("campaign", "designation"):
        value = data.get(kind) if data is not None else None
        if value is None:
            continue
        if (
            not isinstance(value, str)
            or len(value.strip()) > 80
            or CONTROL.search(value)
            or SURROGATE.search(value)
        ):
            return "general", ""
        if value.strip():
            return kind, value.strip()
    return "general", ""


# Each process keeps the channel reads it made for NOTIFY_CHANNEL_KEEP_SECONDS: on a giving day hundreds of
# notifications a second name the same channel and campaign, and that read was one of each notification's
# two statements. A change the process makes itself drops them at once (freshness.local_changes); one made
# by another process (a channel switched off, its secret replaced, a campaign added) is seen at most that
# much later, as the page copies are (empowerment.pagecache). Only a read that found the channel and what the
# money is for is kept: a campaign or fund just added is found at once. Emptied when it holds _KEPT_MAX.
_KEPT: dict[tuple[str, str, str], tuple[float, int, Channel]] = {}
_KEPT_MAX = 256


def _channel(code: str, data: dict | None) -> Channel | None:
    """The active online channel of that code, read with what the notification's money is for in the same
    statement: `found_campaign` and `found_fund`, the ids found (None when there is none). The read is
    compiled once per process for each kind of designation (`compiled_once`), and what it found is kept a
    moment (_KEPT) for the notifications that follow."""
    kind, key = _designation(data)
    wanted = (kind, code[:40], key)
    period = getattr(settings, "NOTIFY_CHANNEL_KEEP_SECONDS", 0)
    read_at, changes = time.monotonic(), freshness.local_changes()
    kept = _KEPT.get(wanted)
    if kept is not None and read_at - kept[0] < period and kept[1] == changes:
        return kept[2]
    values = {"code": code[:40]} if kind == "general" else {"code": code[:40], "key": key}
    found = next(
        iter(compiled_once(f"notified channel, {kind}", partial(_channel_read, kind), **values)), None
    )
    if period > 0 and found is not None and found.found_fund is not None:
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        _KEPT[wanted] = (read_at, changes, found)
    return found


def forget_channels() -> None:
    """Drop the channel reads this process keeps (_KEPT)."""
    _KEPT.clear()


def _channel_read(kind: str, code: str, key: str = "") -> QuerySet:
    channels = Channel.objects.filter(code=code, active=True, kind=Channel.Kind.ONLINE)
    if kind == "campaign":
        campaigns = Campaign.objects.filter(slug=key, channel=OuterRef("pk")).order_by()
        channels = channels.annotate(
            found_campaign=Subquery(campaigns.values("pk")[:1]),
            found_fund=Subquery(campaigns.values("fund_id")[:1]),
        )
    else:
        funds = (
            Fund.objects.filter(code=key)
            if kind == "designation"
            else Fund.objects.filter(kind=Fund.Kind.GENERAL)
        ).order_by()
        channels = channels.annotate(
            found_campaign=Value(None, output_field=BigIntegerField()),
            found_fund=Subquery(funds.values("pk")[:1]),
        )
    return channels.order_by("pk")[:1]


def _store(channel: Channel, nonce: str, values: dict) -> None:
    """Keep the nonce and the notification, both or neither (IntegrityError when a unique rule refuses
    either), and ask a worker to record it. On PostgreSQL one statement inserts both (a data-modifying
    WITH), so outside a transaction it is one round trip that commits itself; inside one (a test, a
    caller's atomic block) it runs under a savepoint so that a refusal leaves that transaction usable."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            NotificationNonce.objects.create(channel=channel, nonce=nonce)
            DonationNotification.objects.create(channel=channel, **values)
            transaction.on_commit(services.notifications_record_soon)
        return
    nonces = connection.ops.quote_name(NotificationNonce._meta.db_table)
    notifications = connection.ops.quote_name(DonationNotification._meta.db_table)
    now = timezone.now()
    sql = (
        f"WITH nonce AS (INSERT INTO {nonces} (channel_id, nonce, received_at) VALUES (%s, %s, %s)) "  # noqa: S608
        f"INSERT INTO {notifications} (channel_id, external_id, receipt_number, amount, received_on, "
        "donor_name, show_name, fund_id, campaign_id, status, error, received_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', %s)"
    )
    params = [
        channel.pk,
        nonce,
        now,
        channel.pk,
        values["external_id"],
        values["receipt_number"],
        values["amount"],
        values["received_on"],
        values["donor_name"],
        values["show_name"],
        values["fund_id"],
        values["campaign_id"],
        DonationNotification.Status.PENDING.value,
        now,
    ]
    # Bound and prepared on the server once per connection (empowerment.postgresql's prepared_cursor): its
    # text is the same for every notification, so neither the process writes the values into it nor the
    # server parses and plans it again.
    prepared = getattr(connection, "prepared_cursor", connection.cursor)
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        with prepared() as cursor:
            cursor.execute(sql, params)
    transaction.on_commit(services.notifications_record_soon)


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


def _optional_text(data: dict, key: str, limit: int, errors: dict) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.setdefault(key, []).append("Send a string.")
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.setdefault(key, []).append(f"At most {limit} characters.")
        return ""
    return value


def _looked_up(channel: Channel, kind: str) -> tuple[int | None, int]:
    """(campaign id, fund id) the notification's money is for, as _channel read them with the channel (it
    looked up the same `_designation` of the same body). ValidationError for an unknown campaign or fund."""
    campaign_id, fund = channel.found_campaign, channel.found_fund
    if kind == "campaign" and campaign_id is None:
        raise ValidationError({"campaign": ["Unknown campaign."]})
    if kind == "designation" and fund is None:
        raise ValidationError({"designation": ["Unknown designation."]})
    if fund is None:
        fund = ledger.general_fund().pk
    return campaign_id, fund


def _parse(channel: Channel, data: dict) -> dict:
    """The notification's donation, checked as a recorded donation is (ValidationError by field)."""
    errors = _bad_strings(data)
    if errors:
        raise ValidationError(errors)
    external_id = data.get("id")
    if isinstance(external_id, int) and not isinstance(external_id, bool):
        external_id = str(external_id)
    if not isinstance(external_id, str) or not external_id.strip():
        errors["id"] = ["Send the donation id as a non-empty string."]
        external_id = ""
    elif len(external_id.strip()) > 100:
        errors["id"] = ["At most 100 characters."]
    external_id = external_id.strip()
    amount = data.get("amount")
    if not isinstance(amount, str) or not AMOUNT.fullmatch(amount):
        errors["amount"] = [
            'Send the amount as a string in plain decimal notation with at most two decimal places, e.g. "88.00".'
        ]
        amount = None
    else:
        amount = Decimal(amount).quantize(Decimal("0.01"))
    raw_date = data.get("date")
    received_on = None
    if not isinstance(raw_date, str) or not ISO_DATE.fullmatch(raw_date):
        errors["date"] = ["Send the date as YYYY-MM-DD."]
    else:
        try:
            received_on = date.fromisoformat(raw_date)
        except ValueError:
            errors["date"] = ["Send the date as YYYY-MM-DD."]
    if received_on is not None and received_on > timezone.localdate():
        errors["date"] = ["The date cannot be in the future."]
    donor_name = _optional_text(data, "donor_name", 120, errors)
    show_name = data.get("show_name")
    if show_name is not None and not isinstance(show_name, bool):
        errors["show_name"] = ["Send true or false."]
    _optional_text(data, "designation", 80, errors)
    _optional_text(data, "campaign", 80, errors)
    receipt_number = _optional_text(data, "receipt_number", 64, errors) or external_id
    if len(receipt_number) > 64:
        errors.setdefault("receipt_number", []).append(
            "Send a receipt number of at most 64 characters (the donation id is longer)."
        )
    if errors:
        raise ValidationError(errors)
    if amount <= 0:
        raise ValidationError({"amount": ["The amount must be more than zero."]})
    # The fields are valid here, so _designation reads them as they were checked (one reading of them).
    campaign_id, fund = _looked_up(channel, _designation(data)[0])
    return {
        "external_id": external_id,
        "receipt_number": receipt_number,
        "amount": amount,
        "received_on": received_on,
        "donor_name": donor_name,
        "show_name": show_name is True,
        "fund_id": fund,
        "campaign_id": campaign_id,
    }


# Conflicts ------------------------------------------------------------------------------------------------


def _content(values: dict) -> dict:
    return {
        "receipt_number": values["receipt_number"],
        "amount": str(values["amount"]),
        "received_on": values["received_on"].isoformat(),
        "donor_name": values["donor_name"],
        "show_name": bool(values["show_name"]),
        "fund": values["fund_id"],
        "campaign": values["campaign_id"],
    }


def _stored_content(n: DonationNotification) -> dict:
    received_on = n.received_on if isinstance(n.received_on, date) else date.fromisoformat(str(n.received_on))
    return {
        "receipt_number": n.receipt_number,
        "amount": str(n.amount),
        "received_on": received_on.isoformat(),
        "donor_name": n.donor_name,
        "show_name": bool(n.show_name),
        "fund": n.fund_id,
        "campaign": n.campaign_id,
    }


def _differences(stored: DonationNotification, values: dict) -> list[dict]:
    before, now = _stored_content(stored), _content(values)
    return [
        {"field": f, "stored": before[f], "received": now[f]} for f in CONTENT_FIELDS if before[f] != now[f]
    ]


def _record_conflict(channel: Channel, stored: DonationNotification, values: dict, differences) -> None:
    _keep_conflict(channel, values["external_id"], stored, _content(values), differences)


def _keep_conflict(channel, external_id: str, notification, received: dict, differences) -> None:
    """Keep the conflicting content once (the same content sent again counts one more time and is shown
    again to finance staff if it had been marked reviewed)."""
    digest = hashlib.sha256(json.dumps(received, sort_keys=True).encode()).hexdigest()
    try:
        with transaction.atomic():
            NotificationConflict.objects.create(
                channel=channel,
                external_id=external_id,
                notification=notification,
                received=received,
                differences=differences,
                digest=digest,
            )
    except IntegrityError:
        NotificationConflict.objects.filter(channel=channel, external_id=external_id, digest=digest).update(
            times=F("times") + 1, reviewed_at=None, reviewed_by=None
        )
    logger.warning(
        "Notification %s:%s conflicts with what is recorded (%s)",
        channel.code,
        external_id,
        ", ".join(d["field"] for d in differences),
    )


def conflicts_with_recorded(pairs) -> None:
    """Notifications linked to a donation already recorded under their id (by an import of the platform's
    export, say) whose amount or date differ from it: the donation stands, and the difference is kept as a
    conflict for finance staff. `pairs`: (notification, (donation pk, amount, received_on))."""
    for n, (_pk, amount, received_on) in pairs:
        differences = [
            {"field": field, "stored": str(recorded), "received": str(notified)}
            for field, recorded, notified in (
                ("amount", amount, n.amount),
                ("received_on", received_on, n.received_on),
            )
            if recorded != notified
        ]
        _keep_conflict(n.channel, n.external_id, n, _stored_content(n), differences)


@transaction.atomic
def conflicts_mark_reviewed(*, conflicts, by) -> int:
    """Mark notification conflicts as looked at by a finance officer."""
    if by is None or not by.has_perm("fundraising.manage_money"):
        raise PermissionDenied
    ids = [c.pk for c in conflicts]
    return NotificationConflict.objects.filter(pk__in=ids, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=by
    )


# Recording in the worker ------------------------------------------------------------------------------------


def link_recorded(pairs: list[tuple[int, int]], *, recorded_at) -> None:
    """Mark notifications recorded, each linked to its donation: `pairs` of (notification id, donation
    id). One statement; each row found by its primary key (on PostgreSQL an UPDATE … FROM unnest of the
    two id arrays; elsewhere a CASE on the ids), never by a lookup per row."""
    if not pairs:
        return
    recorded = DonationNotification.Status.RECORDED
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(DonationNotification._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS n SET status = %s, recorded_at = %s, donation_id = v.donation_id "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, donation_id) WHERE n.id = v.id",
                [recorded, recorded_at, [p[0] for p in pairs], [p[1] for p in pairs]],
            )
        return
    DonationNotification.objects.filter(pk__in=[p[0] for p in pairs]).update(
        status=recorded,
        recorded_at=recorded_at,
        donation_id=Case(*(When(pk=n, then=Value(d)) for n, d in pairs), output_field=BigIntegerField()),
    )


def record_pending() -> int:
    """What the worker runs: pending notifications recorded a batch at a time. A batch that fails for a
    reason other than the database connection (which the task retries) is recorded one notification at a
    time, and a notification that fails on its own is marked failed with the reason, so that one bad
    notification never holds up the others nor stays pending for ever."""
    try:
        return services.notifications_record_all()
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Recording a batch of notifications failed; recording them one at a time")
    settled = 0
    pending = DonationNotification.objects.filter(status=DonationNotification.Status.PENDING)
    for pk in pending.order_by("pk").values_list("pk", flat=True)[: services.BULK_BATCH]:
        try:
            settled += services.notifications_record(pks=[pk])
        except (OperationalError, InterfaceError):
            raise
        except Exception as exc:
            logger.exception("Notification %s could not be recorded", pk)
            reason = f"Could not be recorded ({type(exc).__name__}: {exc})"
            settled += DonationNotification.objects.filter(
                pk=pk, status=DonationNotification.Status.PENDING
            ).update(
                status=DonationNotification.Status.FAILED, error=reason[:255], recorded_at=timezone.now()
            )
    return settled


@transaction.atomic
def notifications_retry(*, notifications, by) -> int:
    """Failed notifications back to pending, for the worker to try again (after the cause was fixed, e.g.
    a receipt number freed or a month reopened)."""
    if by is None or not by.has_perm("fundraising.manage_money"):
        raise PermissionDenied
    count = DonationNotification.objects.filter(
        pk__in=[n.pk for n in notifications], status=DonationNotification.Status.FAILED
    ).update(status=DonationNotification.Status.PENDING, error="", recorded_at=None)
    if count:
        transaction.on_commit(services.notifications_record_soon)
    return count


def needs_attention() -> dict:
    """For the finance dashboard: open notification conflicts (the latest few), failed notifications and
    failed imports."""
    from .models import ImportBatch  # noqa: PLC0415

    open_conflicts = NotificationConflict.objects.filter(reviewed_at__isnull=True)
    return {
        "conflict_count": open_conflicts.count(),
        "conflicts": list(open_conflicts.select_related("channel")[:10]),
        "failed_notifications": DonationNotification.objects.filter(
            status=DonationNotification.Status.FAILED
        ).count(),
        "failed_imports": ImportBatch.objects.filter(status=ImportBatch.Status.FAILED).count(),
    }
