"""The PostgreSQL import path (fundraising.staging): rows staged by COPY and checked in SQL give exactly the
dry run the row-by-row path gives (summary and digest, preview, errors), and the import holds no ledger
lock while it reads and checks the file, so donations recorded meanwhile go through at once."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from fundraising import importing, ledger, services, staging
from fundraising.models import Channel, Donation, DonationNotification, Fund, ImportBatch
from tests.factories.fundraising import ChannelFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged path is PostgreSQL's")

HEADER = "流水号,收据号,金额,日期,捐赠人,是否公开,项目编号,备注\n"
MAPPING = {
    "external_id": "流水号",
    "receipt_number": "收据号",
    "amount": "金额",
    "date": "日期",
    "donor_name": "捐赠人",
    "show_name": "是否公开",
    "designation": "项目编号",
    "note": "备注",
}


def _upload(channel, user, content: str):
    return importing.import_upload(
        channel=channel, upload=SimpleUploadedFile("bank.csv", content.encode()), mapping=MAPPING, by=user
    )


def _mixed_file(channel, user) -> str:
    """Plain rows, rows only the full reading accepts, and every kind of error and duplicate."""
    Fund.objects.create(code="tuanjie", name="团结社区基金", kind=Fund.Kind.COMMUNITY)
    # Already imported: M1 (its id), and receipt RX-used (another id's receipt).
    _run(_upload(channel, user, HEADER + "M1,R-m1,5.00,2024-03-01,,,,\nOLD,RX-used,7.00,2024-03-01,,,,\n"))
    rows = [
        "M1,R-m1,5.00,2024-03-01,,,,",  # already imported
        "A1,,100.00,2024-03-01,张伟,是,tuanjie,第一笔",
        'A2,R-a2,"￥1,200.50",2024/03/02 08:00:00, 李娜 ,Y,,',  # read by the full parse
        "A3,RX-used,9.00,2024-03-03,,否,,",  # receipt already used
        "A1,R-again,3.00,2024-03-04,,,,",  # id twice in the file
        "A4,R-a4,0,2024-03-05,,,,",  # zero
        "A5,R-a5,12.345,2024-03-05,,,,",  # three decimals
        "A6,R-a6,10,2999-01-01,,,,",  # future
        "A7,R-a7,10,2024-03-05,,也许,nowhere,",  # neither yes nor no, unknown designation
        "=1+1,R-a8,10,2024-03-05,,,,",  # formula in the id
        ",R-a9,10,2024-03-05,,,,",  # no id
        "A10,R-a10,10,2024-03-06,王芳,1,tuanjie,",
        "A10,R-a10b,10,2024-03-06,,,,",  # twice again
    ]
    return HEADER + "\n".join(rows) + "\n"


def _run(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued", queued_at=timezone.now())
    return importing.import_run(batch.pk)


@pytest.mark.django_db
def test_the_staged_dry_run_reads_exactly_as_the_row_by_row_one(people, monkeypatch):
    channel, finance = ChannelFactory(code="bank-mixed"), people["finance_officer"]
    content = _mixed_file(channel, finance)
    staged = _upload(channel, finance, content)
    monkeypatch.setattr(staging, "available", lambda: False)
    scanned = _upload(channel, finance, content)
    assert staged.summary == scanned.summary
    assert staged.summary["rows"] == 13 and staged.summary["duplicates"] == 1
    assert staged.summary["valid"] == 3 and staged.summary["error_rows"] == 9
    assert staged.summary["by_designation"] == {"general": "1200.50", "tuanjie": "110.00"}
    assert staged.preview == scanned.preview
    assert [r["donor_name"] for r in staged.preview] == ["张伟", "李娜", "王芳"]
    assert sorted((e["row"], e["field"], e["message"]) for e in staged.errors) == sorted(
        (e["row"], e["field"], e["message"]) for e in scanned.errors
    )
    assert {(e["row"], e["field"]) for e in staged.errors} >= {
        (5, "Receipt number"),
        (6, "Transaction id"),
        (14, "Transaction id"),
    }


@pytest.mark.django_db
def test_a_staged_import_posts_what_the_dry_run_showed_with_the_ledger_sound(people):
    channel, finance = ChannelFactory(code="bank-staged"), people["finance_officer"]
    tuanjie = Fund.objects.create(code="tuanjie", name="团结社区基金", kind=Fund.Kind.COMMUNITY)
    rows = "".join(
        f"S{n},R{n},{n % 50 + 1}.{n % 100:02d},2024-0{n % 9 + 1}-1{n % 10},捐赠人{n},{'是' if n % 2 else '否'},"
        f"{'tuanjie' if n % 3 == 0 else ''},备注{n}\n"
        for n in range(300)
    )
    batch = _upload(channel, finance, HEADER + rows)
    assert batch.valid_rows == 300 and batch.errors == []
    batch = _run(batch)
    assert batch.status == "done", batch.message
    assert batch.created_count == 300
    donations = Donation.objects.filter(import_batch=batch)
    assert sum(d.amount for d in donations) == Decimal(batch.summary["total"])
    assert Fund.objects.get(pk=tuanjie.pk).balance == Decimal(batch.summary["by_designation"]["tuanjie"])
    d = donations.get(external_id="S7")
    assert (d.receipt_number, d.donor_name, d.show_name, d.note) == ("R7", "捐赠人7", True, "备注7")
    assert d.ledger_transaction.memo == f"Donation R7 via {channel.name} (import {batch.pk})"
    assert Donation.history.filter(import_batch_id=batch.pk, history_type="+").count() == 300
    assert ledger.ledger_verify() == []  # chain, balances, monthly totals, sources


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_donations_are_recorded_while_a_large_import_is_being_checked(people, monkeypatch):
    """A notification batch is recorded within 5 seconds while the import is still checking its rows (the
    dry run's, kept): the import takes the fund rows and the chain head only to post."""
    channel, finance = ChannelFactory(code="bank-long"), people["finance_officer"]
    online = Channel.objects.create(code="online-live", name="Online", kind=Channel.Kind.ONLINE)
    # The accounts exist, as on any running site: only the funds' and the chain head's locks are at stake.
    ledger.cash_account(), ledger.income_account(online)
    count = 3000
    rows = "".join(f"L{n},L{n},{n % 90 + 10}.00,2024-03-01,,,,\n" for n in range(count))
    batch = _upload(channel, finance, HEADER + rows)
    assert batch.valid_rows == count
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued", queued_at=timezone.now())

    reading, release = threading.Event(), threading.Event()
    check = staging.check

    def slow_check(*args, **kwargs):
        check(*args, **kwargs)
        reading.set()  # checked, not yet posting
        release.wait(60)

    monkeypatch.setattr(staging, "check", slow_check)
    outcome, recorded, waited = record_while_importing(batch, online, "N-live", reading, release)
    assert recorded == 1 and waited < 5
    assert outcome["batch"].status == "done", outcome["batch"].message
    assert Donation.objects.filter(import_batch=batch).count() == count
    assert Donation.objects.filter(external_id="N-live").count() == 1
    assert ledger.ledger_verify() == []


def record_while_importing(batch, channel, external_id, paused, release):
    """Run the import of `batch` in a thread; once it signals `paused` (and waits for `release`), store a
    notification on `channel` and record it, refusing to wait more than 5 s for a lock. Returns the import's
    outcome ({"batch": ...}), how many notifications were recorded and the seconds that took."""
    outcome = {}

    def worker():
        try:
            outcome["batch"] = importing.import_run(batch.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert paused.wait(60)
        DonationNotification.objects.create(
            channel=channel,
            external_id=external_id,
            receipt_number=external_id,
            amount=Decimal("66.00"),
            received_on=timezone.localdate(),
            fund=ledger.general_fund(),
        )
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # a posting kept waiting fails instead of hanging
        began = time.monotonic()
        recorded = services.notifications_record()
        waited = time.monotonic() - began
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        release.set()
        thread.join(120)
    return outcome, recorded, waited


def _rows(count: int, tag: str) -> str:
    return HEADER + "".join(f"{tag}{n},R{tag}{n},{n + 1}.00,2024-03-0{n % 9 + 1},,,,\n" for n in range(count))


@pytest.fixture
def row_checks_skipped(monkeypatch):
    """Whether each posting left the per-row foreign-key triggers out (staging._skip_row_checks's answers)."""
    answers, skip = [], staging._skip_row_checks

    def recorded(cursor):
        answers.append(skip(cursor))
        return answers[-1]

    monkeypatch.setattr(staging, "_skip_row_checks", recorded)
    return answers


def _role(cursor) -> str:
    cursor.execute("SHOW session_replication_role")
    return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize("inline_rows", [10_000, 5])  # chained in the import, or after it in parts
def test_the_bulk_inserts_leave_out_the_row_checks_and_restore_them(
    people, settings, row_checks_skipped, inline_rows
):
    settings.FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS = inline_rows
    channel, finance = ChannelFactory(code=f"bank-fk-{inline_rows}"), people["finance_officer"]
    batch = _run(_upload(channel, finance, _rows(12, "F")))
    assert batch.status == "done", batch.message
    assert row_checks_skipped == [True]  # the tests' database user may: the triggers were left out
    with connection.cursor() as cursor:
        assert _role(cursor) == "origin"  # and are back for whatever the transaction does next
    donations = Donation.objects.filter(import_batch=batch)
    assert donations.count() == 12
    assert {d.ledger_transaction.entries.count() for d in donations.select_related("ledger_transaction")} == {
        2
    }
    if inline_rows < 12:
        ledger.chain_all_pending()
    assert ledger.ledger_verify() == []


@pytest.mark.django_db
def test_a_database_user_without_the_right_keeps_the_row_checks(people, row_checks_skipped):
    """A site whose database user may not set session_replication_role imports the same, row checks kept."""
    channel, finance = ChannelFactory(code="bank-plain-role"), people["finance_officer"]
    batch = _upload(channel, finance, _rows(8, "P"))
    with connection.cursor() as cursor:
        # The dry run's staging table goes at its commit; here it shares the test's transaction. Its kept
        # rows belong to the tests' user, which the other role may not drop: the run reads the file again.
        cursor.execute(f"DROP TABLE {staging.STAGE}")
        staging.forget(batch.pk)
        cursor.execute("CREATE ROLE empowerment_import_plain NOSUPERUSER")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO empowerment_import_plain")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO empowerment_import_plain")
        cursor.execute("SET ROLE empowerment_import_plain")
    try:
        batch = _run(batch)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert batch.status == "done", batch.message
    assert row_checks_skipped == [False]
    assert Donation.objects.filter(import_batch=batch).count() == 8
    assert ledger.ledger_verify() == []


@pytest.mark.django_db
def test_a_reference_gone_before_the_posting_refuses_it():
    fund = Fund.objects.create(code="kept", name="Kept", kind=Fund.Kind.COMMUNITY)
    with connection.cursor() as cursor:
        staging._hold_references(cursor, {Fund: [fund.pk, fund.pk]})  # found (asked twice, counted once)
        with pytest.raises(ValidationError) as refused:
            staging._hold_references(cursor, {Fund: [fund.pk, fund.pk + 10_000]})
    assert refused.value.code == "gone"


# The dry run's rows kept for the run --------------------------------------------------------------------


def _file_read_again(monkeypatch) -> list:
    """Every reading of a stored file from now on (importing.read_rows), recorded."""
    reads, read_rows = [], importing.read_rows

    def counted(fh):
        reads.append(1)
        return read_rows(fh)

    monkeypatch.setattr(importing, "read_rows", counted)
    return reads


@pytest.mark.django_db
def test_the_run_checks_the_dry_runs_kept_rows_without_reading_the_file_again(people, monkeypatch):
    channel, finance = ChannelFactory(code="bank-kept"), people["finance_officer"]
    batch = _upload(channel, finance, _rows(6, "K"))
    assert staging.kept_table(batch.pk) in {staging.kept_table(pk) for pk in staging.kept_batches()}
    reads = _file_read_again(monkeypatch)
    batch = _run(batch)
    assert batch.status == "done", batch.message
    assert reads == []  # the kept rows served
    assert Donation.objects.filter(import_batch=batch).count() == 6
    assert batch.pk not in staging.kept_batches()  # dropped by the run
    assert ledger.ledger_verify() == []


@pytest.mark.django_db
def test_kept_rows_are_checked_again_against_the_database(people):
    """A row imported by someone else between the dry run and the run is found by the run's check: the
    figures differ from the dry run's and nothing is imported."""
    channel, finance = ChannelFactory(code="bank-kept-dup"), people["finance_officer"]
    batch = _upload(channel, finance, _rows(5, "D"))
    first_row_only = HEADER + _rows(5, "D").splitlines()[1] + "\n"
    assert _run(_upload(channel, finance, first_row_only)).status == "done"
    batch = _run(batch)
    assert batch.status == "failed"
    assert "no longer reads as the dry run showed it" in batch.message
    assert Donation.objects.filter(import_batch=batch).count() == 0


@pytest.mark.django_db
def test_the_file_is_read_again_when_what_its_reading_depended_on_changed(people, monkeypatch):
    channel, finance = ChannelFactory(code="bank-kept-stale"), people["finance_officer"]
    batch = _upload(channel, finance, _rows(4, "S"))
    Fund.objects.create(code="newly-named", name="A new designation", kind=Fund.Kind.COMMUNITY)
    reads = _file_read_again(monkeypatch)
    batch = _run(batch)
    assert batch.status == "done", batch.message
    assert reads == [1]  # the designations changed: the kept rows were not trusted
    assert Donation.objects.filter(import_batch=batch).count() == 4


@pytest.mark.django_db
def test_kept_rows_emptied_by_a_database_crash_are_not_trusted(people, monkeypatch):
    channel, finance = ChannelFactory(code="bank-kept-crash"), people["finance_officer"]
    batch = _upload(channel, finance, _rows(4, "C"))
    with connection.cursor() as cursor:  # what a crash does to an unlogged table: its rows are gone
        cursor.execute(f"TRUNCATE {staging.kept_table(batch.pk)}")
    reads = _file_read_again(monkeypatch)
    batch = _run(batch)
    assert batch.status == "done", batch.message
    assert reads == [1]
    assert Donation.objects.filter(import_batch=batch).count() == 4


@pytest.mark.django_db
def test_discarding_drops_the_kept_rows(people):
    channel, finance = ChannelFactory(code="bank-kept-discard"), people["finance_officer"]
    batch = _upload(channel, finance, _rows(3, "X"))
    assert batch.pk in staging.kept_batches()
    importing.import_discard(batch=batch, by=finance)
    assert batch.pk not in staging.kept_batches()


@pytest.mark.django_db
def test_the_sweep_drops_kept_rows_no_run_will_read(people):
    channel, finance = ChannelFactory(code="bank-kept-sweep"), people["finance_officer"]
    waiting, queued, failed = (_upload(channel, finance, _rows(2, tag)) for tag in "WQF")
    ImportBatch.objects.filter(pk=queued.pk).update(status="queued", queued_at=timezone.now())
    ImportBatch.objects.filter(pk=failed.pk).update(status="failed")
    assert importing.imports_sweep_kept() == 1  # the failed batch's
    assert {waiting.pk, queued.pk} <= set(staging.kept_batches())
    assert failed.pk not in staging.kept_batches()
    # A day on, a dry run still waiting for confirmation loses its rows (a later run reads the file); the
    # queued batch keeps its own.
    later = timezone.now() + importing.KEPT_ROWS_FOR + timedelta(minutes=1)
    assert importing.imports_sweep_kept(now=later) == 1
    kept = set(staging.kept_batches())
    assert queued.pk in kept and waiting.pk not in kept
