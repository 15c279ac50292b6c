"""The append-only double-entry ledger: the one service that posts, the one that reverses, month closing,
balances computed by the database and the verification behind `manage.py verify_ledger`.

Locks are always taken in this order: domain row (e.g. the expenditure) → fund rows (by primary key) →
the chain head. Every posting holds the chain head until commit, so entries are chained in order. The one
exception is a large bulk import (staging.post): it writes its entries unchained, takes the fund rows and the
chain head only for its last statements (balances and kept totals), and its entries are chained after it
commits by `chain_pending`, which takes only the chain head, a chunk of entries at a time.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as date_type
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment import freshness
from empowerment.authz import is_finance_officer
from empowerment.money import CENT, MAX_AMOUNT, format_money

from . import bulk, campaigntotals, checkpoints, fundmonths
from .kept import add_to_kept
from .models import (
    Account,
    Fund,
    FundBalance,
    LedgerAccountMonth,
    LedgerChain,
    LedgerEntry,
    LedgerMonthTotal,
    LedgerTransaction,
    PeriodClose,
)

GENESIS = "0" * 64
ENTRY_BATCH = 2000
# Entries given their place in the chain per transaction by chain_pending: the chain head is held for one
# chunk (about half a second), so postings waiting for it interleave with the chaining of a large import.
CHAIN_CHUNK = 5_000
# What entry_hash reads of a transaction.
TX_FIELDS = ["pk", "date", "kind", "memo", "reverses_id", "source_type_id", "source_id", "occurred_on"]

# Accounts ------------------------------------------------------------------------------------------------

# Balance accounts: the money a fund holds, at the bank or advanced to an organization.
CASH = "asset:bank"
ADVANCES = "asset:advances"


def _account(code: str, **defaults) -> Account:
    account = Account.objects.filter(code=code).first()
    if account is None:
        try:
            with transaction.atomic():
                account = Account.objects.create(code=code, **defaults)
        except IntegrityError:
            account = Account.objects.get(code=code)
    return account


def cash_account() -> Account:
    return _account(CASH, name="Bank and cash", type=Account.Type.ASSET)


def advances_account() -> Account:
    return _account(ADVANCES, name="Advances to organizations", type=Account.Type.ASSET)


def income_account(channel) -> Account:
    return _account(
        f"income:{channel.code}",
        name=f"Donation income: {channel.name}",
        type=Account.Type.INCOME,
        channel=channel,
    )


def expense_account(category: str, classification: str) -> Account:
    return _account(
        f"expense:{classification}:{category}",
        name=f"Expense ({classification}): {category}",
        type=Account.Type.EXPENSE,
        classification=classification,
        category=category,
    )


def in_kind_accounts(kind: str) -> tuple[Account, Account]:
    """(use, income) accounts of an in-kind kind; never part of a cash total or a fund balance."""
    use = _account(
        f"inkind:use:{kind}",
        name=f"In-kind goods and services used: {kind}",
        type=Account.Type.EXPENSE,
        in_kind=True,
        classification=Account.Classification.PROGRAMME,
        category=kind,
    )
    income = _account(
        f"inkind:income:{kind}",
        name=f"In-kind gifts received: {kind}",
        type=Account.Type.INCOME,
        in_kind=True,
    )
    return use, income


def is_balance_account(account: Account) -> bool:
    return account.type == Account.Type.ASSET and not account.in_kind


def general_fund() -> Fund:
    fund = Fund.objects.filter(kind=Fund.Kind.GENERAL).first()
    if fund is None:
        try:
            with transaction.atomic():
                fund = Fund.objects.create(
                    code="general", name="General programme fund", kind=Fund.Kind.GENERAL, restricted=False
                )
        except IntegrityError:
            fund = Fund.objects.get(kind=Fund.Kind.GENERAL)
    return fund


# Posting -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    account: Account
    fund: Fund
    amount: Decimal  # debit positive, credit negative


# What a posting dated in a closed month does: refused (imports and other bulk paths), or posted in the
# first open month (today) as a prior-period adjustment carrying its real date (every single posting).
IN_CLOSED_MONTH_REFUSE = "refuse"
IN_CLOSED_MONTH_ADJUST = "adjust"


@dataclass
class Posting:
    date: date_type
    memo: str
    kind: str
    lines: list[Line]
    source: object = None
    created_by: object = None
    reverses: LedgerTransaction | None = None
    in_closed_month: str = IN_CLOSED_MONTH_REFUSE
    # Set by the posting service when the date lies in a closed month and the posting is moved to today.
    occurred_on: date_type | None = field(default=None, init=False)
    transaction: LedgerTransaction | None = field(default=None, init=False)


def _check_amount(amount) -> None:
    if not isinstance(amount, Decimal):
        raise ValidationError(_("Ledger amounts must be Decimal yuan."), code="type")
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError(_("Amounts have at most two decimal places (fen)."), code="decimal_places")
    if amount == 0:
        raise ValidationError(_("A ledger line cannot be zero."), code="zero")
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="max_value")


def _check_posting(posting: Posting, today: date_type) -> None:
    if len(posting.lines) < 2:
        raise ValidationError(_("A transaction needs at least two lines."), code="lines")
    for line in posting.lines:
        _check_amount(line.amount)
    if sum((line.amount for line in posting.lines), Decimal(0)) != 0:
        raise ValidationError(
            _("The transaction is not balanced: debits must equal credits."), code="unbalanced"
        )
    if posting.date > today:
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if not posting.memo.strip():
        raise ValidationError(_("A transaction needs a memo."), code="memo")


def closed_through() -> date_type | None:
    """The last closed month (its first day); that month and every earlier one are closed."""
    return PeriodClose.objects.order_by("-month").values_list("month", flat=True).first()


def _lock_chain() -> LedgerChain:
    chain = LedgerChain.objects.select_for_update().filter(pk=1).first()
    if chain is None:
        try:
            with transaction.atomic():
                LedgerChain.objects.create(pk=1)
        except IntegrityError:
            pass
        chain = LedgerChain.objects.select_for_update().get(pk=1)
    return chain


def lock_funds(funds) -> dict[int, Fund]:
    """Lock the funds' rows in primary-key order (the one order every service uses), each with its running
    balance read under the lock (`fund.balance`). FOR NO KEY UPDATE: it keeps every other posting off the
    balances until commit, but not the inserts whose foreign key refers to a fund (a stored notification, a
    donation), which need only a KEY SHARE lock. The fund rows are only locked, never updated by a posting
    (the balances are FundBalance rows), so those foreign-key checks find one version of each."""
    ids = sorted({f.pk if isinstance(f, Fund) else f for f in funds})
    rows = {
        fund.pk: fund
        for fund in Fund.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    }
    balances = dict(FundBalance.objects.filter(fund_id__in=ids).values_list("fund_id", "amount"))
    for pk, fund in rows.items():
        fund.__dict__["_balance"] = balances.get(pk, Decimal("0.00"))
    return rows


def add_to_balances(funds: dict[int, Fund], deltas: dict[int, Decimal]) -> None:
    """Add each delta to its fund's running balance (funds locked by lock_funds: computed exactly in Decimal
    here; an F() expression would be summed in floating point by SQLite, 0.01 + 2.00 - 2.01 != 0)."""
    for fund_id, delta in deltas.items():
        if not delta:
            continue
        amount = funds[fund_id].balance + delta
        if not FundBalance.objects.filter(fund_id=fund_id).update(amount=amount):
            FundBalance.objects.create(fund_id=fund_id, amount=amount)
        funds[fund_id].__dict__["_balance"] = amount


def entry_hash(*, seq, tx: LedgerTransaction, account_code: str, fund_id, amount, prev_hash: str) -> str:
    """SHA-256 over the entry, its transaction and the previous hash. A prior-period adjustment's real date
    (`occurred_on`) is appended only when set, so the hash of every other entry is unchanged."""
    fields = [
        str(seq),
        str(tx.pk),
        tx.date.isoformat(),
        tx.kind,
        tx.memo,
        str(tx.reverses_id or ""),
        str(tx.source_type_id or ""),
        str(tx.source_id or ""),
        account_code,
        str(fund_id),
        f"{Decimal(amount).quantize(CENT)}",
        prev_hash,
    ]
    if tx.occurred_on is not None:
        fields.append(tx.occurred_on.isoformat())
    return hashlib.sha256("|".join(fields).encode()).hexdigest()


def _sub_balance(fund_id, account_id) -> Decimal:
    total = LedgerEntry.objects.filter(fund_id=fund_id, account_id=account_id).aggregate(s=Sum("amount"))["s"]
    return Decimal(total or 0).quantize(CENT)  # exact on PostgreSQL; SQLite sums in floating point


def ledger_post_many(postings: list[Posting], *, savepoint: bool = True) -> list[LedgerTransaction]:
    """Post several balanced transactions at once (the bulk path of imports), with every invariant of
    `ledger_post`: balanced, valid amounts, no date in the future or in a closed month, no fund balance
    and no fund's bank or advance sub-balance below zero. All or nothing.

    savepoint=False, for callers whose own transaction fails as a whole on any refusal (an import, a batch
    of notifications): no savepoint is made, since PostgreSQL slows down badly once one transaction holds
    more than 64 of them (a million-row import posts a thousand batches)."""
    with transaction.atomic(savepoint=savepoint):
        return _post_many(postings)


def _post_many(postings: list[Posting]) -> list[LedgerTransaction]:
    if not postings:
        return []
    today = timezone.localdate()
    for posting in postings:
        _check_posting(posting, today)

    funds = lock_funds(line.fund for p in postings for line in p.lines)
    chain = _lock_chain()  # after the funds: the fixed order

    last_closed = closed_through()
    if last_closed:
        for posting in postings:
            if posting.date < _next_month(last_closed) and posting.in_closed_month == IN_CLOSED_MONTH_ADJUST:
                # A closed month never changes: the event is posted today (an open month: only ended months
                # can be closed) and keeps its real date as a prior-period adjustment.
                posting.occurred_on, posting.date = posting.date, today
            elif posting.date < _next_month(last_closed):
                raise ValidationError(
                    _("%(month)s is closed: post the correction with a date in an open month.")
                    % {"month": posting.date.strftime("%Y-%m")},
                    code="closed",
                )

    # Balances after every posting (only the final state counts: a batch commits at once).
    fund_delta: dict[int, Decimal] = defaultdict(Decimal)
    pair_delta: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for posting in postings:
        for line in posting.lines:
            if is_balance_account(line.account):
                fund_delta[line.fund.pk] += line.amount
                pair_delta[(line.fund.pk, line.account.pk)] += line.amount
    for fund_id, delta in fund_delta.items():
        fund = funds[fund_id]
        if fund.balance + delta < 0:
            raise ValidationError(
                _("Not enough money in %(fund)s: the balance is %(balance)s.")
                % {"fund": fund.name, "balance": format_money(fund.balance)},
                code="insufficient",
            )
    for (fund_id, account_id), delta in pair_delta.items():
        if delta < 0 and _sub_balance(fund_id, account_id) + delta < 0:
            raise ValidationError(
                _("Not enough money in %(fund)s for this payment: its %(account)s would fall below zero.")
                % {"fund": funds[fund_id].name, "account": Account.objects.get(pk=account_id).name},
                code="insufficient",
            )

    transactions = []
    for posting in postings:
        source_type = source_id = None
        if posting.source is not None:
            source_type = ContentType.objects.get_for_model(posting.source)
            source_id = str(posting.source.pk)
        transactions.append(
            LedgerTransaction(
                date=posting.date,
                occurred_on=posting.occurred_on,
                memo=posting.memo[:255],
                kind=posting.kind,
                source_type=source_type,
                source_id=source_id or "",
                reverses=posting.reverses,
                created_by=posting.created_by,
            )
        )
    reversing = any(posting.reverses is not None for posting in postings)
    try:
        # Only a reversal can break a unique rule here (one reversal per transaction); only then a savepoint.
        with transaction.atomic(savepoint=reversing):
            if bulk.available(len(transactions)):
                ids = bulk.reserve_ids(LedgerTransaction, len(transactions))
                for tx, pk in zip(transactions, ids, strict=True):
                    tx.pk = pk
                bulk.copy_objects(LedgerTransaction, transactions)
            else:
                LedgerTransaction.objects.bulk_create(transactions)
    except IntegrityError:
        raise ValidationError(_("This transaction has already been reversed."), code="reversed") from None

    seq, prev = chain.last_seq, chain.last_hash
    entries = []
    for posting, tx in zip(postings, transactions, strict=True):
        posting.transaction = tx
        for line in posting.lines:
            seq += 1
            digest = entry_hash(
                seq=seq,
                tx=tx,
                account_code=line.account.code,
                fund_id=line.fund.pk,
                amount=line.amount,
                prev_hash=prev,
            )
            entries.append(
                LedgerEntry(
                    transaction=tx,
                    account=line.account,
                    fund_id=line.fund.pk,
                    amount=line.amount,
                    seq=seq,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
    if bulk.available(len(entries)):
        bulk.copy_objects(LedgerEntry, entries)
    else:
        LedgerEntry.objects.bulk_create(entries, batch_size=ENTRY_BATCH)
    month_delta: dict[tuple[int, int, date_type], list] = defaultdict(lambda: [Decimal(0), 0])
    for posting in postings:
        month = posting.date.replace(day=1)
        for line in posting.lines:
            total = month_delta[(line.account.pk, line.fund.pk, month)]
            total[0] += line.amount
            total[1] += 1
    add_to_month_totals(month_delta)
    fundmonths.add(fundmonths.deltas_of(postings))
    campaigntotals.add(campaigntotals.deltas_of(postings))
    add_to_balances(funds, fund_delta)
    LedgerChain.objects.filter(pk=chain.pk).update(last_seq=seq, last_hash=prev)
    # The pages and figures showing these funds' money (and the programme's) are published after commit,
    # at most once a second however many postings commit meanwhile.
    freshness.money_changed(
        {line.fund.pk for p in postings for line in p.lines},
        spending=any(line.account.type == Account.Type.EXPENSE for p in postings for line in p.lines),
    )
    return transactions


def add_to_month_totals(deltas) -> None:
    """Add {(account_id, fund_id, month): [amount, entries]} to the monthly totals, and the same, every fund
    together, to the programme's monthly totals. Under the chain head (every posting takes it)."""
    add_to_kept(LedgerMonthTotal, ("account_id", "fund_id", "month"), deltas)
    add_to_kept(LedgerAccountMonth, ("account_id", "month"), by_account_month(deltas))


