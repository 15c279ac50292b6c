"""What the ledger says, summed here directly from LedgerEntry rows, independently of fundraising's
selectors (the code under test): income accounts negated for money raised, expense accounts for money
spent, asset accounts for a balance; in-kind accounts never counted; a period is read by the ledger date
(a prior-period adjustment counts on the day it was posted). Sums are made in Python over the rows, in
Decimal, so no database arithmetic is shared with the selectors."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from fundraising.models import Donation, LedgerEntry

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Row:
    account_type: str
    account_code: str
    fund_id: int
    project_id: int | None
    amount: Decimal
    date: datetime.date
    kind: str
    reverses_kind: str | None
    source_type_id: int | None
    source_id: str
    seq: int


class Books:
    """Every cash entry of the ledger, loaded once, and the figures the public should see."""

    def __init__(self):
        self.rows = [
            Row(
                account_type=e.account.type,
                account_code=e.account.code,
                fund_id=e.fund_id,
                project_id=e.fund.project_id,
                amount=Decimal(e.amount).quantize(Decimal("0.01")),
                date=e.transaction.date,
                kind=e.transaction.kind,
                reverses_kind=e.transaction.reverses.kind if e.transaction.reverses_id else None,
                source_type_id=e.transaction.source_type_id,
                source_id=e.transaction.source_id,
                seq=e.seq,
            )
            for e in LedgerEntry.objects.filter(account__in_kind=False).select_related(
                "account", "fund", "transaction", "transaction__reverses"
            )
        ]
        in_kind = LedgerEntry.objects.filter(account__in_kind=True, account__type="income")
        self.in_kind_total = -sum((Decimal(e.amount) for e in in_kind), ZERO)

    def _sum(self, account_type, *, fund_ids=None, start=None, end=None, where=None) -> Decimal:
        total = ZERO
        for r in self.rows:
            if r.account_type != account_type:
                continue
            if fund_ids is not None and r.fund_id not in fund_ids:
                continue
            if start is not None and r.date < start:
                continue
            if end is not None and r.date > end:
                continue
            if where is not None and not where(r):
                continue
            total += r.amount
        return total

    # Programme figures

    def raised(self, *, fund_ids=None, start=None, end=None) -> Decimal:
        return -self._sum("income", fund_ids=fund_ids, start=start, end=end)

    def spent(self, *, fund_ids=None, start=None, end=None) -> Decimal:
        return self._sum("expense", fund_ids=fund_ids, start=start, end=end)

    def balance(self, *, fund_ids=None, end=None) -> Decimal:
        return self._sum("asset", fund_ids=fund_ids, end=end)

    def balance_upto_seq(self, seq: int) -> Decimal:
        """Every fund's money held just after the ledger entry numbered `seq` (a checkpoint's total)."""
        return self._sum("asset", where=lambda r: r.seq <= seq)

    def allocations_in(self, fund_ids, *, start=None, end=None) -> Decimal:
        return self._sum(
            "asset",
            fund_ids=fund_ids,
            start=start,
            end=end,
            where=lambda r: (
                (r.kind == "allocation" and r.amount > 0)
                or (r.kind == "reversal" and r.reverses_kind == "allocation" and r.amount < 0)
            ),
        )

    def allocations_out(self, fund_ids, *, start=None, end=None) -> Decimal:
        return -self._sum(
            "asset",
            fund_ids=fund_ids,
            start=start,
            end=end,
            where=lambda r: (
                (r.kind == "allocation" and r.amount < 0)
                or (r.kind == "reversal" and r.reverses_kind == "allocation" and r.amount > 0)
            ),
        )

    def fund(self, fund) -> dict[str, Decimal]:
        ids = {fund.pk}
        raised, alloc_in = self.raised(fund_ids=ids), self.allocations_in(ids)
        spent, alloc_out = self.spent(fund_ids=ids), self.allocations_out(ids)
        return {
            "raised": raised,
            "allocated": alloc_in,
            "spent": spent,
            "money_in": raised + alloc_in,
            "money_out": spent + alloc_out,
            "balance": self.balance(fund_ids=ids),
        }

    def fund_ids_of_projects(self, projects) -> set[int]:
        wanted = {p.pk for p in projects}
        return {r.fund_id for r in self.rows if r.project_id in wanted}

    def raised_from_donations(self, donations) -> Decimal:
        """Income posted for these donations (their own postings and their reversals)."""
        ct = ContentType.objects.get_for_model(Donation).pk
        ids = {str(d.pk) for d in donations}
        return -self._sum("income", where=lambda r: r.source_type_id == ct and r.source_id in ids)
