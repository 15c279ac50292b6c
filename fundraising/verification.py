"""Proving the books: what `manage.py verify_ledger` checks.

1. The hash chain: every entry in sequence, chained to the one before, its content matching its hash, the
   chain head matching the last entry.
2. The ledger's own arithmetic: every transaction balanced and not empty; each fund's running balance equal
   to the sum of its entries and never negative (nor its bank or advance sub-balance); every monthly total
   (LedgerMonthTotal) equal to the sum of its entries.
3. Every source record against its posting: each donation (and the grant tranche it pays), allocation,
   disbursement, expenditure and in-kind gift has exactly the posting its service writes (kind, source,
   accounts, funds, amounts, date), a reversed record has its reversal (undoing the posting exactly) and a
   recorded one has none; every posting of those kinds belongs to the record it names.
4. Every stored checkpoint (fundraising.checkpoints): the chain recomputed up to its entry gives its hash
   and the entries up to it give its balances.
5. Public figures stored elsewhere: each installed app may provide `<app>.verification.
   stored_figure_problems(note)` (transparency checks its dashboard snapshot); the command runs them.

`verify(since=...)` checks only what was posted after a checkpoint proven by an earlier full run;
`prove_checkpoints(published)` proves that the history up to checkpoints published elsewhere (a report, an
open-data file somebody kept) is unchanged, which catches a chain rewritten and re-hashed after publication.
"""

import csv
import importlib
import importlib.util
import io
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as date_type
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from empowerment.money import CENT

from . import checkpoints as checkpoint_format
from .ledger import ADVANCES, CASH, ENTRY_BATCH, GENESIS, entry_hash
from .models import (
    Account,
    Allocation,
    Channel,
    Disbursement,
    Donation,
    Expenditure,
    Fund,
    GrantTranche,
    InKindGift,
    LedgerChain,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerMonthTotal,
    LedgerTransaction,
    LedgerVerification,
)

ZERO = Decimal("0.00")
RECORD_BATCH = 2000
Kind = LedgerTransaction.Kind
# Books written before expenditures were dated when incurred have no `occurred_on`; read it when present.
HAS_OCCURRED_ON = any(f.name == "occurred_on" for f in LedgerTransaction._meta.get_fields())
TX_FIELDS = ["pk", "date", "kind", "memo", "reverses_id", "source_type_id", "source_id"] + (
    ["occurred_on"] if HAS_OCCURRED_ON else []
)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)  # SQLite sums decimals in floating point; quantize to the fen


@dataclass
class Published:
    """A checkpoint as published: at least its code, entry and hash; total and balances when known."""

    code: str
    seq: int
    hash: str
    total: Decimal | None = None
    balances: dict[str, Decimal] | None = None
    where: str = "published"


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries_checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    since: LedgerCheckpoint | None = None
    seconds: float = 0.0

    @property
    def sound(self) -> bool:
        return not self.problems


@dataclass
class _Start:
    seq: int = 0
    hash: str = GENESIS
    balances: dict[int, Decimal] = field(default_factory=dict)


# The public entry points ----------------------------------------------------------------------------------


def ledger_verify(*, progress: Callable[[int], None] | None = None) -> list[str]:
    """Every problem of the books (points 1 to 4 above) over the whole history; empty when sound."""
    return verify(progress=progress, stored_figures=False).problems


def verify(
    *,
    since: LedgerCheckpoint | None = None,
    progress: Callable[[int], None] | None = None,
    stored_figures: bool = True,
) -> Result:
    """Check the books: everything (since=None), or only what was posted after `since`, a checkpoint an
    earlier full run proved (its hash and balances are then trusted). Writes nothing."""
    started = time.monotonic()
    result = Result(since=since)
    with _snapshot():
        start = _start_of(since, result) if since is not None else _Start()
        _check_chain(result, start, progress=progress, stored_checkpoints=True)
        floor = _tx_floor(start.seq) if since is not None else None
        if since is None or floor is not None:
            _check_transactions(result, floor)
            _check_month_totals(result, floor)
            _check_sources(result, floor)
    if stored_figures:
        _check_stored_figures(result)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def prove_checkpoints(published: list[Published], *, progress: Callable[[int], None] | None = None) -> Result:
    """Recompute the chain from its first entry up to the last of these published checkpoints and
    compare, at each, the hash and the balances: a history changed before a checkpoint gives another
    hash, even if every later entry and the chain head were re-hashed to look sound."""
    result = Result()
    if not published:
        result.problems.append("no checkpoint to prove")
        return result
    with _snapshot():
        _check_chain(
            result,
            _Start(),
            until=max(p.seq for p in published),
            published=published,
            stored_checkpoints=False,
            progress=progress,
        )
        stored = {c.code: c for c in LedgerCheckpoint.objects.filter(code__in=[p.code for p in published])}
    for p in published:
        kept = stored.get(p.code)
        if kept is None:
            result.notes.append(f"checkpoint {p.code} is not among the checkpoints stored here")
        elif (kept.seq, kept.hash) != (p.seq, p.hash):
            result.problems.append(
                f"checkpoint {p.code}: the stored copy (entry {kept.seq}, hash {kept.hash[:16]}…) differs "
                f"from the {p.where} one (entry {p.seq}, hash {p.hash[:16]}…)"
            )
    return result