def by_account_month(totals) -> dict[tuple[int, date_type], list]:
    """{(account_id, fund_id, month): (amount, entries)} summed over funds: {(account_id, month): [amount,
    entries]}."""
    out: dict[tuple[int, date_type], list] = defaultdict(lambda: [Decimal(0), 0])
    for (account_id, _fund_id, month), (amount, count) in totals.items():
        row = out[(account_id, month)]
        row[0] += amount
        row[1] += count
    return out


def month_totals_from_entries() -> dict[tuple[int, int, date_type], tuple[Decimal, int]]:
    """The monthly totals as the database sums them from the entries themselves."""
    rows = (
        LedgerEntry.objects.annotate(month=TruncMonth("transaction__date"))
        .order_by()
        .values_list("account_id", "fund_id", "month")
        .annotate(s=Sum("amount"), n=Count("pk"))
    )
    out = {}
    for account_id, fund_id, month, total, count in rows:
        month = month.date() if hasattr(month, "date") else month
        out[(account_id, fund_id, month)] = (Decimal(total).quantize(CENT), count)
    return out


@transaction.atomic
def rebuild_month_totals() -> int:
    """Recompute every monthly total (and every fund's monthly figures and campaign's totals) from the
    entries (after a bulk load that wrote entries directly, or to repair the table); returns the number of
    rows. Holds the chain head so no posting interleaves."""
    _lock_chain()
    LedgerMonthTotal.objects.all().delete()
    LedgerAccountMonth.objects.all().delete()
    totals = month_totals_from_entries()
    rows = [
        LedgerMonthTotal(account_id=a, fund_id=f, month=m, amount=total, entries=count)
        for (a, f, m), (total, count) in totals.items()
    ]
    LedgerMonthTotal.objects.bulk_create(rows, batch_size=ENTRY_BATCH)
    LedgerAccountMonth.objects.bulk_create(
        [
            LedgerAccountMonth(account_id=a, month=m, amount=total, entries=count)
            for (a, m), (total, count) in by_account_month(totals).items()
        ],
        batch_size=ENTRY_BATCH,
    )
    fundmonths.rebuild()
    campaigntotals.rebuild()
    return len(rows)


