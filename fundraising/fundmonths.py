"""Each fund's monthly figures (LedgerFundMonth): the fund's entries summed per month, account, transaction
kind, the kind a reversal undoes, sign and the kind of funder behind the donation, so that one fund's money
(`selectors.books.fund_ledger`) reads a few hundred rows whatever the number of its entries.

Kept in the same transaction as the entries, under the chain-head lock: by the posting service
(`deltas_of`, `add`), by the bulk import's SQL (staging) and rebuilt from the entries after a bulk load
(`rebuild`). The entries stay the truth: `from_entries` is the same grouping done by the database over the
entries, which `verify_ledger` compares with every kept row.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date as date_type
from decimal import Decimal

from django.db.models import Case, Count, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from empowerment.money import CENT

from .kept import add_to_kept
from .models import Donation, Funder, LedgerEntry, LedgerFundMonth, LedgerTransaction

BATCH = 2000
FUNDER_KIND_ANONYMOUS = "anonymous"
KEY = ("fund_id", "account_id", "month", "kind", "reverses_kind", "positive", "funder_kind")


def funder_kind_expr(prefix: str = "transaction__"):
    """The kind of funder behind a ledger transaction: its donation's funder, or that of the donation whose
    transaction it reverses, else anonymous."""
    return Coalesce(
        f"{prefix}donation__funder__kind",
        f"{prefix}reverses__donation__funder__kind",
        Value(FUNDER_KIND_ANONYMOUS),
    )


def _month(value) -> date_type:
    value = value.date() if hasattr(value, "date") else value
    return value.replace(day=1)


# Kept at posting time ---------------------------------------------------------------------------------------


def _posting_funder_kinds(postings) -> list[str]:
    """The funder kind of each posting as `funder_kind_expr` will read it once the posting's donation is
    linked to its transaction: a donation posting's own donation (its source), a reversal's the donation
    of the transaction it reverses."""
    funder_ids = {
        p.source.funder_id
        for p in postings
        if p.kind == LedgerTransaction.Kind.DONATION and isinstance(p.source, Donation) and p.source.funder_id
    }
    reversed_ids = {p.reverses.pk for p in postings if p.reverses is not None}
    kinds = dict(Funder.objects.filter(pk__in=funder_ids).values_list("pk", "kind")) if funder_ids else {}
    behind = (
        dict(
            Donation.objects.filter(ledger_transaction_id__in=reversed_ids).values_list(
                "ledger_transaction_id", "funder__kind"
            )
        )
        if reversed_ids
        else {}
    )
    out = []
    for p in postings:
        kind = None
        if p.kind == LedgerTransaction.Kind.DONATION and isinstance(p.source, Donation):
            kind = kinds.get(p.source.funder_id)
        if kind is None and p.reverses is not None:
            kind = behind.get(p.reverses.pk)
        out.append(kind or FUNDER_KIND_ANONYMOUS)
    return out


def deltas_of(postings) -> dict[tuple, list]:
    """{key: [amount, entries]} the postings add (their dates already final: a posting moved out of a closed
    month counts in the month it is posted in)."""
    deltas: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    for posting, funder_kind in zip(postings, _posting_funder_kinds(postings), strict=True):
        month = posting.date.replace(day=1)
        reverses_kind = posting.reverses.kind if posting.reverses is not None else ""
        for line in posting.lines:
            key = (
                line.fund.pk,
                line.account.pk,
                month,
                posting.kind,
                reverses_kind,
                line.amount > 0,
                funder_kind,
            )
            total = deltas[key]
            total[0] += line.amount
            total[1] += 1
    return deltas


def add(deltas: dict[tuple, list]) -> None:
    """Add the deltas to the kept rows (under the chain head, like every posting)."""
    add_to_kept(LedgerFundMonth, KEY, deltas)


# From the entries -------------------------------------------------------------------------------------------


def from_entries(entries=None) -> dict[tuple, tuple[Decimal, int]]:
    """The figures as the database sums them from the entries themselves (all entries, or these)."""
    entries = LedgerEntry.objects.all() if entries is None else entries
    rows = (
        entries.annotate(
            month=TruncMonth("transaction__date"),
            kind=Coalesce("transaction__kind", Value("")),
            reverses_kind=Coalesce("transaction__reverses__kind", Value("")),
            positive=Case(When(amount__gt=0, then=Value(True)), default=Value(False)),
            funder_kind=funder_kind_expr(),
        )
        .order_by()
        .values_list(*KEY)
        .annotate(s=Sum("amount"), n=Count("pk"))
    )
    out = {}
    for fund_id, account_id, month, kind, reverses_kind, positive, funder_kind, total, count in rows:
        key = (fund_id, account_id, _month(month), kind, reverses_kind, bool(positive), funder_kind)
        out[key] = (Decimal(total).quantize(CENT), count)
    return out


def _store(figures: dict[tuple, tuple[Decimal, int]]) -> int:
    LedgerFundMonth.objects.bulk_create(
        [
            LedgerFundMonth(**dict(zip(KEY, key, strict=True)), amount=amount, entries=count)
            for key, (amount, count) in figures.items()
            if count
        ],
        batch_size=BATCH,
    )
    return len(figures)


def rebuild() -> int:
    """Recompute every row from the entries (after a bulk load that wrote entries directly, or to repair the
    table); the caller holds the chain head. Returns the number of rows."""
    LedgerFundMonth.objects.all().delete()
    return _store(from_entries())


def refresh_fund_months(fund_months: set[tuple[int, date_type]]) -> None:
    """Recompute the rows of these (fund, month) pairs from their entries, e.g. after a funder's kind
    changed; the caller holds the chain head."""
    if not fund_months:
        return
    q = Q()
    for fund_id, month in fund_months:
        end = date_type(month.year + (month.month == 12), month.month % 12 + 1, 1)
        q |= Q(fund_id=fund_id, transaction__date__gte=month, transaction__date__lt=end)
    month_q = Q()
    for fund_id, month in fund_months:
        month_q |= Q(fund_id=fund_id, month=month)
    LedgerFundMonth.objects.filter(month_q).delete()
    _store(from_entries(LedgerEntry.objects.filter(q)))


def months_of_funder(funder_id: int) -> set[tuple[int, date_type]]:
    """The (fund, month) pairs holding entries of this funder's donations or of their reversals."""
    entries = LedgerEntry.objects.filter(
        Q(transaction__donation__funder_id=funder_id)
        | Q(transaction__reverses__donation__funder_id=funder_id)
    )
    return {
        (fund_id, _month(month))
        for fund_id, month in entries.annotate(month=TruncMonth("transaction__date"))
        .order_by()
        .values_list("fund_id", "month")
        .distinct()
    }