@transaction.atomic
def verification_record(result: Result) -> LedgerVerification:
    """Remember a sound full run: how far the chain was proven and the latest checkpoint it covered, from
    which `verify_ledger --since-checkpoint` continues."""
    if not result.sound or result.since is not None:
        raise ValueError("only a sound full verification is recorded")
    checkpoint = (
        LedgerCheckpoint.objects.filter(seq__lte=result.last_seq).order_by("-seq", "-taken_on", "-pk").first()
    )
    return LedgerVerification.objects.create(
        seq=result.last_seq, hash=result.last_hash, checkpoint=checkpoint, seconds=result.seconds
    )


def last_verified_checkpoint() -> LedgerCheckpoint | None:
    """The checkpoint the latest sound full run covered (None before the first one)."""
    run = (
        LedgerVerification.objects.filter(checkpoint__isnull=False)
        .select_related("checkpoint")
        .order_by("-checkpoint__seq", "-verified_at", "-pk")
        .first()
    )
    return run.checkpoint if run else None


# Reading published checkpoints -----------------------------------------------------------------------------


class UnreadableCheckpoints(ValueError):
    pass


def load_published(file_or_code: str) -> list[Published]:
    """The checkpoints in a file kept from publication (the open-data `checkpoints` JSON or CSV, a report
    PDF or its text), or the stored checkpoint with that code."""
    path = Path(file_or_code)
    if not path.is_file():
        checkpoint = LedgerCheckpoint.objects.filter(code=file_or_code.strip()).first()
        if checkpoint is None:
            raise UnreadableCheckpoints(f"{file_or_code}: no such file and no checkpoint with this code")
        return [
            Published(
                code=checkpoint.code,
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                total=checkpoint.total,
                balances={k: _money(v) for k, v in checkpoint.balances.items()},
                where="stored",
            )
        ]
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        found = _from_text(_pdf_text(data))
    else:
        text = data.decode("utf-8-sig", errors="replace")
        stripped = text.lstrip()
        if stripped.startswith(("{", "[")):
            found = _from_json(text)
        elif stripped.split("\n", 1)[0].replace('"', "").startswith("code,"):
            found = _from_csv(text)
        else:
            found = _from_text(text)
    if not found:
        raise UnreadableCheckpoints(f"{file_or_code}: no ledger checkpoint found in this file")
    return found


def _pdf_text(data: bytes) -> str:
    try:
        import pypdf  # noqa: PLC0415 - only needed to read a report PDF
    except ImportError:  # pragma: no cover - pypdf is installed with the project's dev tools
        raise UnreadableCheckpoints(
            "reading a PDF needs pypdf; or pass the report's text (e.g. from pdftotext)"
        ) from None
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _from_text(text: str) -> list[Published]:
    return [
        Published(code=p["code"], seq=p["seq"], hash=p["hash"], total=p["total"], where="printed")
        for p in checkpoint_format.parse_published(text)
    ]


def _row(row: dict, where: str) -> Published:
    try:
        total = row.get("total")
        balances = row.get("balances")
        return Published(
            code=str(row["code"]).strip(),
            seq=int(row["seq"]),
            hash=str(row["hash"]).strip().lower(),
            total=_money(Decimal(str(total))) if total not in (None, "") else None,
            balances=checkpoint_format.parse_balances(balances) if balances is not None else None,
            where=where,
        )
    except (KeyError, ValueError, TypeError, InvalidOperation) as exc:
        raise UnreadableCheckpoints(f"not a checkpoint row ({exc}): {row}") from None


def _from_json(text: str) -> list[Published]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableCheckpoints(f"not valid JSON: {exc}") from None
    rows = data.get("rows", [data]) if isinstance(data, dict) else data
    return [_row(row, "published") for row in rows if isinstance(row, dict)]


def _from_csv(text: str) -> list[Published]:
    return [_row(row, "published") for row in csv.DictReader(io.StringIO(text))]


# The chain --------------------------------------------------------------------------------------------------


