"""The hash chain, the running balances, balanced transactions and the monthly totals."""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date as date_type
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth

from .. import campaigntotals, fundmonths
from ..ledger import ENTRY_BATCH, entry_hash
from ..models import (
    Account,
    Fund,
    FundBalance,
    LedgerAccountMonth,
    LedgerCampaignTotal,
    LedgerChain,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerFundMonth,
    LedgerMonthTotal,
    LedgerTransaction,
)
from .common import TX_FIELDS, ZERO, Published, Result, Start, money

# The chain --------------------------------------------------------------------------------------------------


@contextmanager
def snapshot():
    """On PostgreSQL, read everything from one snapshot (REPEATABLE READ), so postings committed while the
    check runs cannot make the entries and the running totals disagree."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    else:
        yield


def start_of(checkpoint: LedgerCheckpoint, result: Result) -> Start:
    codes = dict(Fund.objects.values_list("code", "pk"))
    balances = {}
    for code, amount in checkpoint.balances.items():
        if code not in codes:
            result.problems.append(f"checkpoint {checkpoint.code}: fund {code} no longer exists")
            continue
        balances[codes[code]] = money(amount)
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
    return Start(seq=checkpoint.seq, hash=checkpoint.hash, balances=balances)


def check_chain(
    result: Result,
    start: Start,
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
                    balances={k: money(v) for k, v in c.balances.items()},
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
            now = {fund_codes.get(f, f"#{f}"): money(v) for f, v in balances.items() if money(v)}
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
    _add_unchained(result, balances, pairs, balance_accounts)
    _check_balances(result, balances, pairs, whole=start.seq == 0)


def _add_unchained(result: Result, balances, pairs, balance_accounts) -> None:
    """Entries of a large import not yet given their place in the chain (ledger.chain_pending does it just
    after the import commits) count in the running balances already: add them to the chain's sums."""
    waiting = LedgerEntry.objects.filter(seq__isnull=True)
    count = waiting.count()
    if not count:
        return
    result.notes.append(
        f"{count} entries posted by an import are waiting for their place in the chain (the worker chains "
        "them after the import commits); their amounts are counted in the balances checked"
    )
    for fund_id, account_id, total in (
        waiting.filter(account_id__in=balance_accounts)
        .order_by()
        .values_list("fund_id", "account_id")
        .annotate(s=Sum("amount"))
    ):
        balances[fund_id] += total
        pairs[(fund_id, account_id)] += total


