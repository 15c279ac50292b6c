"""The signed notification endpoint: signature, replay, altered body, duplicates, bad input; and the batched
recording of stored notifications as donations (one ledger posting per batch)."""

import json
import secrets
import threading
import time
from decimal import Decimal

import pytest

from fundraising.models import Channel, Donation, DonationNotification, LedgerEntry
from fundraising.notify import sign
from tests.conftest import requires_postgres

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


def _receive(channel, payload, *, code=None, nonce=None):
    """notify.receive called directly, as the view calls it, with a correctly signed body."""
    from fundraising.notify import receive

    body = json.dumps(payload).encode()
    stamp, nonce = str(int(time.time())), nonce or secrets.token_hex(8)
    headers = {
        "X-Timestamp": stamp,
        "X-Nonce": nonce,
        "X-Signature": sign(channel.notify_secret, stamp, nonce, body),
    }
    return receive(channel_code=code or channel.code, body=body, headers=headers)


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


def _watch_recording_dispatch(settings, monkeypatch):
    """With a worker (not in-process): the recording tasks sent and the cache round trips asking for the
    shared flag, each listed."""
    from django.core.cache import cache

    from fundraising import services, tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent, asked = [], []
    monkeypatch.setattr(tasks.record_notifications, "apply_async", lambda **kw: sent.append(kw))
    for name in ("add", "add_and_get_many"):
        method = getattr(cache, name, None)
        if method is not None:
            monkeypatch.setattr(
                cache,
                name,
                lambda key, *a, _method=method, **kw: asked.append(key) or _method(key, *a, **kw),
            )
    return sent, lambda: asked.count(services._RECORD_QUEUED)


def test_a_process_that_just_sent_the_recording_task_does_not_ask_the_shared_flag_again(
    client, channel, settings, monkeypatch
):
    from django.core.cache import cache

    from fundraising import services

    sent, asked = _watch_recording_dispatch(settings, monkeypatch)
    assert _post(client, channel, {**GIFT, "id": "S-1"}).status_code == 201
    assert len(sent) == 1 and asked() == 1
    # Even with the shared flag gone, a notification a moment later is left to the task this process sent:
    # it waits RECORD_GATHER_SECONDS before it reads what is pending, so it will find this one too. (The
    # task is made older by moving the time it was sent back: the requests themselves take a moment.)
    cache.delete(services._RECORD_QUEUED)
    services._record_sent_at[0] -= services.RECORD_GATHER_SECONDS - services.RECORD_CLOCK_MARGIN - 0.2
    assert _post(client, channel, {**GIFT, "id": "S-2"}).status_code == 201
    assert len(sent) == 1 and asked() == 1
    # Past the wait less the clocks' margin, the flag is asked for again, and with the flag gone (the task
    # started) a new task is sent.
    services._record_sent_at[0] -= 0.3
    assert _post(client, channel, {**GIFT, "id": "S-3"}).status_code == 201
    assert len(sent) == 2 and asked() == 2
    assert services.notifications_record_all() == 3  # what the worker runs: each of them recorded


def test_a_process_learns_from_the_shared_flag_when_another_process_sent_the_recording_task(
    client, channel, settings, monkeypatch
):
    import time

    from django.core.cache import cache

    from fundraising import services

    sent, asked = _watch_recording_dispatch(settings, monkeypatch)
    # Another process (or machine) sent the task a moment ago: the flag holds when.
    cache.set(services._RECORD_QUEUED, time.time() - 0.1, 30)
    assert _post(client, channel, {**GIFT, "id": "L-1"}).status_code == 201
    assert sent == [] and asked() == 1  # asked once: the task waiting will record it
    assert _post(client, channel, {**GIFT, "id": "L-2"}).status_code == 201
    assert sent == [] and asked() == 1  # not asked again while that task cannot have started
    # A task sent longer ago than the gathering wait less the clocks' margin may be starting: asked again,
    # and with the flag gone (it started) a new task is sent.
    cache.delete(services._RECORD_QUEUED)
    services._record_sent_at[0] -= services.RECORD_GATHER_SECONDS - services.RECORD_CLOCK_MARGIN
    assert _post(client, channel, {**GIFT, "id": "L-3"}).status_code == 201
    assert len(sent) == 1 and asked() == 2
    # A time ahead of this process's clock (its clock set back, or the other machine's ahead) is not
    # trusted: every notification asks.
    services.forget_record_sent()
    cache.set(services._RECORD_QUEUED, time.time() + 60, 30)
    for n in range(2):
        assert _post(client, channel, {**GIFT, "id": f"L-{4 + n}"}).status_code == 201
    assert len(sent) == 1 and asked() == 4
    assert services.notifications_record_all() == 5