def ledger_post(
    *,
    date,
    memo: str,
    kind: str,
    lines: list[Line],
    source=None,
    created_by=None,
    reverses=None,
    in_closed_month: str = IN_CLOSED_MONTH_ADJUST,
) -> LedgerTransaction:
    """Post one balanced transaction. Refuses (ValidationError, nothing written) unbalanced, zero,
    3-decimal or too-large amounts, a future date and any posting that would take a fund's balance (or its
    bank or advance sub-balance) below zero. A date in a closed month is posted today with the real date
    kept as `occurred_on` (a prior-period adjustment), or refused with in_closed_month="refuse"."""
    posting = Posting(
        date=date,
        memo=memo,
        kind=kind,
        lines=lines,
        source=source,
        created_by=created_by,
        reverses=reverses,
        in_closed_month=in_closed_month,
    )
    return ledger_post_many([posting])[0]


@transaction.atomic
def ledger_reverse(*, tx: LedgerTransaction, created_by=None, memo: str = "", date=None) -> LedgerTransaction:
    """Undo a transaction with a reversing one dated today (or `date`), in an open month."""
    tx = LedgerTransaction.objects.get(pk=tx.pk)
    if tx.reverses_id is not None:
        raise ValidationError(
            _("A reversal cannot itself be reversed; record the event again."), code="reversal"
        )
    if LedgerTransaction.objects.filter(reverses=tx).exists():
        raise ValidationError(_("This transaction has already been reversed."), code="reversed")
    lines = [
        Line(account=entry.account, fund=entry.fund, amount=-entry.amount)
        for entry in tx.entries.select_related("account", "fund").order_by("seq")
    ]
    return ledger_post(
        date=date or timezone.localdate(),
        memo=(memo or _("Reversal of #%(pk)s: %(memo)s") % {"pk": tx.pk, "memo": tx.memo})[:255],
        kind=LedgerTransaction.Kind.REVERSAL,
        lines=lines,
        source=tx.source,
        created_by=created_by,
        reverses=tx,
    )