@contextmanager
def _snapshot():
    """On PostgreSQL, read everything from one snapshot (REPEATABLE READ), so postings committed while the
    check runs cannot make the entries and the running totals disagree."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    else:
        yield


def _start_of(checkpoint: LedgerCheckpoint, result: Result) -> _Start:
    codes = dict(Fund.objects.values_list("code", "pk"))
    balances = {}
    for code, amount in checkpoint.balances.items():
        if code not in codes:
            result.problems.append(f"checkpoint {checkpoint.code}: fund {code} no longer exists")
            continue
        balances[codes[code]] = _money(amount)
    if checkpoint.seq:
        stored = LedgerEntry.objects.filter(seq=checkpoint.seq).values_list("hash", flat=True).first()
        if stored is None:
            result.problems.append(f"checkpoint {checkpoint.code}: entry {checkpoint.seq} is missing")
        elif stored != checkpoint.hash:
            result.problems.append(
                f"checkpoint {checkpoint.code}: entry {checkpoint.seq} no longer has the checkpoint's hash"
            )
    result.notes.append(
        f"checking what was posted after checkpoint {checkpoint.code} (entry {checkpoint.seq}), proven by "
        "an earlier full run"
    )
    return _Start(seq=checkpoint.seq, hash=checkpoint.hash, balances=balances)


def _check_chain(
    result: Result,
    start: _Start,
    *,
    until: int | None = None,
    published: Iterable[Published] = (),
    stored_checkpoints: bool,
    progress=None,
) -> None:
    """One pass over the entries after `start` (up to `until`): sequence, links, hashes; each fund's
    running balance, compared at every checkpoint on the way and, for a whole pass, with the funds'
    running totals at the end."""
    problems = result.problems
    codes = dict(Account.objects.values_list("pk", "code"))
    fund_codes = dict(Fund.objects.values_list("pk", "code"))
    balance_accounts = set(
        Account.objects.filter(type=Account.Type.ASSET, in_kind=False).values_list("pk", flat=True)
    )
    to_check: dict[int, list[Published]] = defaultdict(list)
    for p in published:
        to_check[p.seq].append(p)
    if stored_checkpoints:
        for c in LedgerCheckpoint.objects.filter(seq__gt=start.seq).order_by("seq"):
            to_check[c.seq].append(
                Published(
                    code=c.code,
                    seq=c.seq,
                    hash=c.hash,
                    total=c.total,
                    balances={k: _money(v) for k, v in c.balances.items()},
                    where="stored",
                )
            )
    balances: dict[int, Decimal] = defaultdict(Decimal, start.balances)
    pairs: dict[tuple[int, int], Decimal] = defaultdict(Decimal)

    def at_checkpoint(seq: int, chain_hash: str) -> None:
        for p in to_check.pop(seq, []):
            if p.hash != chain_hash:
                problems.append(
                    f"checkpoint {p.code}: the ledger up to entry {seq} no longer gives the {p.where} hash "
                    f"{p.hash[:16]}… (it gives {chain_hash[:16]}…): the history before it was changed"
                )
            now = {fund_codes.get(f, f"#{f}"): _money(v) for f, v in balances.items() if _money(v)}
            if p.balances is not None:
                for code in sorted(set(now) | set(p.balances)):
                    had, has = p.balances.get(code, ZERO), now.get(code, ZERO)
                    if had != has:
                        problems.append(
                            f"checkpoint {p.code}: fund {code} had {had} at entry {seq} when "
                            f"{p.where}, its entries up to there sum to {has}"
                        )
            total = sum(now.values(), ZERO)
            if p.total is not None and p.total != total:
                problems.append(
                    f"checkpoint {p.code}: total balance {p.total} at entry {seq} when {p.where}, its "
                    f"entries up to there sum to {total}"
                )

    at_checkpoint(start.seq, start.hash)
    rows = LedgerEntry.objects.filter(seq__gt=start.seq)
    if until is not None:
        rows = rows.filter(seq__lte=until)
    rows = rows.order_by("seq").values_list(
        "seq", "transaction_id", "account_id", "fund_id", "amount", "prev_hash", "hash"
    )
    prev, chain_prev, expected_seq, count = start.hash, start.hash, start.seq, 0
    for batch in _batches(rows.iterator(chunk_size=ENTRY_BATCH), ENTRY_BATCH):
        # One query for the transactions of a whole batch of entries, not one per transaction.
        txs = LedgerTransaction.objects.only(*TX_FIELDS).in_bulk({row[1] for row in batch})
        for seq, tx_id, account_id, fund_id, amount, prev_hash, digest in batch:
            count += 1
            expected_seq += 1
            if seq != expected_seq:
                problems.append(
                    f"entry seq {seq}: expected sequence number {expected_seq} (an entry is missing)"
                )
                expected_seq = seq
            if prev_hash != prev:
                problems.append(f"entry seq {seq}: previous hash does not match the entry before it")
            content = {
                "seq": seq,
                "tx": txs[tx_id],
                "account_code": codes[account_id],
                "fund_id": fund_id,
                "amount": amount,
            }
            recomputed = entry_hash(**content, prev_hash=prev_hash)
            if recomputed != digest:
                problems.append(f"entry seq {seq} (transaction #{tx_id}): content does not match its hash")
            # The chain as recomputed from its start, whatever the stored links say.
            chain_prev = (
                recomputed if prev_hash == chain_prev else entry_hash(**content, prev_hash=chain_prev)
            )
            prev = digest
            if account_id in balance_accounts:
                balances[fund_id] += amount
                pairs[(fund_id, account_id)] += amount
            if seq in to_check:
                at_checkpoint(seq, chain_prev)
            if progress and count % 10000 == 0:
                progress(count)
    result.entries_checked = count
    result.last_seq, result.last_hash = expected_seq, prev
    for seq, waiting in sorted(to_check.items()):
        for p in waiting:
            problems.append(
                f"checkpoint {p.code} names entry {seq} but the ledger ends at entry {expected_seq} "
                "(entries were removed)"
            )
    if until is not None:
        return
    chain = LedgerChain.objects.filter(pk=1).first()
    if chain is not None and (chain.last_seq != expected_seq or chain.last_hash != prev):
        problems.append("the chain head does not match the last entry (entries were removed or added)")
    if chain is None and expected_seq:
        problems.append("the chain head is missing")
    _check_balances(result, balances, pairs, whole=start.seq == 0)


def _check_balances(result: Result, balances, pairs, *, whole: bool) -> None:
    for fund in Fund.objects.order_by("code"):
        total = _money(balances.get(fund.pk))
        if fund.balance != total:
            result.problems.append(
                f"fund {fund.code}: running balance {fund.balance} differs from the sum {total}"
            )
        if total < 0:
            result.problems.append(f"fund {fund.code}: negative balance {total}")
    if not whole:  # the sub-balances of the funds touched since the start, summed by the database
        touched = {fund_id for fund_id, _account in pairs}
        pairs = {
            (f, a): _money(s)
            for f, a, s in LedgerEntry.objects.filter(
                fund_id__in=touched, account__type=Account.Type.ASSET, account__in_kind=False
            )
            .order_by()
            .values_list("fund_id", "account_id")
            .annotate(s=Sum("amount"))
        }
    fund_codes = dict(Fund.objects.values_list("pk", "code"))
    codes = dict(Account.objects.values_list("pk", "code"))
    for (fund_id, account_id), amount in sorted(pairs.items()):
        if _money(amount) < 0:
            result.problems.append(
                f"fund {fund_codes.get(fund_id)}: {codes.get(account_id)} is negative ({_money(amount)})"
            )


def _batches(iterable, size: int):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _tx_floor(seq: int) -> int | None:
    """The lowest transaction id with an entry after `seq`: every transaction posted later has an id at
    least this (ids are given out under the chain lock), so `pk >= floor` covers all of them."""
    return LedgerEntry.objects.filter(seq__gt=seq).aggregate(m=Min("transaction_id"))["m"]


# Transactions and monthly totals ----------------------------------------------------------------------------


def _check_transactions(result: Result, floor: int | None) -> None:
    entries = (
        LedgerEntry.objects.all() if floor is None else LedgerEntry.objects.filter(transaction_id__gte=floor)
    )
    unbalanced = entries.values("transaction_id").annotate(total=Sum("amount")).exclude(total=0)
    for row in unbalanced:
        if _money(row["total"]) != 0:  # SQLite's float sums leave 1e-17 on balanced transactions
            result.problems.append(
                f"transaction #{row['transaction_id']} is not balanced (sum {row['total']})"
            )
    empty = LedgerTransaction.objects.filter(entries__isnull=True)
    if floor is not None:
        empty = empty.filter(pk__gte=floor)
    for tx_id in empty.values_list("pk", flat=True):
        result.problems.append(f"transaction #{tx_id} has no entries")


def _month_range_q(months: set[date_type]) -> Q:
    q = Q()
    for month in months:
        end = date_type(month.year + (month.month == 12), month.month % 12 + 1, 1)
        q |= Q(transaction__date__gte=month, transaction__date__lt=end)
    return q


def _check_month_totals(result: Result, floor: int | None) -> None:
    entries = LedgerEntry.objects.all()
    kept_rows = LedgerMonthTotal.objects.all()
    if floor is not None:
        months = {
            d.replace(day=1)
            for d in LedgerTransaction.objects.filter(pk__gte=floor).values_list("date", flat=True).distinct()
        }
        entries = entries.filter(_month_range_q(months))
        kept_rows = kept_rows.filter(month__in=months)
    expected = {}
    for account_id, fund_id, month, total, count in (
        entries.annotate(month=TruncMonth("transaction__date"))
        .order_by()
        .values_list("account_id", "fund_id", "month")
        .annotate(s=Sum("amount"), n=Count("pk"))
    ):
        month = month.date() if hasattr(month, "date") else month
        expected[(account_id, fund_id, month)] = (_money(total), count)
    kept = {(r.account_id, r.fund_id, r.month): (r.amount, r.entries) for r in kept_rows}
    codes = dict(Account.objects.values_list("pk", "code"))
    for key in sorted(set(expected) | set(kept), key=lambda k: (k[2], k[0], k[1])):
        want = expected.get(key, (ZERO, 0))
        have = kept.get(key, (ZERO, 0))
        if want != have:
            result.problems.append(
                f"month total {key[2]:%Y-%m} account {codes.get(key[0], key[0])} fund #{key[1]}: kept "
                f"{have[0]} over {have[1]} entries, the entries sum to {want[0]} over {want[1]}"
            )


# Source records against their postings ----------------------------------------------------------------------


class _Books:
    """Lookups shared by the record checks: account and fund codes, content types."""

    def __init__(self):
        self.accounts = dict(Account.objects.values_list("pk", "code"))
        self.funds = dict(Fund.objects.values_list("pk", "code"))
        self.channels = dict(Channel.objects.values_list("pk", "code"))
        self.project_funds = dict(Fund.objects.filter(project__isnull=False).values_list("project_id", "pk"))
        self.ct = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Donation, Allocation, Disbursement, Expenditure, InKindGift)
        }

    def fund(self, fund_id) -> str:
        return self.funds.get(fund_id, f"#{fund_id}")

    def postings(self, tx_ids: set[int]) -> tuple[dict, dict, dict]:
        """(transactions by id, their lines by id, reversal by original id), reversals' lines included:
        three queries for a whole batch of records."""
        reversals = dict(
            LedgerTransaction.objects.filter(reverses_id__in=tx_ids).values_list("reverses_id", "pk")
        )
        ids = set(tx_ids) | set(reversals.values())
        txs = {row["pk"]: row for row in LedgerTransaction.objects.filter(pk__in=ids).values(*TX_FIELDS)}
        lines: dict[int, list] = defaultdict(list)
        for tx_id, account_id, fund_id, amount in LedgerEntry.objects.filter(
            transaction_id__in=ids
        ).values_list("transaction_id", "account_id", "fund_id", "amount"):
            lines[tx_id].append((self.accounts[account_id], self.fund(fund_id), _money(amount)))
        return txs, lines, reversals


@dataclass
class _Expected:
    label: str
    model: type
    pk: int
    tx_id: int | None
    kind: str
    lines: list[tuple[str, str, Decimal]]
    date: date_type
    date_name: str
    reversed: bool | None  # None: records that cannot be reversed
    legacy_date: date_type | None = None


def _check_sources(result: Result, floor: int | None) -> None:
    books = _Books()
    problems = result.problems
    for checker in (_donations, _allocations, _disbursements, _expenditures, _in_kind):
        for batch in checker(books, floor, problems):
            tx_ids = {e.tx_id for e in batch if e.tx_id is not None}
            txs, lines, reversals = books.postings(tx_ids)
            for expected in batch:
                problems.extend(_compare(books, expected, txs, lines, reversals))
    _check_tranches(problems, floor)
    _check_unclaimed(books, problems, floor)


def _keyset(qs, fields: list[str]):
    """Rows of `qs` as dicts, in primary-key order, RECORD_BATCH at a time."""
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last).order_by("pk").values(*fields)[:RECORD_BATCH])
        if batch:
            yield batch
        if len(batch) < RECORD_BATCH:
            return
        last = batch[-1]["pk"]


def _since(qs, floor: int | None):
    if floor is None:
        return qs
    return qs.filter(
        Q(ledger_transaction__isnull=True)
        | Q(ledger_transaction_id__gte=floor)
        | Q(ledger_transaction__reversed_by__id__gte=floor)
    )


def _donations(books: _Books, floor, problems):
    fields = ["pk", "amount", "received_on", "fund_id", "channel_id", "status", "ledger_transaction_id"]
    for rows in _keyset(_since(Donation.objects.all(), floor), fields):
        yield [
            _Expected(
                label=f"donation #{d['pk']}",
                model=Donation,
                pk=d["pk"],
                tx_id=d["ledger_transaction_id"],
                kind=Kind.DONATION,
                lines=[
                    (CASH, books.fund(d["fund_id"]), d["amount"]),
                    (f"income:{books.channels.get(d['channel_id'])}", books.fund(d["fund_id"]), -d["amount"]),
                ],
                date=d["received_on"],
                date_name="received on",
                reversed=d["status"] == Donation.Status.REVERSED,
            )
            for d in rows
        ]


def _allocations(books: _Books, floor, problems):
    fields = ["pk", "amount", "allocated_on", "from_fund_id", "to_fund_id", "ledger_transaction_id"]
    for rows in _keyset(_since(Allocation.objects.all(), floor), fields):
        yield [
            _Expected(
                label=f"allocation #{a['pk']}",
                model=Allocation,
                pk=a["pk"],
                tx_id=a["ledger_transaction_id"],
                kind=Kind.ALLOCATION,
                lines=[
                    (CASH, books.fund(a["to_fund_id"]), a["amount"]),
                    (CASH, books.fund(a["from_fund_id"]), -a["amount"]),
                ],
                date=a["allocated_on"],
                date_name="allocated on",
                reversed=None,
            )
            for a in rows
        ]


def _disbursements(books: _Books, floor, problems):
    fields = ["pk", "amount", "paid_on", "fund_id", "project_id", "ledger_transaction_id"]
    for rows in _keyset(_since(Disbursement.objects.all(), floor), fields):
        batch = []
        for d in rows:
            label = f"disbursement #{d['pk']}"
            if books.project_funds.get(d["project_id"]) != d["fund_id"]:
                problems.append(
                    f"{label}: paid from fund {books.fund(d['fund_id'])}, which is not its project's fund"
                )
            batch.append(
                _Expected(
                    label=label,
                    model=Disbursement,
                    pk=d["pk"],
                    tx_id=d["ledger_transaction_id"],
                    kind=Kind.DISBURSEMENT,
                    lines=[
                        (ADVANCES, books.fund(d["fund_id"]), d["amount"]),
                        (CASH, books.fund(d["fund_id"]), -d["amount"]),
                    ],
                    date=d["paid_on"],
                    date_name="paid on",
                    reversed=None,
                )
            )
        yield batch


def _expenditures(books: _Books, floor, problems):
    fields = [
        "pk",
        "amount",
        "spent_on",
        "status",
        "project_id",
        "classification",
        "paid_from",
        "budget_line__category",
        "budget_line__project_id",
        "decided_at",
        "ledger_transaction_id",
    ]
    posted = (Expenditure.Status.APPROVED, Expenditure.Status.REVERSED)
    for rows in _keyset(_since(Expenditure.objects.all(), floor), fields):
        batch = []
        for e in rows:
            label = f"expenditure #{e['pk']}"
            if e["budget_line__project_id"] != e["project_id"]:
                problems.append(f"{label}: its budget line belongs to another project")
            if e["status"] not in posted:
                if e["ledger_transaction_id"] is not None:
                    problems.append(
                        f"{label}: {e['status']} but it has posting #{e['ledger_transaction_id']}"
                    )
                continue
            fund_id = books.project_funds.get(e["project_id"])
            if fund_id is None:
                problems.append(f"{label}: {e['status']} but its project has no fund")
                continue
            fund = books.fund(fund_id)
            credit = ADVANCES if e["paid_from"] == Expenditure.PaidFrom.ADVANCE else CASH
            decided = timezone.localdate(e["decided_at"]) if e["decided_at"] else None
            batch.append(
                _Expected(
                    label=label,
                    model=Expenditure,
                    pk=e["pk"],
                    tx_id=e["ledger_transaction_id"],
                    kind=Kind.EXPENDITURE,
                    lines=[
                        (f"expense:{e['classification']}:{e['budget_line__category']}", fund, e["amount"]),
                        (credit, fund, -e["amount"]),
                    ],
                    date=e["spent_on"],
                    date_name="spent on",
                    reversed=e["status"] == Expenditure.Status.REVERSED,
                    legacy_date=decided,
                )
            )
        yield batch


def _in_kind(books: _Books, floor, problems):
    fields = ["pk", "value", "kind", "received_on", "fund_id", "ledger_transaction_id"]
    for rows in _keyset(_since(InKindGift.objects.all(), floor), fields):
        yield [
            _Expected(
                label=f"in-kind gift #{g['pk']}",
                model=InKindGift,
                pk=g["pk"],
                tx_id=g["ledger_transaction_id"],
                kind=Kind.IN_KIND,
                lines=[
                    (f"inkind:use:{g['kind']}", books.fund(g["fund_id"]), g["value"]),
                    (f"inkind:income:{g['kind']}", books.fund(g["fund_id"]), -g["value"]),
                ],
                date=g["received_on"],
                date_name="received on",
                reversed=None,
            )
            for g in rows
        ]


def _compare(books: _Books, e: _Expected, txs, lines, reversals) -> list[str]:
    if e.tx_id is None:
        return [f"{e.label}: it has no ledger posting"]
    tx = txs[e.tx_id]
    out = []
    if tx["kind"] != e.kind:
        out.append(f"{e.label}: its posting #{e.tx_id} is a {tx['kind']} transaction, not a {e.kind}")
    if tx["reverses_id"] is not None:
        out.append(f"{e.label}: its posting #{e.tx_id} is a reversal of #{tx['reverses_id']}")
    if (tx["source_type_id"], tx["source_id"]) != (books.ct[e.model], str(e.pk)):
        out.append(f"{e.label}: its posting #{e.tx_id} names another record as its source")
    out.extend(_compare_lines(e.label, [(a, f, _money(x)) for a, f, x in e.lines], lines.get(e.tx_id, [])))
    date_problem = _date_problem(e, tx)
    if date_problem:
        out.append(date_problem)
    reversal_id = reversals.get(e.tx_id)
    if e.reversed and reversal_id is None:
        out.append(f"{e.label}: marked reversed but its posting #{e.tx_id} has no reversal")
    elif not e.reversed and reversal_id is not None:
        state = "still recorded" if e.reversed is False else "a record that is never reversed"
        out.append(f"{e.label}: {state}, but its posting #{e.tx_id} was reversed by #{reversal_id}")
    if reversal_id is not None:
        reversal = txs[reversal_id]
        undo = [(a, f, -x) for a, f, x in lines.get(e.tx_id, [])]
        if Counter(lines.get(reversal_id, [])) != Counter(undo):
            out.append(f"reversal #{reversal_id} of {e.label} does not undo its posting #{e.tx_id} exactly")
        if reversal["kind"] != Kind.REVERSAL:
            out.append(f"reversal #{reversal_id} of {e.label} is a {reversal['kind']} transaction")
        if (reversal["source_type_id"], reversal["source_id"]) != (tx["source_type_id"], tx["source_id"]):
            out.append(
                f"reversal #{reversal_id} of {e.label} names another source than the posting it undoes"
            )
        if reversal["date"] < tx["date"]:
            out.append(f"reversal #{reversal_id} of {e.label} is dated before the posting it undoes")
    return out


def _date_problem(e: _Expected, tx: dict) -> str | None:
    posted, occurred = tx["date"], tx.get("occurred_on")
    if posted == e.date and occurred in (None, e.date):
        return None
    # Dated in a closed month: posted later, in an open month, with the real date kept as occurred_on.
    if occurred == e.date and posted > e.date:
        return None
    # Expenditures approved before they were dated when incurred were posted on the approval day.
    if e.legacy_date is not None and posted == e.legacy_date and occurred is None:
        return None
    shown = f"{posted}" + (f" (occurred {occurred})" if occurred else "")
    return f"{e.label}: {e.date_name} {e.date} but its posting is dated {shown}"


def _compare_lines(label: str, expected: list, actual: list) -> list[str]:
    """Name what differs between the lines a record should have posted and those its posting has:
    lists of (account code, fund code, signed amount)."""
    if Counter(expected) == Counter(actual):
        return []
    if not actual:
        return [f"{label}: its posting has no entries"]

    def by_key(lines):
        out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for account, fund, amount in lines:
            out[(account, fund)] += amount
        return out

    want, have = by_key(expected), by_key(actual)
    several_funds = len({f for _a, f, _x in expected}) > 1
    out = []
    if set(want) == set(have):
        for (account, fund), amount in sorted(want.items()):
            got = have[(account, fund)]
            if got == amount:
                continue
            where = f"{account} of fund {fund}" if several_funds else account
            if abs(got) != abs(amount):
                out.append(f"{label}: amount {abs(amount)} but its posting moves {abs(got)} into {where}")
            else:
                out.append(
                    f"{label}: its posting has {got} on {where} where {amount} is due (debit and credit swapped)"
                )
        return out
    want_accounts = {a for a, _f in want}
    have_accounts = {a for a, _f in have}
    if want_accounts == have_accounts:
        for account in sorted(want_accounts):
            funds_want = sorted(f for a, f in want if a == account)
            funds_have = sorted(f for a, f in have if a == account)
            if funds_want != funds_have:
                out.append(
                    f"{label}: fund {', '.join(funds_want)} but its posting puts {account} on fund "
                    f"{', '.join(funds_have)}"
                )
        amounts_want = sorted(abs(x) for x in want.values())
        amounts_have = sorted(abs(x) for x in have.values())
        if amounts_want != amounts_have:
            out.append(f"{label}: amount {amounts_want[-1]} but its posting moves {amounts_have[-1]}")
        return out or [f"{label}: its posting's lines differ from what it records"]
    missing = sorted(want_accounts - have_accounts)
    extra = sorted(have_accounts - want_accounts)
    out.append(
        f"{label}: its posting should use {', '.join(missing) or '—'} but uses {', '.join(extra) or '—'}"
    )
    amounts_want = sorted(abs(x) for x in want.values())
    amounts_have = sorted(abs(x) for x in have.values())
    if amounts_want != amounts_have:
        out.append(f"{label}: amount {amounts_want[-1]} but its posting moves {amounts_have[-1]}")
    return out


def _check_tranches(problems: list[str], floor: int | None) -> None:
    tranches = GrantTranche.objects.filter(donation__isnull=False)
    if floor is not None:
        tranches = tranches.filter(donation__ledger_transaction_id__gte=floor)
    for t in tranches.values(
        "pk",
        "number",
        "amount",
        "grant_id",
        "grant__fund__code",
        "grant__channel_id",
        "donation__pk",
        "donation__amount",
        "donation__fund__code",
        "donation__channel_id",
    ).iterator(chunk_size=RECORD_BATCH):
        label = f"grant tranche #{t['pk']} (grant #{t['grant_id']}, tranche {t['number']})"
        if t["amount"] != t["donation__amount"]:
            problems.append(
                f"{label}: amount {t['amount']} but its donation #{t['donation__pk']} records "
                f"{t['donation__amount']}"
            )
        if t["grant__fund__code"] != t["donation__fund__code"]:
            problems.append(
                f"{label}: the grant is for fund {t['grant__fund__code']} but its donation "
                f"#{t['donation__pk']} went to fund {t['donation__fund__code']}"
            )
        if t["grant__channel_id"] != t["donation__channel_id"]:
            problems.append(
                f"{label}: its donation #{t['donation__pk']} came through another channel than the grant's"
            )


SOURCE_MODELS = {
    Kind.DONATION: Donation,
    Kind.ALLOCATION: Allocation,
    Kind.DISBURSEMENT: Disbursement,
    Kind.EXPENDITURE: Expenditure,
    Kind.IN_KIND: InKindGift,
}


def _check_unclaimed(books: _Books, problems: list[str], floor: int | None) -> None:
    """Postings no record claims: their source is missing, or a record was posted twice."""
    txs = (
        LedgerTransaction.objects.all() if floor is None else LedgerTransaction.objects.filter(pk__gte=floor)
    )
    for kind, model in SOURCE_MODELS.items():
        claimed = model.objects.filter(ledger_transaction__isnull=False).values("ledger_transaction_id")
        unclaimed = (
            txs.filter(kind=kind, reverses__isnull=True)
            .exclude(pk__in=claimed)
            .values_list("pk", "source_type_id", "source_id")
        )
        name = model._meta.verbose_name
        for tx_id, source_type_id, source_id in unclaimed.iterator(chunk_size=RECORD_BATCH):
            if source_type_id != books.ct[model] or not source_id:
                problems.append(f"transaction #{tx_id} ({kind}): it names no {name} as its source")
            elif not model.objects.filter(pk=source_id).exists():
                problems.append(f"transaction #{tx_id} ({kind}): its source {name} #{source_id} is missing")
            else:
                problems.append(
                    f"transaction #{tx_id} ({kind}): {name} #{source_id} is posted by another transaction "
                    "(posted twice?)"
                )
    for tx_id, kind in txs.filter(
        Q(kind=Kind.REVERSAL, reverses__isnull=True) | (~Q(kind=Kind.REVERSAL) & Q(reverses__isnull=False))
    ).values_list("pk", "kind"):
        problems.append(
            f"transaction #{tx_id} ({kind}): a reversal must be of kind reversal and name the transaction it undoes"
        )
    adjusted = txs.filter(kind=Kind.REVERSAL, reverses__kind=Kind.ADJUSTMENT).values_list("pk", "reverses_id")
    for tx_id, original in adjusted:
        undo = Counter(
            (a, f, -x)
            for a, f, x in LedgerEntry.objects.filter(transaction_id=original).values_list(
                "account_id", "fund_id", "amount"
            )
        )
        if (
            Counter(
                LedgerEntry.objects.filter(transaction_id=tx_id).values_list(
                    "account_id", "fund_id", "amount"
                )
            )
            != undo
        ):
            problems.append(f"reversal #{tx_id} does not undo adjustment #{original} exactly")


# Stored public figures --------------------------------------------------------------------------------------


def stored_figure_checks() -> list[Callable]:
    """`stored_figure_problems(note)` of every installed app's `verification` module that has one."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.verification"
        if name == __name__ or importlib.util.find_spec(name) is None:
            continue
        check = getattr(importlib.import_module(name), "stored_figure_problems", None)
        if callable(check):
            found.append(check)
    return found


def _check_stored_figures(result: Result) -> None:
    for check in stored_figure_checks():
        result.problems.extend(check(result.notes.append))