@requires_postgres
def test_on_postgresql_the_notifications_insert_is_prepared_once_per_connection(client, channel):
    from django.db import connection

    def prepared() -> list:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                ["WITH nonce AS (INSERT%"],
            )
            return cursor.fetchall()

    for n in range(3):
        assert _post(client, channel, {**GIFT, "id": f"P-{n}"}).status_code == 201
    # One prepared statement, bound on the server: the values are not written into its text.
    assert len(prepared()) == 1 and "$1" in prepared()[0][0]
    assert DonationNotification.objects.filter(external_id__startswith="P-").count() == 3


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
    # The imported donation stands (30.00); the notification said 20.00: kept for finance staff to see.
    from fundraising.models import NotificationConflict

    conflict = NotificationConflict.objects.get()
    assert conflict.notification == same and conflict.external_id == "I-1"
    assert {"field": "amount", "stored": "30.00", "received": "20.00"} in conflict.differences
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


# Every refusal in JSON; size, values, conflicts -------------------------------------------------------------


def _raw(client, channel, body: bytes, **extra):
    timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
    return client.post(
        URL.format(channel.code),
        body,
        content_type="application/json",
        HTTP_X_TIMESTAMP=timestamp,
        HTTP_X_NONCE=nonce,
        HTTP_X_SIGNATURE=sign(channel.notify_secret, timestamp, nonce, body),
        **extra,
    )


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(client, channel):
    from fundraising.notify import MAX_BODY_BYTES

    padded = json.dumps({**GIFT, "note": "x" * MAX_BODY_BYTES}).encode()
    response = _raw(client, channel, padded)
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "error",
        "error": "too_large",
        "detail": f"The body is larger than {MAX_BODY_BYTES} bytes, the limit for a notification.",
        "limit_bytes": MAX_BODY_BYTES,
    }
    # The declared length is enough: 13 MB announced, refused without reading it.
    announced = _raw(client, channel, json.dumps(GIFT).encode(), CONTENT_LENGTH=str(13 * 1024 * 1024))
    assert announced.status_code == 413 and announced.json()["error"] == "too_large"
    # The 10 MB body that used to be accepted.
    ten = _raw(client, channel, b" " * (10 * 1024 * 1024) + json.dumps(GIFT).encode())
    assert ten.status_code == 413
    assert Donation.objects.count() == 0
    # Just under the limit is read and answered on its merits.
    fits = json.dumps({**GIFT, "note": "x" * (MAX_BODY_BYTES - 200)}).encode()
    assert len(fits) <= MAX_BODY_BYTES
    assert _raw(client, channel, fits).status_code == 201