def _next_month(month: date_type) -> date_type:
    return date_type(month.year + (month.month == 12), month.month % 12 + 1, 1)


@transaction.atomic
def period_close(*, month: date_type, closed_by, note: str = "") -> PeriodClose:
    """Close a month (and so every month before it) to postings. Only past months can be closed."""
    if not is_finance_officer(closed_by):
        raise PermissionDenied
    month = month.replace(day=1)
    if _next_month(month) > timezone.localdate():
        raise ValidationError({"month": _("Only a month that has ended can be closed.")})
    _lock_chain()  # serialises with postings: none can slip into the month while it closes
    last = closed_through()
    if last and month <= last:
        raise ValidationError({"month": _("This month is already closed.")})
    from .bills.reconcile import check_month_reconciled  # noqa: PLC0415 - bills import this module

    check_month_reconciled(month)  # every bank line up to the month's end matched or explained
    close = PeriodClose(month=month, closed_by=closed_by, note=note)
    close.full_clean()
    close.save()
    # The chain head and balances at the close, published (public page, open data, reports).
    checkpoints.checkpoint_month_close(month=month)
    return close


# Entries chained after their posting (a large bulk import) ------------------------------------------------


def unchained() -> int:
    """How many entries are waiting for their place in the chain."""
    return LedgerEntry.objects.filter(seq__isnull=True).count()


