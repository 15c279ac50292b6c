"""`manage.py verify_ledger` proves the books: every record against its posting, the stored public figures
against their sources, and published checkpoints against a chain that may have been rewritten since.
Each tampering is done behind the services' back (queryset updates) and must be named, with a non-zero
exit; a sound programme passes."""

import csv
import datetime
import io
import json
from contextlib import contextmanager
from decimal import Decimal

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from fundraising import checkpoints, ledger, services
from fundraising.models import (
    Allocation,
    Donation,
    Expenditure,
    Fund,
    FundBalance,
    Grant,
    GrantTranche,
    InKindGift,
    LedgerChain,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerMonthTotal,
    LedgerTransaction,
    LedgerVerification,
)
from tests.factories import fundraising as ff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _last_month():
    return (TODAY().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def books(people, org_a, org_b):
    """A small programme touching every kind of record: donations on two channels (one reversed), a grant
    tranche received, an allocation, a disbursement, expenditures (one approved, one reversed, one waiting),
    an in-kind gift, all last month (then closed) and this month."""
    finance = people["finance_officer"]
    general = ledger.general_fund()
    bank = ff.ChannelFactory(code="bank-main", name="Bank account")
    wechat = ff.ChannelFactory(code="wechat", name="WeChat charity platform", kind="online")
    p1 = ff.project(org_a, title="Health checks", slug="health-checks", status="active")
    p2 = ff.project(org_b, title="Safe stairs", slug="safe-stairs", status="active")
    f1, f2 = services.fund_for_project(p1), services.fund_for_project(p2)
    last = _last_month()
    old_gift = ff.donate(fund=general, amount="5000.00", channel=bank, by=finance, received_on=last)
    ledger.period_close(month=last, closed_by=finance)
    gift = ff.donate(fund=general, amount="100.00", channel=wechat, by=finance)
    mistake = ff.donate(fund=f2, amount="40.00", channel=bank, by=finance)
    services.donation_reverse(donation=mistake, by=finance, reason="recorded twice")
    grant = Grant.objects.create(
        funder=ff.FunderFactory(name="Civil Affairs Bureau", kind="government"),
        kind=Grant.Kind.CONTRACT,
        title="Care services",
        total=Decimal("3000.00"),
        signed_on=TODAY(),
        fund=f2,
        channel=ff.ChannelFactory(code="gov", name="Government contracts"),
    )
    tranche = GrantTranche.objects.create(grant=grant, number=1, amount=Decimal("3000.00"), due_on=TODAY())
    services.tranche_receive(tranche=tranche, receipt_number="GOV-1", received_on=TODAY(), by=finance)
    allocation = services.allocation_create(
        from_fund=general, to_fund=f1, amount=Decimal("2000.00"), allocated_on=TODAY(), by=finance
    )
    services.disbursement_create(project=p1, amount=Decimal("1500.00"), paid_on=TODAY(), by=finance)

    def spend(project, amount, **kwargs):
        return services.expenditure_submit(
            project=project,
            budget_line=project.budget_lines.first(),
            amount=Decimal(amount),
            spent_on=TODAY(),
            description="Health-check kits",
            payee="Pharmacy",
            document=ff.receipt_file(),
            by=people["a_admin"] if project == p1 else people["b_admin"],
            **kwargs,
        )

    spent = services.expenditure_approve(expenditure=spend(p1, "300.00"), by=finance)
    undone = services.expenditure_approve(expenditure=spend(p1, "50.00"), by=finance)
    services.expenditure_reverse(expenditure=undone, by=finance, reason="wrong project")
    spend(p2, "10.00", paid_from="bank")  # waiting for approval: no posting
    in_kind = services.in_kind_record(
        kind=InKindGift.Kind.GOODS,
        description="Blood-pressure monitors",
        value=Decimal("800.00"),
        basis="Market price",
        received_on=TODAY(),
        fund=f1,
        by=finance,
    )
    return type(
        "Books",
        (),
        dict(
            finance=finance,
            general=general,
            f1=f1,
            f2=f2,
            p1=p1,
            p2=p2,
            old_gift=old_gift,
            gift=gift,
            mistake=mistake,
            tranche=tranche,
            allocation=allocation,
            spent=spent,
            undone=undone,
            in_kind=in_kind,
        ),
    )


def _fails(capsys, *args, **options) -> str:
    """Run verify_ledger, which must exit non-zero; returns what it wrote to stderr."""
    with pytest.raises(CommandError, match=r"problem\(s\)"):
        call_command("verify_ledger", *args, **options)
    return capsys.readouterr().err


def test_a_sound_programme_passes_and_the_full_run_is_remembered(books, capsys):
    assert ledger.ledger_verify() == []
    call_command("verify_ledger")
    out = capsys.readouterr().out
    assert "The ledger is sound" in out
    run = LedgerVerification.objects.get()
    assert run.seq == LedgerChain.objects.get().last_seq
    assert run.checkpoint == LedgerCheckpoint.objects.get(kind="month_close")  # the only one so far


def test_a_donation_whose_amount_was_changed_is_named(books, capsys):
    Donation.objects.filter(pk=books.gift.pk).update(amount=Decimal("90.00"))
    err = _fails(capsys)
    assert f"donation #{books.gift.pk}: amount 90.00 but its posting moves 100.00 into asset:bank" in err
    assert f"donation #{books.gift.pk}: amount 90.00 but its posting moves 100.00 into income:wechat" in err
    assert err.count("PROBLEM:") == 2  # nothing else is wrong


def test_a_donation_moved_to_another_fund_or_channel_is_named(books, capsys):
    Donation.objects.filter(pk=books.gift.pk).update(fund=books.f1)
    err = _fails(capsys)
    assert (
        f"donation #{books.gift.pk}: fund {books.f1.code} but its posting puts asset:bank on fund general"
        in err
    )
    Donation.objects.filter(pk=books.gift.pk).update(fund=books.general, channel=books.old_gift.channel)
    err = _fails(capsys)
    assert f"donation #{books.gift.pk}: its posting should use income:bank-main but uses income:wechat" in err


def test_an_expenditure_moved_to_another_project_is_named(books, capsys):
    Expenditure.objects.filter(pk=books.spent.pk).update(
        project=books.p2, budget_line=books.p2.budget_lines.first()
    )
    err = _fails(capsys)
    assert (
        f"expenditure #{books.spent.pk}: fund {books.f2.code} but its posting puts expense:programme:activities "
        f"on fund {books.f1.code}"
    ) in err


def test_an_expenditure_dated_otherwise_than_its_posting_is_named(books, capsys):
    other_day = TODAY() - datetime.timedelta(days=400)
    Expenditure.objects.filter(pk=books.spent.pk).update(spent_on=other_day)
    err = _fails(capsys)
    assert f"expenditure #{books.spent.pk}: spent on {other_day} but its posting is dated {TODAY()}" in err


def test_an_allocation_whose_amount_was_changed_is_named(books, capsys):
    Allocation.objects.filter(pk=books.allocation.pk).update(amount=Decimal("200.00"))
    err = _fails(capsys)
    label = f"allocation #{books.allocation.pk}"
    assert (
        f"{label}: amount 200.00 but its posting moves 2000.00 into asset:bank of fund {books.f1.code}" in err
    )
    assert f"{label}: amount 200.00 but its posting moves 2000.00 into asset:bank of fund general" in err


def test_a_grant_tranche_that_differs_from_its_donation_is_named(books, capsys):
    GrantTranche.objects.filter(pk=books.tranche.pk).update(amount=Decimal("2500.00"))
    err = _fails(capsys)
    donation = Donation.objects.get(grant_tranche=books.tranche)
    assert f"amount 2500.00 but its donation #{donation.pk} records 3000.00" in err


def test_reversal_status_and_missing_records_are_named(books, capsys):
    Donation.objects.filter(pk=books.gift.pk).update(status=Donation.Status.REVERSED)
    Donation.objects.filter(pk=books.mistake.pk).update(status=Donation.Status.RECORDED)
    err = _fails(capsys)
    assert (
        f"donation #{books.gift.pk}: marked reversed but its posting #{books.gift.ledger_transaction_id} has no reversal"
        in err
    )
    assert (
        f"donation #{books.mistake.pk}: still recorded, but its posting #{books.mistake.ledger_transaction_id} was reversed"
        in err
    )
    Donation.objects.filter(pk=books.gift.pk).update(status=Donation.Status.RECORDED)
    Donation.objects.filter(pk=books.mistake.pk).update(status=Donation.Status.REVERSED)
    call_command("verify_ledger")  # sound again
    Donation.history.filter(id=books.gift.pk).delete()
    Donation.objects.filter(pk=books.gift.pk).delete()  # the posting stays: the ledger is append-only
    err = _fails(capsys)
    assert (
        f"transaction #{books.gift.ledger_transaction_id} (donation): its source donation #{books.gift.pk} is missing"
    ) in err


def test_a_changed_monthly_total_is_named(books, capsys):
    row = LedgerMonthTotal.objects.filter(month=TODAY().replace(day=1)).first()
    LedgerMonthTotal.objects.filter(pk=row.pk).update(amount=row.amount + Decimal("1.00"))
    err = _fails(capsys)
    assert f"month total {row.month:%Y-%m}" in err and f"kept {row.amount + Decimal('1.00')}" in err


def test_a_dashboard_snapshot_that_no_longer_matches_the_books_while_marked_current_is_named(books, capsys):
    from transparency import services as transparency_services
    from transparency.models import DashboardSnapshot

    figures = transparency_services.dashboard_refresh()
    call_command("verify_ledger")  # the snapshot is current and equal to a fresh computation
    capsys.readouterr()
    # A donation recorded without the after-commit freshness bump (as by a write that bypassed it): the
    # snapshot's stamp still says current, its figures are stale.
    ff.donate(fund=books.general, amount="700.00", by=books.finance)
    err = _fails(capsys)
    assert "dashboard snapshot" in err and f"raised is Decimal('{figures['raised']}')" in err
    assert f"Decimal('{figures['raised'] + Decimal('700.00')}')" in err
    # Once refreshed it agrees again; a snapshot marked stale is not compared (visitors see it while a
    # worker refreshes it).
    transparency_services.dashboard_refresh()
    call_command("verify_ledger")
    ff.donate(fund=books.general, amount="5.00", by=books.finance)
    DashboardSnapshot.objects.update(stamp="stale")
    call_command("verify_ledger")
    assert "marked stale" in capsys.readouterr().out


def _rehash_from(seq: int) -> None:
    """What a forger does after changing an entry: recompute every hash from there and the chain head."""
    codes = {e.pk: e.account.code for e in LedgerEntry.objects.select_related("account")}
    prev = LedgerEntry.objects.get(seq=seq - 1).hash if seq > 1 else ledger.GENESIS
    for entry in LedgerEntry.objects.filter(seq__gte=seq).select_related("transaction").order_by("seq"):
        digest = ledger.entry_hash(
            seq=entry.seq,
            tx=entry.transaction,
            account_code=codes[entry.pk],
            fund_id=entry.fund_id,
            amount=entry.amount,
            prev_hash=prev,
        )
        LedgerEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    LedgerChain.objects.filter(pk=1).update(last_hash=prev)


def _forge(donation: Donation, amount: Decimal) -> None:
    """A perfect forgery of one donation: record, entries, fund balance, monthly totals and every hash
    after it, and the stored checkpoints rewritten to match."""
    entries = list(LedgerEntry.objects.filter(transaction_id=donation.ledger_transaction_id).order_by("seq"))
    delta = amount - donation.amount
    for entry in entries:
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=amount if entry.amount > 0 else -amount)
    Donation.objects.filter(pk=donation.pk).update(amount=amount)
    FundBalance.objects.filter(fund_id=donation.fund_id).update(
        amount=Fund.objects.get(pk=donation.fund_id).balance + delta
    )
    ledger.rebuild_month_totals()
    _rehash_from(entries[0].seq)
    for c in LedgerCheckpoint.objects.filter(seq__gte=entries[0].seq):
        balances = dict(c.balances)
        code = donation.fund.code
        balances[code] = f"{Decimal(balances[code]) + delta:.2f}"
        LedgerCheckpoint.objects.filter(pk=c.pk).update(
            hash=LedgerEntry.objects.get(seq=c.seq).hash, balances=balances, total=c.total + delta
        )


