"""The books over a period, for the fund-flow picture and the reports: the sums the picture is drawn from,
itemised spending that totals the headline figure, donations listed so they total the income, and the
prior-period adjustments (see books: a closed month never changes). Every figure by the ledger date."""

from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from empowerment.querysets import compiled_once
from projects import selectors as project_selectors

from ..models import Account, Allocation, LedgerTransaction
from .books import (
    BEFORE,
    DURING,
    FUND_MONTH_PATHS,
    ZERO,
    Kind,
    PeriodLike,
    _sum,
    cash_entries,
    fund_ledger,
    funder_kind_expr,
    in_period,
    kind_source,
    money,
    money_source,
    period_rows,
    public_fund_q,
    unpublished_fund_q,
)
from .records import project_fund

# The fund-flow sums --------------------------------------------------------------------------------------


def flow_money(period: PeriodLike, *, project=None) -> dict:
    """The sums the fund-flow picture and the reports are drawn from, for a period (ledger date), for the
    programme or one project's fund:

    - opening / movement: {fund_id: bank + advances before the period / change during it};
    - income: [(funder kind, channel id, fund id, amount)], net of reversals;
    - adjustments: {fund_id: net-assets postings};
    - allocations: [(from fund id, to fund id, amount)], net of reversals (a net reversal is shown as money
      moving back);
    - expenses: [(fund id, category, amount)], net of reversals."""
    if project is not None:
        sums = _project_flow_sums(period, project)
    else:
        sums = _programme_flow_sums(period)
    # Allocations: pair the two asset lines of each allocation (or reversal of one) in the period.
    if project is None:
        found = _allocation_lines(period.start, period.end)
    elif sums["fund_ids"]:  # one project's fund: compiled once (every project page draws its flow)
        (fund,) = sums["fund_ids"]
        dates = {"start": period.start, "end": period.end}
        found = compiled_once(
            "fund allocation lines", _fund_allocation_lines, generic_plan=True, fund=fund, **dates
        )  # one plan for every fund and period (planning it anew for each cost more than reading the lines)
    else:
        found = []
    lines: dict[int, list] = {}
    for tx_id, fund_id, amount in found:
        lines.setdefault(tx_id, []).append((fund_id, money(amount)))
    pairs: dict[tuple[int, int], Decimal] = {}
    for tx_lines in lines.values():
        targets = [(f, a) for f, a in tx_lines if a > 0]
        sources = [(f, a) for f, a in tx_lines if a < 0]
        if len(targets) == 1 and len(sources) == 1:
            (to_fund, amount), (from_fund, _neg) = targets[0], sources[0]
            key = (from_fund, to_fund)
            reverse = (to_fund, from_fund)
            if reverse in pairs:
                pairs[reverse] -= amount
            else:
                pairs[key] = pairs.get(key, ZERO) + amount
    allocations = []
    for (from_fund, to_fund), amount in pairs.items():
        if amount > 0:
            allocations.append((from_fund, to_fund, amount))
        elif amount < 0:
            allocations.append((to_fund, from_fund, -amount))
    return {
        "opening": sums["opening"],
        "movement": sums["movement"],
        "income": sums["income"],
        "adjustments": sums["adjustments"],
        "allocations": sorted(allocations),
        "expenses": sums["expenses"],
    }


def _allocation_lines(start: date, end: date) -> QuerySet:
    """(transaction, fund, amount) of the asset lines of every allocation, or reversal of one, dated from
    start to end, in posting order."""
    return (
        cash_entries()
        .filter(
            Q(transaction__kind=Kind.ALLOCATION)
            | Q(transaction__kind=Kind.REVERSAL, transaction__reverses__kind=Kind.ALLOCATION),
            account__type=Account.Type.ASSET,
            transaction__date__gte=start,
            transaction__date__lte=end,
        )
        .order_by("seq")
        .values_list("transaction_id", "fund_id", "amount")
    )


def _fund_allocation_lines(fund: int, start: date, end: date) -> QuerySet:
    """_allocation_lines of the allocations that move money into or out of one fund (both lines of each).
    Their transactions are found from the fund's allocations (each posts its from and to funds' lines:
    services.allocation_create) and the reversals of them, not among the fund's own entries: those grow
    with every gift to the fund (a project page on a giving day read them all at each render)."""
    allocations = (
        Allocation.objects.filter(Q(from_fund=fund) | Q(to_fund=fund)).order_by().values("ledger_transaction")
    )
    reversals = LedgerTransaction.objects.filter(reverses__in=allocations).order_by().values("pk")
    return _allocation_lines(start, end).filter(transaction__in=allocations.union(reversals, all=True))