def test_the_limit_is_stated_in_the_readme():
    from pathlib import Path

    from django.conf import settings

    from fundraising.notify import MAX_BODY_BYTES

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert f"{MAX_BODY_BYTES:,} bytes" in readme and "413" in readme


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**GIFT, "donor_name": "小\u0000明"}, "donor_name"),
        ({**GIFT, "id": "N-\u0000"}, "id"),
        ({**GIFT, "donor_name": "bell\u0007"}, "donor_name"),
        ({**GIFT, "donor_name": "esc\u001b[31m"}, "donor_name"),
        ({**GIFT, "extra": {"nested": ["ok", "nul\u0000"]}}, "extra"),
        ({**GIFT, "donor_name": "\ud800"}, "donor_name"),
        ({**GIFT, "amount": 100}, "amount"),
        ({**GIFT, "amount": 1.5}, "amount"),
        ({**GIFT, "amount": "1e2"}, "amount"),
        ({**GIFT, "amount": "1E2"}, "amount"),
        ({**GIFT, "amount": "100.000"}, "amount"),
        ({**GIFT, "amount": " 100"}, "amount"),
        ({**GIFT, "amount": "100 "}, "amount"),
        ({**GIFT, "amount": "Infinity"}, "amount"),
        ({**GIFT, "amount": "NaN"}, "amount"),
        ({**GIFT, "amount": "-5.00"}, "amount"),
        ({**GIFT, "amount": "+5"}, "amount"),
        ({**GIFT, "amount": "1,000.00"}, "amount"),
        ({**GIFT, "amount": "０８８"}, "amount"),
        ({**GIFT, "amount": "0.00"}, "amount"),
        ({**GIFT, "amount": None}, "amount"),
        ({**GIFT, "id": ["N-1"]}, "id"),
        ({**GIFT, "id": True}, "id"),
        ({**GIFT, "id": "x" * 101}, "id"),
        ({**GIFT, "date": "20240501"}, "date"),
        ({**GIFT, "date": 20240501}, "date"),
        ({**GIFT, "show_name": "yes"}, "show_name"),
        ({**GIFT, "donor_name": 5}, "donor_name"),
        ({**GIFT, "donor_name": "名" * 121}, "donor_name"),
        ({**GIFT, "designation": {"code": "x"}}, "designation"),
    ],
)
def test_malformed_values_get_a_400_naming_the_field(client, channel, payload, field):
    body = json.dumps(payload).encode()
    response = _raw(client, channel, body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["status"] == "error" and answer["error"] == "invalid"
    assert field in answer["detail"], answer
    assert Donation.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "N-1", "amount": NaN, "date": "2024-05-01"}',
        b'{"id": "N-1", "amount": Infinity, "date": "2024-05-01"}',
        b'{"id": "N-1", "amount": -Infinity, "date": "2024-05-01"}',
        b'{"id": "N-1", "amount": "1.00", "date": "2024-05-01"',
        b"[" * 10000,
        b"\xff\xfe{}",
        b"",
        b'"just a string"',
        '{"id": "\ud800"}'.encode("utf-8", "surrogatepass"),
    ],
)
def test_malformed_json_gets_a_400_json_answer(client, channel, body):
    response = _raw(client, channel, body)
    assert response.status_code == 400 and response.json()["error"] == "bad_json", response.content
    assert Donation.objects.count() == 0


def test_other_methods_get_a_json_405(client, channel):
    for method in (client.get, client.put, client.delete):
        response = method(URL.format(channel.code))
        assert response.status_code == 405 and response["Allow"] == "POST"
        assert response.json()["error"] == "method_not_allowed"


def test_a_bad_content_length_is_a_json_400(client, channel):
    response = _raw(client, channel, json.dumps(GIFT).encode(), CONTENT_LENGTH="lots")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_the_same_id_with_different_content_is_a_recorded_409_conflict(client, channel, people):
    from fundraising.models import NotificationConflict

    assert _post(client, channel, GIFT).status_code == 201
    changed = _post(client, channel, {**GIFT, "amount": "99.00"})
    assert changed.status_code == 409
    assert changed.json()["error"] == "conflict" and changed.json()["fields"] == ["amount"]
    conflict = NotificationConflict.objects.get()
    assert conflict.external_id == "N-1" and conflict.reviewed_at is None
    assert conflict.differences == [{"field": "amount", "stored": "88.00", "received": "99.00"}]
    # Sent again: still one row, counted twice. A different change is a second row.
    assert _post(client, channel, {**GIFT, "amount": "99.00"}).status_code == 409
    assert NotificationConflict.objects.get().times == 2
    other = _post(client, channel, {**GIFT, "date": "2024-05-02", "donor_name": "小红"})
    assert other.status_code == 409 and other.json()["fields"] == ["received_on", "donor_name"]
    assert NotificationConflict.objects.count() == 2
    # The same content again is still the idempotent duplicate.
    same = _post(client, channel, GIFT)
    assert same.status_code == 200 and same.json() == {"status": "duplicate", "receipt_number": "N-1"}
    # Nothing changed in the books: one donation of 88.00.
    assert [str(d.amount) for d in Donation.objects.all()] == ["88.00"]

    finance = people["finance_officer"]
    client.force_login(finance)
    dashboard = client.get("/staff/fundraising/")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    assert 'id="notification-conflicts"' in html and "amount: 88.00 → 99.00" in html
    listing = client.get("/admin/fundraising/notificationconflict/")
    assert listing.status_code == 200 and "N-1" in listing.content.decode()
    response = client.post(
        "/admin/fundraising/notificationconflict/",
        {"action": "mark_reviewed", "_selected_action": [c.pk for c in NotificationConflict.objects.all()]},
    )
    assert response.status_code == 302
    assert not NotificationConflict.objects.filter(reviewed_at__isnull=True).exists()
    assert 'id="notification-conflicts"' not in client.get("/staff/fundraising/").content.decode()