def chain_pending(*, limit: int | None = CHAIN_CHUNK) -> int:
    """Give up to `limit` unchained entries (all of them for None) their place in the chain, in id order (the
    order their import wrote them), in one transaction under the chain head. Returns how many."""
    with transaction.atomic():
        return _chain_pending(_lock_chain(), limit)


def chain_all_pending() -> int:
    """Chain every waiting entry, a chunk per transaction (postings interleave between chunks)."""
    if connection.vendor == "postgresql" and unchained() > CHAIN_CHUNK:
        # Just after a large import the planner still believes few entries wait and would read them all to
        # sort each chunk; with fresh statistics it walks the partial index in order.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {LedgerEntry._meta.db_table}")
    total = 0
    while done := chain_pending():
        total += done
    return total


def _chain_pending(chain: LedgerChain, limit: int | None) -> int:
    """Under the chain head (held by the caller): hash the next unchained entries onto the chain, exactly as
    _post_many would have, write their links and move the head."""
    # The next entries by the partial index on unchained entries, then their transactions by primary key: two
    # plain index reads, whatever the planner's statistics say just after a large import.
    rows = LedgerEntry.objects.filter(seq__isnull=True).order_by("pk")
    rows = rows.values_list("pk", "transaction_id", "account_id", "fund_id", "amount")
    rows = list(rows[:limit] if limit is not None else rows)
    if not rows:
        return 0
    txs = {}
    tx_ids = sorted({row[1] for row in rows})
    for start in range(0, len(tx_ids), ENTRY_BATCH):
        part = tx_ids[start : start + ENTRY_BATCH]
        for values in LedgerTransaction.objects.filter(pk__in=part).values_list(*TX_FIELDS):
            # entry_hash reads these attributes of the transaction; no model is built per transaction.
            txs[values[0]] = SimpleNamespace(**dict(zip(TX_FIELDS, values, strict=True)))
    codes = dict(Account.objects.values_list("pk", "code"))
    seq, prev = chain.last_seq, chain.last_hash
    links = []
    for pk, tx_id, account_id, fund_id, amount in rows:
        seq += 1
        digest = entry_hash(
            seq=seq,
            tx=txs[tx_id],
            account_code=codes[account_id],
            fund_id=fund_id,
            amount=amount,
            prev_hash=prev,
        )
        links.append((pk, seq, prev, digest))
        prev = digest
    _write_links(links)
    LedgerChain.objects.filter(pk=chain.pk).update(last_seq=seq, last_hash=prev, chained_at=timezone.now())
    return len(links)