def _programme_flow_sums(period: PeriodLike) -> dict:
    """flow_money's sums for the whole programme: the monthly totals (or the entries) by fund, and the
    income by funder kind from each fund's monthly figures (or the entries)."""
    source, path = money_source(period)
    kinds, kind_paths = kind_source(period)  # income by kind of funder: each fund's monthly figures
    before = source.filter(**{f"{path}__lt": period.start})
    during = in_period(source, period, path)
    asset = Account.Type.ASSET

    def by_fund(qs, sign=1):
        return {
            r["fund_id"]: sign * money(r["s"])
            for r in qs.order_by().values("fund_id").annotate(s=Sum("amount"))
            if money(r["s"])
        }

    return {
        "fund_ids": None,
        "opening": by_fund(before.filter(account__type=asset)),
        "movement": by_fund(during.filter(account__type=asset)),
        "income": [
            (row["funder"], row["account__channel_id"], row["fund_id"], -money(row["s"]))
            for row in in_period(kinds, period, kind_paths["date"])
            .filter(account__type=Account.Type.INCOME)
            .annotate(funder=F("funder_kind") if kind_paths is FUND_MONTH_PATHS else funder_kind_expr())
            .order_by()
            .values("funder", "account__channel_id", "fund_id")
            .annotate(s=Sum("amount"))
            if money(row["s"])
        ],
        "adjustments": by_fund(during.filter(account__type=Account.Type.NET_ASSETS), sign=-1),
        "expenses": [
            (row["fund_id"], row["account__category"], money(row["s"]))
            for row in during.filter(account__type=Account.Type.EXPENSE)
            .order_by()
            .values("fund_id", "account__category")
            .annotate(s=Sum("amount"))
            if money(row["s"])
        ],
    }


def _project_flow_sums(period: PeriodLike, project) -> dict:
    """flow_money's sums for one project: its fund's one reading (books.fund_ledger, shared with the
    page's other figures of the fund inside books.read_once)."""
    fund = project_fund(project)
    fund_id = fund.pk if fund is not None else None
    out: dict = {
        "fund_ids": [],
        "opening": {},
        "movement": {},
        "income": [],
        "adjustments": {},
        "expenses": [],
    }
    if fund_id is None:
        return out
    reading = fund_ledger(fund_id, period)
    t = Account.Type
    for name, buckets, account_type, sign in (
        ("opening", (BEFORE,), t.ASSET, 1),
        ("movement", (DURING,), t.ASSET, 1),
        ("adjustments", (DURING,), t.NET_ASSETS, -1),
    ):
        value = sign * reading.total(buckets=buckets, type=account_type)
        if value:
            out[name] = {fund_id: value}
    income: dict = {}
    for row in reading.income:
        if row["bucket"] == DURING:
            key = (row["funder_kind"], row["channel_id"])
            income[key] = income.get(key, ZERO) + row["s"]
    out["income"] = [(kind, channel, fund_id, -s) for (kind, channel), s in income.items() if s]
    expenses: dict = {}
    for row in reading.rows:
        if row["bucket"] == DURING and row["type"] == t.EXPENSE:
            expenses[row["category"]] = expenses.get(row["category"], ZERO) + row["s"]
    out["expenses"] = [(fund_id, category, s) for category, s in expenses.items() if s]
    if any(
        r["bucket"] == DURING and r["kind"] in (Kind.ALLOCATION, Kind.REVERSAL) and r["type"] == t.ASSET
        for r in reading.rows
    ):
        out["fund_ids"] = [fund_id]  # its allocations are paired from their lines
    return out


# Itemised lists for reports -------------------------------------------------------------------------------


def itemised_spending(period: PeriodLike, *, project=None, limit: int = 200) -> dict:
    """Every expense posted in the period (by ledger date), one row per transaction, so the rows total the
    period's spending exactly:

    - rows: dicts with date (ledger), occurred_on (the real date of a prior-period adjustment), spent_on,
      project (public projects only), fund (general or community), description, category, amount (a
      reversal is negative);
    - unpublished: {"count": projects, "transactions": n, "amount": sum} for projects not public yet (one
      line, no names);
    - more: {"count": n, "amount": sum} of the rows beyond `limit`;
    - total: the sum of everything, equal to the period's spent."""
    entries = in_period(cash_entries(), period).filter(account__type=Account.Type.EXPENSE)
    if project is not None:
        entries = entries.filter(fund__project=project)
    public_entries = entries.filter(public_fund_q())
    # The first `limit` transactions in date order are loaded; the rest are summed by the database, so a
    # year of a large programme costs the same few queries.
    per_tx = (
        public_entries.order_by()
        .values("transaction_id", "transaction__date")
        .annotate(s=Sum("amount"))
        .order_by("transaction__date", "transaction_id")
    )
    first = list(per_tx[:limit])
    public_total = _sum(public_entries)
    wanted = [row["transaction_id"] for row in first]
    details = (
        public_entries.filter(transaction_id__in=wanted)
        .select_related(
            "transaction",
            "transaction__expenditure",
            "transaction__reverses__expenditure",
            "account",
            "fund",
            "fund__project",
        )
        .order_by("seq")
    )
    rows_by_tx: dict[int, dict] = {}
    for entry in details:
        tx = entry.transaction
        if tx.pk in rows_by_tx:
            continue
        expenditure = getattr(tx, "expenditure", None)
        reversed_expenditure = None
        if expenditure is None and tx.reverses_id:
            reversed_expenditure = getattr(tx.reverses, "expenditure", None)
        source = expenditure or reversed_expenditure
        rows_by_tx[tx.pk] = {
            "transaction": tx.pk,
            "date": tx.date,
            "occurred_on": tx.occurred_on,
            # A reversal counts on the day it was made; an expenditure on the day the money was spent.
            "spent_on": source.spent_on if expenditure is not None else tx.occurred_on or tx.date,
            "project": entry.fund.project,
            "fund": entry.fund if entry.fund.project_id is None else None,
            "description": source.description if source else "",
            "payee_organization": source.organization_id if source else None,
            "category": entry.account.category,
            "reversal": reversed_expenditure is not None or tx.kind == Kind.REVERSAL,
            "amount": ZERO,
        }
    listed = []
    for row in first:
        item = rows_by_tx[row["transaction_id"]]
        item["amount"] = money(row["s"])
        listed.append(item)
    listed_total = sum((r["amount"] for r in listed), ZERO)
    more_count = (
        public_entries.values("transaction").distinct().count() - len(listed) if len(first) == limit else 0
    )
    more = {"count": more_count, "amount": public_total - listed_total}
    unpublished_qs = entries.filter(unpublished_fund_q())
    unpublished = {
        "count": unpublished_qs.values("fund__project").distinct().count(),
        "transactions": unpublished_qs.values("transaction").distinct().count(),
        "amount": _sum(unpublished_qs),
    }
    total = public_total + unpublished["amount"]
    return {"rows": listed, "unpublished": unpublished, "more": more, "total": total}


