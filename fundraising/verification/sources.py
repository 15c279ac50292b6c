"""Every source record against its posting, and postings whose record is missing."""

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from datetime import date as date_type
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ..ledger import ADVANCES, CASH
from ..models import (
    Account,
    Allocation,
    Channel,
    Disbursement,
    Donation,
    Expenditure,
    Fund,
    GrantTranche,
    InKindGift,
    LedgerEntry,
    LedgerTransaction,
)
from .common import RECORD_BATCH, TX_FIELDS, Kind, Result, money

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
        a few queries for a whole batch of records."""
        if not tx_ids:
            return {}, {}, {}
        found = _in(LedgerTransaction.objects, "reverses_id", tx_ids).values_list("reverses_id", "pk")
        reversals = {original: reversal for original, reversal in found if original in tx_ids}
        ids = set(tx_ids) | set(reversals.values())
        txs = {
            row["pk"]: row
            for part in (tx_ids, set(reversals.values()))
            if part
            for row in _in(LedgerTransaction.objects, "pk", part).values(*TX_FIELDS, "created_at")
            if row["pk"] in ids
        }
        lines: dict[int, list] = defaultdict(list)
        done: set[int] = set()  # a reversal may lie in the originals' range too: its lines are read once
        for part in (tx_ids, set(reversals.values())):
            if not part:
                continue
            rows = _in(LedgerEntry.objects, "transaction_id", part).values_list(
                "transaction_id", "account_id", "fund_id", "amount"
            )
            read = set()
            for tx_id, account_id, fund_id, amount in rows:
                if tx_id in ids and tx_id not in done:
                    lines[tx_id].append((self.accounts[account_id], self.fund(fund_id), money(amount)))
                    read.add(tx_id)
            done |= read
        return txs, lines, reversals


def _in(manager, column: str, ids: set[int]):
    """Rows whose `column` is one of `ids`: a range scan when the ids lie close together (records written
    one after the other have consecutive postings), which the database reads faster than a long IN list;
    the caller drops the rows in between that are not asked for."""
    low, high = min(ids), max(ids)
    if high - low < 4 * len(ids) + 64:
        return manager.filter(**{f"{column}__gte": low, f"{column}__lte": high})
    return manager.filter(**{f"{column}__in": ids})


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


def check_sources(result: Result, floor: int | None) -> None:
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
    """Rows of `qs` as dicts, in primary-key order, RECORD_BATCH at a time. A narrowed query (since a
    checkpoint) gathers its few ids first, through the indexes it names, then reads them by id."""
    if qs.query.where:
        ids = sorted(qs.values_list("pk", flat=True))
        for start in range(0, len(ids), RECORD_BATCH):
            chunk = ids[start : start + RECORD_BATCH]
            yield list(qs.model.objects.filter(pk__in=chunk).order_by("pk").values(*fields))
        return
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last).order_by("pk").values(*fields)[:RECORD_BATCH])
        if batch:
            yield batch
        if len(batch) < RECORD_BATCH:
            return
        last = batch[-1]["pk"]


def _since(qs, floor: int | None):
    """Records posted (or reversed) after the transaction `floor`, and records without a posting."""
    if floor is None:
        return qs
    reversed_since = LedgerTransaction.objects.filter(pk__gte=floor, reverses__isnull=False).values(
        "reverses_id"
    )
    return qs.filter(
        Q(ledger_transaction__isnull=True)
        | Q(ledger_transaction_id__gte=floor)
        | Q(ledger_transaction_id__in=reversed_since)
    )


def _donations(books: _Books, floor, problems):
    fields = ["pk", "amount", "received_on", "fund_id", "channel_id", "status", "ledger_transaction_id"]
    from ..bills.services import donation_debit_accounts  # noqa: PLC0415 - gifts from bills go to clearing

    for rows in _keyset(_since(Donation.objects.all(), floor), fields):
        debit = donation_debit_accounts([d["pk"] for d in rows])
        yield [
            _Expected(
                label=f"donation #{d['pk']}",
                model=Donation,
                pk=d["pk"],
                tx_id=d["ledger_transaction_id"],
                kind=Kind.DONATION,
                lines=[
                    (debit.get(d["pk"], CASH), books.fund(d["fund_id"]), d["amount"]),
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
    out.extend(_compare_lines(e.label, [(a, f, money(x)) for a, f, x in e.lines], lines.get(e.tx_id, [])))
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
    if (
        e.legacy_date is not None
        and posted == e.legacy_date
        and occurred is None
        and tx["created_at"] < _dated_when_incurred_since()
    ):
        return None
    shown = f"{posted}" + (f" (occurred {occurred})" if occurred else "")
    return f"{e.label}: {e.date_name} {e.date} but its posting is dated {shown}"


# The migration that came with dating expenditures when incurred: postings made before it was applied were
# dated on the approval day, and are accepted so.
DATED_WHEN_INCURRED = ("fundraising", "0009_ledger_transaction_occurred_on")


@functools.cache
def _dated_when_incurred_since() -> datetime:
    from django.db.migrations.recorder import MigrationRecorder  # noqa: PLC0415

    app, name = DATED_WHEN_INCURRED
    applied = MigrationRecorder.Migration.objects.filter(app=app, name=name).values_list("applied", flat=True)
    return applied.first() or datetime.min.replace(tzinfo=UTC)


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
        # An anti-join through the records' unique index on their posting.
        claimed = model.objects.filter(ledger_transaction_id=OuterRef("pk"))
        unclaimed = (
            txs.filter(~Exists(claimed), kind=kind, reverses__isnull=True)
            .order_by()
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