def _write_links(links: list[tuple[int, int, str, str]]) -> None:
    """Set (id, seq, prev_hash, hash) on entries that have none (the database refuses any other update)."""
    if bulk.available(len(links)):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE fundraising_chain_links (id bigint PRIMARY KEY, seq bigint, "
                "prev_hash varchar(64), hash varchar(64)) ON COMMIT DROP"
            )
            with cursor.cursor.copy(
                "COPY fundraising_chain_links (id, seq, prev_hash, hash) FROM STDIN"
            ) as copy:
                for link in links:
                    copy.write_row(link)
            cursor.execute("ANALYZE fundraising_chain_links")  # so the update joins by the entries' key
            cursor.execute(
                "UPDATE fundraising_ledgerentry e SET seq = l.seq, prev_hash = l.prev_hash, hash = l.hash "
                "FROM fundraising_chain_links l WHERE e.id = l.id AND e.seq IS NULL"
            )
            cursor.execute("DROP TABLE fundraising_chain_links")
        return
    entries = [LedgerEntry(pk=pk, seq=seq, prev_hash=prev, hash=digest) for pk, seq, prev, digest in links]
    LedgerEntry.objects.bulk_update(entries, ["seq", "prev_hash", "hash"], batch_size=500)


# Balances and verification ----------------------------------------------------------------------------

BALANCE_FILTER = Q(account__type=Account.Type.ASSET, account__in_kind=False)


def fund_balance(fund) -> Decimal:
    """A fund's balance as the sum of its bank and advance entries, computed by the database."""
    return LedgerEntry.objects.filter(BALANCE_FILTER, fund=fund).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def ledger_verify(*, progress=None) -> list[str]:
    """Every problem of the books: the hash chain, balanced transactions, running balances, monthly totals,
    every source record against its posting and every stored checkpoint. An empty list means the ledger
    is sound. The checks live in fundraising.verification."""
    from .verification import ledger_verify as verify  # noqa: PLC0415 - verification imports this module

    return verify(progress=progress)


@transaction.atomic
def refresh_funder_figures(funder_id: int) -> None:
    """After a funder's kind changed: its gifts (and their reversals) count under the new kind in the
    monthly figures of every fund and month they were posted to. Holds the chain head, so no posting
    interleaves with the recomputation."""
    _lock_chain()
    fund_months = fundmonths.months_of_funder(funder_id)
    fundmonths.refresh_fund_months(fund_months)
    freshness.money_changed({fund_id for fund_id, _month in fund_months})