def _adjustment_rows(qs, *, project=None) -> list[dict]:
    """One row per transaction: ledger date, real date, kind, the public fund or project it concerns (or
    None for a project not yet published, shown as such), and the amount moved (the sum of its debits on
    cash accounts)."""
    qs = qs.filter(occurred_on__isnull=False)
    if project is not None:
        qs = qs.filter(entries__fund__project=project).distinct()
    txs = list(qs.order_by("date", "pk").prefetch_related("entries__fund__project", "entries__account"))
    out = []
    for tx in txs:
        cash = [e for e in tx.entries.all() if not e.account.in_kind]
        if not cash:
            continue
        funds = {e.fund for e in cash if e.fund.project_id is not None} or {e.fund for e in cash}
        names, unpublished = [], False
        for fund in sorted(funds, key=lambda f: f.pk):
            if fund.project_id is None:
                names.append(fund.name)
            elif project_selectors.is_public(fund.project):
                names.append(fund.project.title)
            else:
                unpublished = True
        out.append(
            {
                "transaction": tx.pk,
                "date": tx.date,
                "occurred_on": tx.occurred_on,
                "kind": tx.kind,
                "kind_label": tx.get_kind_display(),
                "concerns": names,
                "unpublished": unpublished,
                "amount": sum((money(e.amount) for e in cash if e.amount > 0), ZERO),
            }
        )
    return out


def prior_period_adjustments(period: PeriodLike, *, project=None) -> list[dict]:
    """Transactions posted in the period (ledger date) whose real date (`occurred_on`) lies before it: events
    of months already closed, counted in this period's figures."""
    qs = LedgerTransaction.objects.filter(
        date__gte=period.start, date__lte=period.end, occurred_on__lt=period.start
    )
    return _adjustment_rows(qs, project=project)


def adjustments_posted_later(period: PeriodLike, *, project=None) -> list[dict]:
    """Transactions whose real date lies in the period but that were posted after it (its months were
    closed): they count in the period they were posted in, and this period's figures do not change."""
    qs = LedgerTransaction.objects.filter(
        occurred_on__gte=period.start, occurred_on__lte=period.end, date__gt=period.end
    )
    return _adjustment_rows(qs, project=project)


def donations_in_period(period: PeriodLike, *, project=None, threshold: Decimal) -> dict:
    """The donations posted in the period (ledger date), for a report: those of `threshold` or more listed
    one by one (still recorded), the rest as one line whose amount makes the list total the period's cash
    income exactly (smaller gifts and reversals, net)."""
    from ..models import Donation  # noqa: PLC0415

    donations = Donation.objects.filter(
        status=Donation.Status.RECORDED,
        ledger_transaction__date__gte=period.start,
        ledger_transaction__date__lte=period.end,
    ).select_related("funder", "channel", "fund", "ledger_transaction")
    income_rows, _path = period_rows(period, project=project)
    income = -_sum(income_rows.filter(account__type=Account.Type.INCOME))
    if project is not None:
        donations = donations.filter(fund__project=project)
    large = list(donations.filter(amount__gte=threshold).order_by("-amount", "received_on", "pk"))
    large_total = sum((d.amount for d in large), ZERO)
    return {
        "large": large,
        "small_count": donations.filter(amount__lt=threshold).count(),
        "small_total": income - large_total,
        "total": income,
    }