def test_a_failing_notification_batch_is_recorded_one_by_one_and_the_bad_one_marked_failed(
    channel, monkeypatch, people
):
    from django.db import DataError

    from fundraising import notify, services
    from fundraising.models import DonationNotification

    good = _store(channel, external_id="G-1", donor_name="good")
    bad = _store(channel, external_id="G-2", donor_name="poison")
    real = services.donations_record_bulk

    def fussy(donations, **kwargs):
        if any(d.donor_name == "poison" for d in donations):
            raise DataError("value too long for type character varying(120)")
        return real(donations, **kwargs)

    monkeypatch.setattr(services, "donations_record_bulk", fussy)
    assert notify.record_pending() == 2
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == "recorded" and good.donation.external_id == "G-1"
    assert bad.status == "failed" and "DataError" in bad.error
    assert not DonationNotification.objects.filter(status="pending").exists()
    # Once the cause is fixed, a finance officer tries it again.
    monkeypatch.setattr(services, "donations_record_bulk", real)
    assert notify.notifications_retry(notifications=[bad], by=people["finance_officer"]) == 1
    assert notify.record_pending() == 1
    bad.refresh_from_db()
    assert bad.status == "recorded"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_batch_holding_a_fund_does_not_hold_up_a_notification_for_that_fund(
    client, channel, settings, monkeypatch
):
    """The recording batch locks the fund rows FOR NO KEY UPDATE: a notification stored meanwhile (its row
    refers to the fund, which needs a KEY SHARE lock at commit) is answered at once, not after the batch."""
    import threading

    from django.db import connection, transaction

    from fundraising import ledger, tasks
    from fundraising.models import DonationNotification

    settings.CELERY_TASK_ALWAYS_EAGER = False  # stored and answered; the worker is not part of this test
    monkeypatch.setattr(tasks.record_notifications, "apply_async", lambda **kw: None)
    fund = ledger.general_fund()
    holding, done = threading.Event(), threading.Event()

    def batch():
        try:
            with transaction.atomic():
                ledger.lock_funds([fund])  # as a batch posting to the fund does, until it commits
                holding.set()
                done.wait(20)
        finally:
            connection.close()

    worker = threading.Thread(target=batch)
    worker.start()
    try:
        assert holding.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # a blocked insert fails instead of waiting
        response = _post(client, channel, {**GIFT, "id": "LOCK-1"})
        assert response.status_code == 201, response.content
        assert DonationNotification.objects.get(external_id="LOCK-1").fund_id == fund.pk
        # FOR UPDATE (what the batch took before) would have held the notification's commit until the end.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'fundraising_fund' AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()"
            )
            assert ("RowShareLock",) in cursor.fetchall()  # the batch's row lock is still held
            cursor.execute("SET lock_timeout = 0")
    finally:
        done.set()
        worker.join(30)