def _check_balances(result: Result, balances, pairs, *, whole: bool) -> None:
    running = dict(FundBalance.objects.values_list("fund_id", "amount"))
    for fund in Fund.objects.order_by("code"):
        total = money(balances.get(fund.pk))
        kept = money(running.get(fund.pk))
        if kept != total:
            result.problems.append(f"fund {fund.code}: running balance {kept} differs from the sum {total}")
        if total < 0:
            result.problems.append(f"fund {fund.code}: negative balance {total}")
    if not whole:  # the sub-balances of the funds touched since the start, summed by the database
        touched = {fund_id for fund_id, _account in pairs}
        pairs = {
            (f, a): money(s)
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
        if money(amount) < 0:
            result.problems.append(
                f"fund {fund_codes.get(fund_id)}: {codes.get(account_id)} is negative ({money(amount)})"
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


def tx_floor(seq: int) -> int | None:
    """The lowest transaction id with an entry after `seq` or an entry not yet chained: every transaction
    whose entries were chained later has an id at least this (a posting's ids are given out under the chain
    lock; an import's, given out before, belong to entries chained after it commits), so `pk >= floor`
    covers all of them."""
    return LedgerEntry.objects.filter(Q(seq__gt=seq) | Q(seq__isnull=True)).aggregate(
        m=Min("transaction_id")
    )["m"]


# Transactions and monthly totals ----------------------------------------------------------------------------


def check_transactions(result: Result, floor: int | None) -> None:
    entries = (
        LedgerEntry.objects.all() if floor is None else LedgerEntry.objects.filter(transaction_id__gte=floor)
    )
    unbalanced = entries.values("transaction_id").annotate(total=Sum("amount")).exclude(total=0)
    for row in unbalanced:
        if money(row["total"]) != 0:  # SQLite's float sums leave 1e-17 on balanced transactions
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


def _months_since(floor: int | None) -> set[date_type] | None:
    """The months holding a transaction from `floor` on (None: every month)."""
    if floor is None:
        return None
    return {
        d.replace(day=1)
        for d in LedgerTransaction.objects.filter(pk__gte=floor).values_list("date", flat=True).distinct()
    }


def _compare(result: Result, expected: dict, kept_rows, key: tuple[str, ...], order, describe) -> None:
    """Each kept row ({key values: (amount, entries)} read from `kept_rows` by the attribute names `key`)
    against what the entries sum to; a row on one side only counts as zero on the other. `describe(key)` names
    a row in the problem reported."""
    kept = {tuple(getattr(r, name) for name in key): (r.amount, r.entries) for r in kept_rows}
    for values in sorted(set(expected) | set(kept), key=order):
        want = expected.get(values, (ZERO, 0))
        have = kept.get(values, (ZERO, 0))
        if want != have:
            result.problems.append(
                f"{describe(values)}: kept {have[0]} over {have[1]} entries, the entries sum to {want[0]} over "
                f"{want[1]}"
            )


def check_month_totals(result: Result, floor: int | None) -> None:
    """The monthly totals and the programme's monthly totals against the database's sums of the entries."""
    entries = LedgerEntry.objects.all()
    kept_rows = LedgerMonthTotal.objects.all()
    programme_rows = LedgerAccountMonth.objects.all()
    months = _months_since(floor)
    if months is not None:
        entries = entries.filter(_month_range_q(months))
        kept_rows = kept_rows.filter(month__in=months)
        programme_rows = programme_rows.filter(month__in=months)
    expected = {}
    for account_id, fund_id, month, total, count in (
        entries.annotate(month=TruncMonth("transaction__date"))
        .order_by()
        .values_list("account_id", "fund_id", "month")
        .annotate(s=Sum("amount"), n=Count("pk"))
    ):
        month = month.date() if hasattr(month, "date") else month
        expected[(account_id, fund_id, month)] = (money(total), count)
    codes = dict(Account.objects.values_list("pk", "code"))
    _compare(
        result,
        expected,
        kept_rows,
        ("account_id", "fund_id", "month"),
        lambda k: (k[2], k[0], k[1]),
        lambda k: f"month total {k[2]:%Y-%m} account {codes.get(k[0], k[0])} fund #{k[1]}",
    )
    programme: dict = {}
    for (account_id, _fund_id, month), (total, count) in expected.items():
        have = programme.get((account_id, month), (ZERO, 0))
        programme[(account_id, month)] = (have[0] + total, have[1] + count)
    _compare(
        result,
        programme,
        programme_rows,
        ("account_id", "month"),
        lambda k: (k[1], k[0]),
        lambda k: f"programme month total {k[1]:%Y-%m} account {codes.get(k[0], k[0])}",
    )


def check_campaign_totals(result: Result) -> None:
    """Every campaign's kept totals (campaigntotals) against the same sums of the entries by the database (all
    of them: a campaign's entries are few beside the ledger's, and a later posting may reverse an earlier
    one)."""
    _compare(
        result,
        campaigntotals.from_entries(),
        LedgerCampaignTotal.objects.all(),
        campaigntotals.KEY,
        lambda k: k,
        lambda k: (
            f"campaign #{k[0]} {'matching gifts' if k[1] else 'gifts from the public'}"
            f"{', their reversals' if k[2] else ''}"
        ),
    )


def check_fund_months(result: Result, floor: int | None) -> None:
    """Every fund's monthly figures (fundmonths) against the same grouping of the entries by the database."""
    entries = LedgerEntry.objects.all()
    kept_rows = LedgerFundMonth.objects.all()
    months = _months_since(floor)
    if months is not None:
        entries = entries.filter(_month_range_q(months))
        kept_rows = kept_rows.filter(month__in=months)
    codes = dict(Account.objects.values_list("pk", "code"))

    def describe(key) -> str:
        fund_id, account_id, month, kind, reverses_kind, positive, funder_kind = key
        undoes = f" of {reverses_kind}" if reverses_kind else ""
        return (
            f"fund #{fund_id} {month:%Y-%m} account {codes.get(account_id, account_id)} ({kind}{undoes}, "
            f"{'debit' if positive else 'credit'}, {funder_kind})"
        )

    _compare(
        result,
        fundmonths.from_entries(entries),
        kept_rows,
        fundmonths.KEY,
        lambda k: (k[2], k[0], k[1], k[3:]),
        describe,
    )
