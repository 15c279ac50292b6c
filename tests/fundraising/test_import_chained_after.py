"""A large import posts without holding the ledger's chain head: its entries are written unchained, it takes
the fund rows and the chain head only for its last statements, and its entries are chained after it commits
(ledger.chain_pending). Meanwhile notifications are recorded, every figure counts the import's money, the
books verify sound, and a checkpoint chains what waits before it publishes the head."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fundraising import checkpoints, ledger, staging
from fundraising.models import (
    Channel,
    Donation,
    Fund,
    ImportBatch,
    LedgerChain,
    LedgerEntry,
    PeriodClose,
)
from fundraising.selectors import books, records
from fundraising.verification import verify
from tests.factories.fundraising import ChannelFactory
from tests.fundraising.test_import_staging import HEADER, _run, _upload, record_while_importing
from transparency.selectors import open_data

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged path is PostgreSQL's")


def _rows(prefix: str, count: int, day: str = "2024-03-01", fund: str = "") -> str:
    """Rows of gifts; every third to `fund` when given (the rest to the general fund)."""
    return "".join(
        f"{prefix}{n},{prefix}{n},{n % 90 + 10}.{n % 100:02d},{day},,,{fund if n % 3 == 0 else ''},\n"
        for n in range(count)
    )


@pytest.fixture
def tuanjie(db):
    return Fund.objects.create(code="tuanjie", name="团结社区基金", kind=Fund.Kind.COMMUNITY)


@pytest.mark.django_db
def test_a_large_import_counts_at_once_and_is_chained_after_its_commit(people, settings, tuanjie):
    settings.FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS = 50
    channel, finance = ChannelFactory(code="bank-big"), people["finance_officer"]
    small = _run(_upload(channel, finance, HEADER + _rows("A", 10)))  # chained as it posts (≤ 50 rows)
    assert small.status == "done" and ledger.unchained() == 0
    head = LedgerChain.objects.get()
    batch = _run(_upload(channel, finance, HEADER + _rows("B", 120, fund="tuanjie")))
    assert batch.status == "done", batch.message
    assert batch.created_count == 120

    # Committed and counted, but not yet in the chain: the head has not moved.
    assert ledger.unchained() == 240
    assert (LedgerChain.objects.get().last_seq, LedgerChain.objects.get().last_hash) == (
        head.last_seq,
        head.last_hash,
    )
    total = sum(Donation.objects.filter(import_batch=batch).values_list("amount", flat=True), Decimal("0.00"))
    assert total == Decimal(batch.summary["total"])
    assert Fund.objects.get(pk=tuanjie.pk).balance == Decimal(batch.summary["by_designation"]["tuanjie"])
    assert books.fund_totals(tuanjie)["balance"] == Decimal(batch.summary["by_designation"]["tuanjie"])
    # The books are sound meanwhile (the waiting entries counted in the balances), and say what waits.
    result = verify()
    assert result.problems == []
    assert any("240 entries posted by an import are waiting" in note for note in result.notes)
    # The public ledger shows an entry once it has its place in the chain.
    assert open_data.open_ledger().count() == 20  # the small file's gifts, both sides

    # Chained a chunk at a time, in the order the file gave them, from the head on.
    assert ledger.chain_pending(limit=100) == 100
    assert ledger.unchained() == 140
    assert ledger.chain_all_pending() == 140
    assert ledger.unchained() == 0
    chained = list(
        LedgerEntry.objects.filter(transaction__donation__import_batch=batch)
        .order_by("pk")
        .values_list("seq", flat=True)
    )
    assert chained == list(range(head.last_seq + 1, head.last_seq + 241))
    chain = LedgerChain.objects.get()
    assert chain.last_seq == head.last_seq + 240 and chain.chained_at is not None
    assert chain.last_hash == LedgerEntry.objects.get(seq=chain.last_seq).hash
    assert ledger.ledger_verify() == []
    assert open_data.open_ledger().count() == 20 + 240
    assert ledger.chain_pending() == 0  # a second run finds nothing to do


@pytest.mark.django_db
def test_the_database_lets_an_entry_be_given_its_place_once_and_nothing_else(people, settings):
    settings.FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS = 0
    channel, finance = ChannelFactory(code="bank-once"), people["finance_officer"]
    _run(_upload(channel, finance, HEADER + _rows("O", 3)))
    waiting = LedgerEntry.objects.filter(seq__isnull=True).order_by("pk").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=waiting.pk).update(amount=Decimal("1.00"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=waiting.pk).delete()
    # Half a place in the chain is refused by the database's check.
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=waiting.pk).update(seq=10**9)
    ledger.chain_all_pending()
    chained = LedgerEntry.objects.get(pk=waiting.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=chained.pk).update(seq=None, prev_hash=None, hash=None)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=chained.pk).update(hash="f" * 64)
    assert ledger.ledger_verify() == []


@pytest.mark.django_db
def test_the_chain_order_index_holds_chained_entries_only_and_still_refuses_a_place_taken_twice(
    people, settings
):
    settings.FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS = 0
    channel, finance = ChannelFactory(code="bank-index"), people["finance_officer"]
    _run(_upload(channel, finance, HEADER + _rows("I", 4)))
    _run(_upload(channel, finance, HEADER + _rows("J", 2)))
    ledger.chain_pending(limit=8)  # the first file's entries get their place; the second's wait
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'fundraising_ledgerentry_seq_key'")
        assert cursor.fetchone()[0].endswith("WHERE (seq IS NOT NULL)")
        # Entries waiting for their place are not in it, and the public ledger's order still reads it.
        cursor.execute(
            "SELECT count(*) FROM fundraising_ledgerentry WHERE seq IS NULL",
        )
        assert cursor.fetchone()[0] == 4
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            sql, params = open_data.open_ledger()[:50].query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "fundraising_ledgerentry_seq_key" in plan, plan
        # Who recorded a gift or created a transaction, and a receipt number alone, are not indexed; the
        # donation lookup reads the unique index per channel.
        cursor.execute(
            """SELECT indexdef FROM pg_indexes WHERE tablename IN ('fundraising_donation',
            'fundraising_ledgertransaction') AND (indexdef LIKE '%%recorded_by%%' OR indexdef LIKE '%%created_by%%'
            OR indexdef LIKE '%%(receipt_number)')"""
        )
        assert cursor.fetchall() == []
        gift = Donation.objects.filter(channel=channel).order_by("pk").first()
        with CaptureQueriesContext(connection) as read:
            lookup = records.donation_lookup(gift.receipt_number, gift.amount)
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + read.captured_queries[-1]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert lookup == gift
        assert "donation_receipt_per_channel" in plan, plan
    taken = LedgerEntry.objects.filter(seq__isnull=False).order_by("-seq").first()
    waiting = LedgerEntry.objects.filter(seq__isnull=True).order_by("pk").first()
    with pytest.raises(DatabaseError, match="fundraising_ledgerentry_seq_key"), transaction.atomic():
        LedgerEntry.objects.filter(pk=waiting.pk).update(seq=taken.seq, prev_hash="0" * 64, hash="e" * 64)
    assert ledger.chain_all_pending() == 4
    assert ledger.ledger_verify() == []


@pytest.mark.django_db
def test_a_checkpoint_chains_what_waits_before_it_publishes_the_head(people, settings, tuanjie):
    settings.FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS = 0
    channel, finance = ChannelFactory(code="bank-cp"), people["finance_officer"]
    first = checkpoints.checkpoint_month_close(month=date(2024, 1, 1))
    batch = _run(_upload(channel, finance, HEADER + _rows("C", 30, fund="tuanjie")))
    assert batch.status == "done", batch.message and ledger.unchained() == 60
    # Checking only what was posted after the first checkpoint covers the waiting entries too.
    assert verify(since=first).problems == []
    daily = checkpoints.checkpoint_daily()
    assert ledger.unchained() == 0
    chain = LedgerChain.objects.get()
    assert (daily.seq, daily.hash) == (chain.last_seq, chain.last_hash) and daily.seq == 60
    assert daily.balances["tuanjie"] == batch.summary["by_designation"]["tuanjie"]
    assert ledger.ledger_verify() == []
    assert verify(since=first).problems == []


@pytest.mark.django_db
def test_a_month_closed_while_a_large_import_posts_leaves_nothing_written(people, settings, monkeypatch):
    settings.FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS = 0
    channel, finance = ChannelFactory(code="bank-closed"), people["finance_officer"]
    batch = _upload(channel, finance, HEADER + _rows("X", 5, day="2024-03-05"))
    post_entries = staging._post_unchained_entries

    def and_the_month_closes(*args):
        post_entries(*args)
        PeriodClose.objects.create(month=date(2024, 3, 1), closed_by=finance)

    monkeypatch.setattr(staging, "_post_unchained_entries", and_the_month_closes)
    batch = _run(batch)
    assert batch.status == "failed" and "2024-03 is closed" in batch.message
    assert not Donation.objects.filter(import_batch=batch).exists()
    assert not LedgerEntry.objects.exists() and ledger.unchained() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notifications_are_recorded_while_a_large_import_posts(people, settings, monkeypatch):
    """A notification is recorded within 5 seconds while the import is writing its donations and entries, and
    after the import commits the worker's task chains its entries after the notification's."""
    settings.FUNDRAISING_IMPORT_CHAIN_INLINE_ROWS = 100
    channel, finance = ChannelFactory(code="bank-posting"), people["finance_officer"]
    online = Channel.objects.create(code="online-during", name="Online", kind=Channel.Kind.ONLINE)
    ledger.cash_account(), ledger.income_account(online)
    count = 500
    batch = _upload(channel, finance, HEADER + _rows("P", count))
    assert batch.valid_rows == count
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued", queued_at=timezone.now())

    posting, release = threading.Event(), threading.Event()
    post_entries = staging._post_unchained_entries

    def slow_entries(*args):
        post_entries(*args)  # every donation, transaction and entry written, the transaction still open
        posting.set()
        release.wait(60)

    monkeypatch.setattr(staging, "_post_unchained_entries", slow_entries)
    outcome, recorded, waited = record_while_importing(batch, online, "N-during", posting, release)
    assert recorded == 1 and waited < 5
    assert outcome["batch"].status == "done", outcome["batch"].message
    # The task asked for at the import's commit (run in-process here) has chained every entry.
    assert ledger.unchained() == 0
    notified = Donation.objects.get(external_id="N-during")
    first_imported = (
        LedgerEntry.objects.filter(transaction__donation__import_batch=batch).order_by("seq").first()
    )
    assert max(notified.ledger_transaction.entries.values_list("seq", flat=True)) < first_imported.seq
    assert ledger.ledger_verify() == []