@requires_postgres
@pytest.mark.parametrize("designation", ["campaign", "designation", "general"])
def test_an_accepted_notification_costs_two_statements_on_postgresql(client, channel, designation):
    """The channel is read with the campaign or fund the notification names, in one statement; the nonce
    and the notification are inserted together in a second (under a savepoint here, as the test runs in a
    transaction; in a request, outside one, that statement commits itself)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fundraising import ledger
    from fundraising.models import DonationNotification, NotificationNonce
    from tests.factories.fundraising import FundFactory, campaign

    fund = FundFactory(code="school-meals")
    general = ledger.general_fund()
    gift = {**GIFT, "id": f"N-{designation}"}
    if designation == "campaign":
        campaign(fund, channel=channel, slug="meals-day")
        gift["campaign"] = "meals-day"
    elif designation == "designation":
        gift["designation"] = "school-meals"
    nonce = secrets.token_hex(8)
    with CaptureQueriesContext(connection) as queries:
        outcome = _receive(channel, gift, nonce=nonce)
    assert outcome.status == 201, outcome.body
    statements = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(statements) == 2, statements
    assert statements[0].startswith("SELECT") and statements[1].startswith("WITH")
    stored = DonationNotification.objects.get(external_id=gift["id"])
    assert stored.fund_id == (general.pk if designation == "general" else fund.pk)
    assert (stored.campaign.slug if stored.campaign else None) == (
        "meals-day" if designation == "campaign" else None
    )
    assert stored.status == "pending" and stored.error == "" and stored.received_at is not None
    assert NotificationNonce.objects.filter(channel=channel, nonce=nonce).exists()


def test_the_channel_read_is_compiled_once_for_each_kind_of_designation(client, channel, monkeypatch):
    """Every notification reads its channel with what it is for; the read is built and compiled by the ORM
    once per process for each kind (campaign, designation, general), then only its values change, and each
    notification still finds its own campaign or fund (and is refused for an unknown one)."""
    from empowerment import querysets
    from fundraising import ledger, notify
    from fundraising.models import DonationNotification
    from tests.factories.fundraising import FundFactory, campaign

    monkeypatch.setattr(querysets, "_local", threading.local())
    built = []
    real = notify._channel_read
    monkeypatch.setattr(notify, "_channel_read", lambda *a, **k: built.append(a[0]) or real(*a, **k))
    meals, books = FundFactory(code="school-meals"), FundFactory(code="library-books")
    campaign(meals, channel=channel, slug="meals-day")
    campaign(books, channel=channel, slug="books-day")
    sent = [
        ({"campaign": "meals-day"}, meals),
        ({"campaign": "books-day"}, books),
        ({"designation": "library-books"}, books),
        ({"designation": "school-meals"}, meals),
        ({}, ledger.general_fund()),
        ({}, ledger.general_fund()),
    ]
    for n, (designation, fund) in enumerate(sent):
        response = _post(client, channel, {**GIFT, "id": f"N-{n}", **designation})
        assert response.status_code == 201, response.content
        assert DonationNotification.objects.get(external_id=f"N-{n}").fund == fund
    assert sorted(built) == ["campaign", "designation", "general"]
    unknown = _post(client, channel, {**GIFT, "id": "N-9", "campaign": "no-such-day"})
    assert unknown.status_code == 400 and "campaign" in unknown.json()["detail"], unknown.content
    other = _post(
        client, Channel.objects.create(code="other", name="Other", kind="online"), {**GIFT, "id": "O-1"}
    )
    assert other.status_code == 201, other.content
    assert len(built) == 3


def test_a_notification_is_answered_before_the_rest_of_the_middleware_stack(client, channel, monkeypatch):
    """fundraising.middleware answers the notification address with its view right after SecurityMiddleware:
    the address is not resolved against the URLconf and the session, language and framing middleware do not
    run (their headers are absent); other addresses, and addresses under the same prefix that the pattern
    refuses, go down the stack as before; a host not allowed is refused as for any page."""
    from django.urls.resolvers import URLResolver

    resolved = []
    real = URLResolver.resolve
    monkeypatch.setattr(URLResolver, "resolve", lambda self, path: resolved.append(path) or real(self, path))
    response = _post(client, channel, GIFT)
    assert response.status_code == 201, response.content
    assert resolved == []
    assert "Content-Language" not in response and "X-Frame-Options" not in response
    assert response["Cache-Control"].startswith("max-age=0")  # the view's own never_cache
    assert Donation.objects.filter(external_id="N-1").count() == 1
    again = _post(client, channel, GIFT)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"

    page = client.get("/money/lookup/")
    assert page.status_code == 200 and resolved and "Content-Language" in page
    resolved.clear()
    assert (
        client.post("/api/donations/notify/not a code/", b"{}", content_type="application/json").status_code
        == 404
    )
    assert client.post("/api/donations/notify/", b"{}", content_type="application/json").status_code == 404
    assert resolved  # both went down the stack
    refused = client.post(
        URL.format(channel.code), b"{}", content_type="application/json", HTTP_HOST="evil.example"
    )
    assert refused.status_code == 400
    assert client.get(URL.format(channel.code)).json()["status"] == "error"  # the view's own 405


def test_a_refused_notification_keeps_neither_its_nonce_nor_anything_else(client, channel):
    """A notification refused by a unique rule (here its receipt number, taken by another donation id)
    keeps nothing: its nonce is free, so the corrected message may be sent again with the same nonce."""
    from fundraising.models import DonationNotification, NotificationNonce

    assert _post(client, channel, {**GIFT, "receipt_number": "R-1"}).status_code == 201
    clash = _post(client, channel, {**GIFT, "id": "N-2", "receipt_number": "R-1"}, nonce="the-nonce")
    assert clash.status_code == 400 and "receipt_number" in clash.json()["detail"], clash.content
    assert not NotificationNonce.objects.filter(nonce="the-nonce").exists()
    assert DonationNotification.objects.count() == 1
    again = _post(client, channel, {**GIFT, "id": "N-2", "receipt_number": "R-2"}, nonce="the-nonce")
    assert again.status_code == 201, again.content
    assert Donation.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**GIFT, "campaign": "day\u0000"}, "campaign"),
        ({**GIFT, "campaign": "\ud800"}, "campaign"),
        ({**GIFT, "campaign": ["day"]}, "campaign"),
        ({**GIFT, "campaign": "c" * 81}, "campaign"),
        ({**GIFT, "campaign": "no-such-campaign"}, "campaign"),
        ({**GIFT, "campaign": "  ", "designation": "nul\u0000"}, "designation"),
        ({**GIFT, "designation": "no-such-fund"}, "designation"),
    ],
)
def test_a_campaign_or_designation_that_cannot_be_looked_up_gets_a_400_naming_it(
    client, channel, payload, field
):
    """The campaign or fund is read with the channel, before the signature is checked: a value that could
    not even be sent to the database (NUL, a lone surrogate) is left for the field checks to refuse."""
    response = _raw(client, channel, json.dumps(payload).encode())
    assert response.status_code == 400, response.content
    assert field in response.json()["detail"], response.json()
    assert Donation.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # each change commits, as a request's does
def test_each_process_keeps_the_channel_it_read_a_moment_for_the_next_notifications(
    channel, settings, monkeypatch
):
    """With NOTIFY_CHANNEL_KEEP_SECONDS set, the channel read with the campaign or fund a notification names
    is made once for the notifications that follow within that time: a notification then costs one
    statement. Another campaign, a campaign not found yet, an unknown channel are read each time (a campaign
    added is found at once); a change made by the process (the channel switched off) is seen at once; a
    change made elsewhere, once the time has passed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fundraising import ledger, notify
    from fundraising.models import Campaign
    from tests.factories.fundraising import FundFactory, campaign

    # As in the notification pool: a worker records the notifications, not this process.
    monkeypatch.setattr(notify.services, "notifications_record_soon", lambda: None)
    settings.NOTIFY_CHANNEL_KEEP_SECONDS = 60
    campaign(FundFactory(code="school-meals"), channel=channel, slug="meals-day")
    ledger.general_fund()
    reads = []

    def send(n, code=channel.code, **designation):
        with CaptureQueriesContext(connection) as queries:
            outcome = _receive(channel, {**GIFT, "id": f"K-{n}", **designation}, code=code)
        reads.extend(
            q for q in queries.captured_queries if q["sql"].startswith('SELECT "fundraising_channel"')
        )
        return outcome.status

    assert [send(n, campaign="meals-day") for n in range(3)] == [201, 201, 201]
    assert len(reads) == 1
    assert send(3) == 201 and send(4) == 201 and len(reads) == 2  # the general fund: read once
    assert send(5, code="nowhere") == 404 and send(6, code="nowhere") == 404 and len(reads) == 4
    # Not found: not kept. Added meanwhile: found by the next notification.
    assert send(7, campaign="books-day") == 400 and len(reads) == 5
    campaign(FundFactory(code="library-books"), channel=channel, slug="books-day")
    assert send(8, campaign="books-day") == 201 and len(reads) == 6
    assert send(9, campaign="books-day") == 201 and len(reads) == 6

    # Any change made by this process (here the campaign added) drops what it keeps: read again.
    assert send(10, campaign="meals-day") == 201 and len(reads) == 7
    # A change made elsewhere (here: without this process's versions moving) is seen once the time passed.
    Campaign.objects.filter(slug="meals-day").update(slug="meals-week")
    assert send(11, campaign="meals-day") == 201 and len(reads) == 7
    settings.NOTIFY_CHANNEL_KEEP_SECONDS = 0.05
    time.sleep(0.06)
    assert send(12, campaign="meals-day") == 400 and len(reads) == 8
    settings.NOTIFY_CHANNEL_KEEP_SECONDS = 60

    # The channel switched off by this process: refused at once.
    assert send(13) == 201
    channel.active = False
    channel.save()
    assert send(14) == 404
    # Nothing is kept when the setting is 0.
    settings.NOTIFY_CHANNEL_KEEP_SECONDS = 0
    notify.forget_channels()
    channel.active = True
    channel.save()
    before = len(reads)
    assert send(15) == 201 and send(16) == 201 and len(reads) == before + 2
    assert not notify._KEPT