@contextmanager
def _with_the_database_owners_rights():
    """On PostgreSQL triggers refuse to change the ledger; a forger owning the database switches them off
    first (the test's transaction rolls that back)."""
    tables = ["fundraising_ledgerentry", "fundraising_ledgertransaction"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check may be pending
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_chain_rewritten_and_rehashed_after_publication_is_caught_by_a_kept_checkpoint(
    books, tmp_path, capsys
):
    published = checkpoints.checkpoint_daily()
    kept_json = tmp_path / "checkpoints.json"
    kept_csv = tmp_path / "checkpoints.csv"
    anonymous = Client()
    kept_json.write_bytes(b"".join(anonymous.get("/open-data/checkpoints.json").streaming_content))
    kept_csv.write_bytes(b"".join(anonymous.get("/open-data/checkpoints.csv").streaming_content))
    call_command("verify_ledger", checkpoint=str(kept_json))  # sound before the forgery
    call_command("verify_ledger", checkpoint=published.code)

    with _with_the_database_owners_rights():
        _forge(books.gift, Decimal("10.00"))  # after the month close: only the daily checkpoint covers it

    assert ledger.ledger_verify() == []  # the plain check cannot tell: everything was recomputed
    for kept in (kept_json, kept_csv):
        err = _fails(capsys, checkpoint=str(kept))
        assert (
            f"checkpoint {published.code}: the ledger up to entry {published.seq} no longer gives the published hash"
        ) in err
        assert f"fund general had {published.balances['general']} at entry {published.seq}" in err
        assert f"checkpoint {published.code}: the stored copy" in err  # the forger rewrote it too
    # The month close before the forged donation still holds.
    month_close = LedgerCheckpoint.objects.get(kind="month_close")
    call_command("verify_ledger", checkpoint=month_close.code)


def test_a_rewritten_history_is_caught_by_the_stored_checkpoints_when_they_were_left_alone(books, capsys):
    published = checkpoints.checkpoint_daily()
    entry = (
        LedgerEntry.objects.filter(transaction_id=books.gift.ledger_transaction_id).order_by("seq").first()
    )
    # Every amount unchanged, only a memo rewritten (the hash covers it), then everything re-hashed.
    with _with_the_database_owners_rights():
        LedgerTransaction.objects.filter(pk=entry.transaction_id).update(memo="Donation via someone else")
        _rehash_from(entry.seq)
    err = _fails(capsys)
    assert (
        f"checkpoint {published.code}: the ledger up to entry {published.seq} no longer gives the stored hash"
        in err
    )


def test_checkpoints_are_taken_at_each_month_close_and_once_a_day(books):
    from fundraising import tasks
    from fundraising.schedule import BEAT_SCHEDULE

    close = LedgerCheckpoint.objects.get(kind="month_close")
    assert close.code == f"M{_last_month():%Y-%m}" and close.month == _last_month()
    assert close.seq == LedgerEntry.objects.filter(transaction__date__lt=TODAY().replace(day=1)).count()
    assert close.balances == {"general": "5000.00"} and close.total == Decimal("5000.00")
    code = tasks.take_daily_checkpoint()
    assert tasks.take_daily_checkpoint() == code == f"D{TODAY():%Y-%m-%d}"  # one a day, safe to run twice
    daily = LedgerCheckpoint.objects.get(code=code)
    chain = LedgerChain.objects.get()
    assert (daily.seq, daily.hash) == (chain.last_seq, chain.last_hash)
    assert daily.total == sum(f.balance for f in Fund.objects.all())
    assert {c: Decimal(v) for c, v in daily.balances.items()} == {
        f.code: f.balance for f in Fund.objects.all() if f.balance
    }
    assert any(e["task"] == "fundraising.tasks.take_daily_checkpoint" for e in BEAT_SCHEDULE.values())


def test_since_checkpoint_checks_what_was_posted_after_the_last_proven_checkpoint(books, capsys):
    checkpoints.checkpoint_daily()
    call_command("verify_ledger", since_checkpoint=True)  # no proven checkpoint yet: everything is checked
    out = capsys.readouterr().out
    assert "checking everything" in out
    proven = LedgerVerification.objects.get().checkpoint
    assert proven.kind == "daily"
    later = ff.donate(fund=books.general, amount="60.00", by=books.finance)
    call_command("verify_ledger", since_checkpoint=True)
    out = capsys.readouterr().out
    assert f"after checkpoint {proven.code}" in out and "(2 entries" in out
    Donation.objects.filter(pk=later.pk).update(amount=Decimal("66.00"))
    err = _fails(capsys, since_checkpoint=True)
    assert f"donation #{later.pk}: amount 66.00 but its posting moves 60.00 into asset:bank" in err
    assert err.count("PROBLEM:") == 2
    # A donation recorded before the checkpoint whose posting is reversed after it, behind its back.
    Donation.objects.filter(pk=later.pk).update(amount=Decimal("60.00"))
    ledger.ledger_reverse(tx=books.gift.ledger_transaction)
    err = _fails(capsys, since_checkpoint=True)
    assert (
        f"donation #{books.gift.pk}: still recorded, but its posting #{books.gift.ledger_transaction_id}"
        in err
    )
    assert err.count("PROBLEM:") == 1


def test_the_checkpoints_page_and_open_data_answer_anonymous_visitors(books):
    daily = checkpoints.checkpoint_daily()
    anonymous = Client()
    page = anonymous.get("/ledger/checkpoints/")
    assert page.status_code == 200
    html = page.content.decode()
    assert daily.code in html and daily.hash in html and f"M{_last_month():%Y-%m}" in html
    assert checkpoints.published_line(daily) in html
    data = json.loads(b"".join(anonymous.get("/open-data/checkpoints.json").streaming_content))
    rows = {row["code"]: row for row in data["rows"]}
    assert rows[daily.code]["hash"] == daily.hash and rows[daily.code]["seq"] == daily.seq
    assert checkpoints.parse_balances(rows[daily.code]["balances"]) == {
        code: Decimal(v) for code, v in daily.balances.items()
    }
    response = anonymous.get("/open-data/checkpoints.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    by_code = {row["code"]: row for row in csv.DictReader(io.StringIO(text))}
    assert by_code[daily.code]["total"] == f"{daily.total}"
    assert "checkpoints" in anonymous.get("/open-data/").content.decode()
    reports = anonymous.get("/reports/")
    assert reports.status_code == 200 and 'href="/ledger/checkpoints/"' in reports.content.decode()


def test_every_transparency_report_prints_the_checkpoint_that_proves_it(
    books, people, tmp_path, capsys, django_capture_on_commit_callbacks
):
    from empowerment.models import Document
    from transparency import services as transparency_services
    from transparency.periods import month

    daily = checkpoints.checkpoint_daily()
    today = TODAY()
    with django_capture_on_commit_callbacks(execute=True):
        report = transparency_services.report_request(
            period=month(today.year, today.month), language="en", project=None, by=people["programme_officer"]
        )
    document = Document.objects.get(pk=report.document_id)
    assert document.status == Document.Status.READY, document.error
    data = document.file.open("rb").read()
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Ledger checkpoint" in text
    printed = checkpoints.parse_published(text)
    assert [(p["code"], p["seq"], p["hash"], p["total"]) for p in printed] == [
        (daily.code, daily.seq, daily.hash, daily.total)
    ]
    kept = tmp_path / "report.pdf"
    kept.write_bytes(data)
    call_command("verify_ledger", checkpoint=str(kept))
    assert "unchanged" in capsys.readouterr().out
    as_text = tmp_path / "report.txt"  # the report's text, as pdftotext or a copy-paste keeps it
    as_text.write_text(text)
    call_command("verify_ledger", checkpoint=str(as_text))
    assert f"{daily.code} (entry {daily.seq})" in capsys.readouterr().out


def test_unreadable_checkpoint_files_and_unknown_codes_are_refused_clearly(tmp_path, db):
    empty = tmp_path / "notes.txt"
    empty.write_text("nothing here")
    with pytest.raises(CommandError, match="no ledger checkpoint found"):
        call_command("verify_ledger", checkpoint=str(empty))
    with pytest.raises(CommandError, match="no checkpoint with this code"):
        call_command("verify_ledger", checkpoint="D1999-01-01")
    broken = tmp_path / "checkpoints.json"
    broken.write_text('{"rows": [{"code": "D2026-01-01", "seq": "x"}]}')
    with pytest.raises(CommandError, match="not a checkpoint row"):
        call_command("verify_ledger", checkpoint=str(broken))
    assert not LedgerVerification.objects.exists()


def test_a_new_days_checkpoint_changes_the_open_data_etag_even_without_postings(books):
    from freezegun import freeze_time

    anonymous = Client()
    checkpoints.checkpoint_daily()
    first = anonymous.get("/open-data/checkpoints.json")
    assert anonymous.get("/open-data/checkpoints.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with freeze_time(timezone.now() + datetime.timedelta(days=1)):
        taken = checkpoints.checkpoint_daily()
        again = anonymous.get("/open-data/checkpoints.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert taken.code in b"".join(again.streaming_content).decode()


def test_expenditures_posted_on_their_approval_day_before_dating_by_receipt_are_accepted(books, capsys):
    """Books kept before expenditures were dated when incurred posted them on the approval day: those
    postings (made before that migration was applied) are accepted; later ones must carry spent_on."""
    from django.db.migrations.recorder import MigrationRecorder

    from fundraising.verification import sources

    yesterday = TODAY() - datetime.timedelta(days=1)
    Expenditure.objects.filter(pk=books.spent.pk).update(spent_on=yesterday)  # approved today, posted today
    assert any(f"expenditure #{books.spent.pk}: spent on {yesterday}" in p for p in ledger.ledger_verify())
    app, name = sources.DATED_WHEN_INCURRED
    MigrationRecorder.Migration.objects.filter(app=app, name=name).update(
        applied=timezone.now() + datetime.timedelta(hours=1)
    )
    sources._dated_when_incurred_since.cache_clear()
    try:
        assert ledger.ledger_verify() == []
    finally:
        sources._dated_when_incurred_since.cache_clear()


def test_finance_officers_read_checkpoints_and_verifications_in_the_admin_and_cannot_change_them(
    books, client, capsys
):
    daily = checkpoints.checkpoint_daily()
    call_command("verify_ledger")
    client.force_login(books.finance)
    listing = client.get("/admin/fundraising/ledgercheckpoint/")
    assert listing.status_code == 200 and daily.code in listing.content.decode()
    runs = client.get("/admin/fundraising/ledgerverification/")
    assert runs.status_code == 200 and daily.code in runs.content.decode()
    assert client.get("/admin/fundraising/ledgercheckpoint/add/").status_code == 403
    assert (
        client.post(f"/admin/fundraising/ledgercheckpoint/{daily.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert LedgerCheckpoint.objects.filter(pk=daily.pk).exists()
