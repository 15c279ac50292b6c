"""The one set of books: every public money figure, defined once, read from the ledger.

Definitions (the public "how we count" section on the open-data page states the same):

- **raised**: cash donations (every channel: transfers, online, cash, contracts, grant tranches, matching gifts)
  as posted to the income accounts, net of reversals. In-kind gifts are never part of it.
- **allocated**: money moved from the general or a community fund to another fund (net of reversals). It is
  neither raised nor spent for the programme as a whole: it moves money between funds.
- **spent**: approved expenditures as posted to the expense accounts, net of reversals, counted on the date the
  money was spent (the receipt's date).
- **balance**: what a fund holds at the bank or advanced to the organization running its project (the asset
  accounts). Disbursements move money from the bank to advances inside the fund and do not change it.
- **adjustments**: postings to net assets (opening balances, corrections), rare; shown apart when not zero.

Every figure for a period sums by the ledger date. A transaction whose real date lies in a month that was
already closed when it was posted is dated in the first open month and carries its real date as
`occurred_on` (a prior-period adjustment); closed months therefore never change.

Sums over whole months read the ledger's monthly totals (LedgerMonthTotal, kept by the posting service and
checked by verify_ledger); other periods read the entries.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Protocol

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from empowerment.querysets import compiled_once, per_row_subquery
from projects import selectors as project_selectors

from .. import fundmonths
from ..models import (
    Account,
    Allocation,
    Channel,
    Expenditure,
    Fund,
    Funder,
    InKindGift,
    LedgerAccountMonth,
    LedgerEntry,
    LedgerFundMonth,
    LedgerMonthTotal,
    LedgerTransaction,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)
Kind = LedgerTransaction.Kind


def raised_by_channel_id(income) -> list[tuple[int | None, Decimal]]:
    """(channel id, raised) for income entries with something raised, most first: the one grouping of
    income by channel, named where it is shown (`raised_by_channel`, `channel_names`)."""
    rows = [
        (row["account__channel_id"], -money(row["s"]))
        for row in income.order_by().values("account__channel_id").annotate(s=Sum("amount"))
    ]
    return sorted(((pk, raised) for pk, raised in rows if raised), key=lambda r: (-r[1], r[0] or 0))


def named_by_channel(rows) -> list[tuple[str, Decimal]]:
    """`raised_by_channel_id`'s rows with the channels' names in the visitor's language, most first."""
    rows = list(rows)
    names = channel_names(pk for pk, _s in rows)
    return sorted(((names.get(pk, ""), raised) for pk, raised in rows), key=lambda r: (-r[1], r[0]))


def raised_by_channel(income) -> list[tuple[str, Decimal]]:
    """(channel name, raised) for income entries, most first, grouped by channel and named as shown."""
    return named_by_channel(raised_by_channel_id(income))


def channels_by_id(ids) -> dict:
    """The channels of these ids (for names in every language, e.g. a frozen report's snapshot). The
    channels are a handful (the platforms and accounts money arrives through): they are read all together,
    by a read compiled once (empowerment.querysets.compiled_once), and inside `read_once` once for the
    whole block."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    kept = _channels.get()
    if kept is None or not wanted <= kept.keys():
        found = {channel.pk: channel for channel in compiled_once("every channel", _every_channel)}
        if kept is None:
            kept = found
        else:
            kept.update(found)
    return {pk: kept[pk] for pk in wanted if pk in kept}


def _every_channel() -> QuerySet[Channel]:
    return Channel.objects.order_by("pk")


def channel_choices(ordering=()) -> list[tuple[int, str]]:
    """Every channel as a choice (its id and its str), in `ordering` (or the model's): what Django's
    `ForeignKey.get_choices` gives an admin list's channel filter, by a read compiled once per ordering."""
    ordering = tuple(ordering or ())
    channels = compiled_once(f"channels ordered by {ordering}", partial(_channels_ordered, ordering))
    return [(channel.pk, str(channel)) for channel in channels]


def _channels_ordered(ordering: tuple) -> QuerySet[Channel]:
    return Channel.objects.order_by(*ordering) if ordering else Channel.objects.all()


def channel_names(ids) -> dict:
    """Channels' names in the visitor's language (the other language where one is missing), by id: money
    is grouped by channel id and named as it is shown, never grouped by a name column."""
    return {pk: channel.name for pk, channel in channels_by_id(ids).items()}


class PeriodLike(Protocol):
    start: date
    end: date


def money(value) -> Decimal:
    """A database sum as exact yuan (SQLite sums decimals in floating point; PostgreSQL is exact)."""
    return (Decimal(value) if value is not None else ZERO).quantize(CENT)


def _sum(qs, field: str = "amount") -> Decimal:
    return money(qs.aggregate(s=Coalesce(Sum(field), Value(ZERO), output_field=MONEY))["s"])


# Sources -------------------------------------------------------------------------------------------------


def cash_entries() -> QuerySet[LedgerEntry]:
    """Ledger entries of cash accounts (everything but in-kind)."""
    return LedgerEntry.objects.filter(account__in_kind=False)


def cash_month_totals() -> QuerySet[LedgerMonthTotal]:
    """The ledger's monthly totals (per account and fund) of cash accounts: the same sums as
    `cash_entries()` over whole months, from a table a few percent of its size."""
    return LedgerMonthTotal.objects.filter(account__in_kind=False)


def cash_account_months() -> QuerySet[LedgerAccountMonth]:
    """The programme's monthly totals (per account, every fund together) of cash accounts: the same sums as
    `cash_month_totals()` summed over funds."""
    return LedgerAccountMonth.objects.filter(account__in_kind=False)


def programme_source(period: PeriodLike | None) -> tuple[QuerySet, str]:
    """(queryset, date path) to sum the whole programme's cash amounts by account over a period: the
    programme's monthly totals over whole months and all time, the entries otherwise."""
    if whole_months(period):
        return cash_account_months(), "month"
    return cash_entries(), "transaction__date"


def cash_fund_months() -> QuerySet[LedgerFundMonth]:
    """Each fund's monthly figures of cash accounts (fundmonths): the same sums as `cash_entries()` over
    whole months, kept also by transaction kind, the kind a reversal undoes, sign and kind of funder."""
    return LedgerFundMonth.objects.filter(account__in_kind=False)


ENTRY_PATHS = {
    "kind": "transaction__kind",
    "reverses": "transaction__reverses__kind",
    "date": "transaction__date",
}
FUND_MONTH_PATHS = {"kind": "kind", "reverses": "reverses_kind", "date": "month"}


def kind_source(period: PeriodLike | None) -> tuple[QuerySet, dict]:
    """(queryset, paths) to sum cash amounts by transaction kind over a period: each fund's monthly figures
    when the period is made of whole months or is all time, the entries otherwise; `paths` names the
    transaction kind, the reversed kind and the date in that queryset."""
    if whole_months(period):
        return cash_fund_months(), FUND_MONTH_PATHS
    return cash_entries(), ENTRY_PATHS


def whole_months(period: PeriodLike | None) -> bool:
    return period is None or (
        period.start.day == 1 and (period.end + relativedelta(days=1)).day == 1 and period.end >= period.start
    )


def money_source(period: PeriodLike | None) -> tuple[QuerySet, str]:
    """(queryset, date path) to sum cash amounts over a period: the monthly totals when the period is made of
    whole months (every dashboard and report period), the entries themselves otherwise."""
    if whole_months(period):
        return cash_month_totals(), "month"
    return cash_entries(), "transaction__date"


def in_period(qs, period: PeriodLike | None, path: str = "transaction__date"):
    """Rows whose ledger date (or `path`) lies in the period (inclusive); all rows when period is None."""
    if period is None:
        return qs
    return qs.filter(**{f"{path}__gte": period.start, f"{path}__lte": period.end})


def period_rows(period: PeriodLike | None, *, fund=None, project=None) -> tuple[QuerySet, str]:
    """The cash rows (monthly totals or entries) of a period, optionally of one fund or one project's fund."""
    source, path = money_source(period)
    if fund is not None:
        source = source.filter(fund=fund)
    if project is not None:
        source = source.filter(fund__project=project)
    return in_period(source, period, path), path


# Public projects -----------------------------------------------------------------------------------------


def public_fund_q(prefix: str = "fund__") -> Q:
    """Rows of funds that may be named in public: the general and community funds, and the funds of public
    projects (projects.selectors.public_project_q is the one rule)."""
    return Q(**{f"{prefix}project__isnull": True}) | project_selectors.public_project_q(f"{prefix}project__")


def unpublished_fund_q(prefix: str = "fund__") -> Q:
    """Rows of funds of projects that are not public yet (shown only as one line, never by name)."""
    return Q(**{f"{prefix}project__isnull": False}) & ~project_selectors.public_project_q(
        f"{prefix}project__"
    )


# Income by funder kind needs the donation behind each income entry (or behind the transaction it reverses).
FUNDER_KIND_ANONYMOUS = fundmonths.FUNDER_KIND_ANONYMOUS
funder_kind_expr = fundmonths.funder_kind_expr


def _allocation_direction_sums(paths: dict = ENTRY_PATHS) -> dict:
    """Conditional sums over a fund's cash entries (or monthly figures, with their `paths`) separating
    allocations in and out (a reversal of an allocation counts against the direction of the allocation it
    undoes). A monthly figure sums entries of one sign, so its amount has the sign of its entries."""
    tx_kind, rev_kind = paths["kind"], paths["reverses"]
    alloc_in = Q(**{tx_kind: Kind.ALLOCATION, "amount__gt": 0}) | Q(
        **{tx_kind: Kind.REVERSAL, rev_kind: Kind.ALLOCATION, "amount__lt": 0}
    )
    alloc_out = Q(**{tx_kind: Kind.ALLOCATION, "amount__lt": 0}) | Q(
        **{tx_kind: Kind.REVERSAL, rev_kind: Kind.ALLOCATION, "amount__gt": 0}
    )
    asset = Q(account__type=Account.Type.ASSET)
    return {"alloc_in": asset & alloc_in, "alloc_out": asset & alloc_out}


# One reading of a fund's entries ------------------------------------------------------------------------

BEFORE, DURING, AFTER = "before", "during", "after"
_readings: ContextVar[dict | None] = ContextVar("books_fund_readings", default=None)
_channels: ContextVar[dict | None] = ContextVar("books_channels", default=None)


@contextmanager
def read_once():
    """Within this block each fund's entries are read once (`fund_ledger`) and every figure of the fund
    that needs them (`fund_totals`, `fund_money`, one project's `flow_money`) is derived from that one
    reading, so a page showing a fund's money and its flow reads the fund's ledger once, from one state.
    The channels that name the income are read once too (`channels_by_id`)."""
    token, channels_token = _readings.set({}), _channels.set({})
    try:
        yield
    finally:
        _readings.reset(token)
        _channels.reset(channels_token)


@dataclass(frozen=True)
class FundLedger:
    """A fund's cash entries summed in two grouped reads, split by where the ledger date lies against a
    period (`before`, `during`, `after`; all `during` for all time):

    - rows: by account (type, code, category), transaction kind, the kind of the transaction a reversal
      undoes and the sign of the amount;
    - income: the income entries by channel and funder kind (the donation behind each entry, or behind the
      transaction it reverses).

    Every per-fund figure is a sum over these rows; none reads the entries again."""

    fund_id: int
    period: tuple[date, date] | None
    rows: tuple[dict, ...]
    income: tuple[dict, ...]

    def total(self, *, buckets=(BEFORE, DURING, AFTER), **match) -> Decimal:
        return sum(
            (
                r["s"]
                for r in self.rows
                if r["bucket"] in buckets and all(r[k] == v for k, v in match.items())
            ),
            ZERO,
        )

    def allocations(self, *, into: bool, buckets=(BEFORE, DURING, AFTER)) -> Decimal:
        """Allocations into (or out of) the fund, net of reversals: the asset lines of allocations by their
        sign, a reversal of an allocation counting against the direction of the allocation it undoes."""
        return sum(
            (
                r["s"]
                for r in self.rows
                if r["bucket"] in buckets
                and r["type"] == Account.Type.ASSET
                and (
                    (r["kind"] == Kind.ALLOCATION and r["positive"] == into)
                    or (
                        r["kind"] == Kind.REVERSAL
                        and r["reverses"] == Kind.ALLOCATION
                        and r["positive"] != into
                    )
                )
            ),
            ZERO,
        )

    def disbursed(self) -> Decimal:
        """Advances paid to the project's organization, net of reversals."""
        return sum(
            (
                r["s"]
                for r in self.rows
                if r["code"] == ADVANCES
                and (
                    r["kind"] == Kind.DISBURSEMENT
                    or (r["kind"] == Kind.REVERSAL and r["reverses"] == Kind.DISBURSEMENT)
                )
            ),
            ZERO,
        )


ADVANCES = "asset:advances"


def _bucket(start: date | None, end: date | None, path: str = "transaction__date"):
    """Where a row's date falls against a period from start to end (all of it DURING without a period)."""
    if start is None:
        return Value(DURING)
    return Case(
        When(**{f"{path}__lt": start}, then=Value(BEFORE)),
        When(**{f"{path}__gt": end}, then=Value(AFTER)),
        default=Value(DURING),
    )


def fund_ledger(fund_id: int, period: PeriodLike | None = None) -> FundLedger:
    """The one reading of a fund's cash entries (see FundLedger), made once per fund inside `read_once`: from
    the fund's monthly figures (LedgerFundMonth, the same sums kept at posting time) when the period is made
    of whole months or is all time, from the entries otherwise."""
    key = None if period is None else (period.start, period.end)
    readings = _readings.get()
    if readings is not None and fund_id in readings and readings[fund_id].period == key:
        return readings[fund_id]
    if period is None:  # each read compiled once (empowerment.querysets.compiled_once): every fund's page
        found = compiled_once("fund ledger rows", _month_rows, fund=fund_id)
        found_income = compiled_once("fund ledger income", _month_income, fund=fund_id)
    elif whole_months(period):
        dates = {"fund": fund_id, "start": period.start, "end": period.end}
        found = compiled_once("fund ledger rows, months", _month_rows, **dates)
        found_income = compiled_once("fund ledger income, months", _month_income, **dates)
    else:
        found, found_income = _entry_rows(fund_id, period), _entry_income(fund_id, period)
    rows = tuple(
        {
            "bucket": r["bucket"],
            "type": r["account__type"],
            "code": r["account__code"],
            "category": r["account__category"],
            "kind": r["tx_kind"],
            "reverses": r["undoes"] or None,
            "positive": bool(r["sign"]),
            "s": money(r["s"]),
        }
        for r in found
    )
    income = tuple(
        {
            "bucket": r["bucket"],
            "channel_id": r["account__channel_id"],
            "channel_kind": r["account__channel__kind"],
            "funder_kind": r["funder"],
            "s": money(r["s"]),
        }
        for r in found_income
    )
    reading = FundLedger(fund_id=fund_id, period=key, rows=rows, income=income)
    if readings is not None:
        readings[fund_id] = reading
    return reading


def _months(fund: int, start: date | None = None, end: date | None = None) -> QuerySet:
    """A fund's monthly cash figures (LedgerFundMonth, kept at posting time), bucketed by the period."""
    return (
        LedgerFundMonth.objects.filter(fund_id=fund, account__in_kind=False)
        .annotate(
            bucket=_bucket(start, end, "month"),
            tx_kind=F("kind"),
            undoes=F("reverses_kind"),
            sign=F("positive"),
        )
        .order_by()
    )


def _entries(fund: int, period: PeriodLike) -> QuerySet:
    """A fund's cash entries, bucketed by the period (a period not made of whole months)."""
    return (
        cash_entries()
        .filter(fund_id=fund)
        .annotate(
            bucket=_bucket(period.start, period.end),
            tx_kind=F("transaction__kind"),
            undoes=Coalesce("transaction__reverses__kind", Value("")),
            sign=Case(When(amount__gt=0, then=Value(True)), default=Value(False)),
        )
        .order_by()
    )


_ROW_FIELDS = ("bucket", "account__type", "account__code", "account__category", "tx_kind", "undoes", "sign")
_INCOME_FIELDS = ("bucket", "account__channel_id", "account__channel__kind", "funder")


def _rows(source: QuerySet) -> QuerySet:
    return source.values(*_ROW_FIELDS).annotate(s=Sum("amount"))


def _month_rows(fund: int, start: date | None = None, end: date | None = None) -> QuerySet:
    return _rows(_months(fund, start, end))


def _entry_rows(fund: int, period: PeriodLike) -> QuerySet:
    return _rows(_entries(fund, period))


def _month_income(fund: int, start: date | None = None, end: date | None = None) -> QuerySet:
    return (
        _months(fund, start, end)
        .filter(account__type=Account.Type.INCOME)
        .annotate(funder=F("funder_kind"))
        .values(*_INCOME_FIELDS)
        .annotate(s=Sum("amount"))
    )


def _entry_income(fund: int, period: PeriodLike) -> QuerySet:
    return (
        _entries(fund, period)
        .filter(account__type=Account.Type.INCOME)
        .annotate(funder=funder_kind_expr())
        .values(*_INCOME_FIELDS)
        .annotate(s=Sum("amount"))
    )


def _any_reading(fund_id: int) -> FundLedger:
    """The fund's reading already made in this block (whatever its period: all-time figures sum every
    bucket), else a new one for all time."""
    readings = _readings.get()
    if readings is not None and fund_id in readings:
        return readings[fund_id]
    return fund_ledger(fund_id)


def fund_totals(fund: Fund) -> dict[str, Decimal]:
    """The headline figures of one fund, all time, from its one reading (fund_ledger):

    - raised: donations into the fund (income accounts), net of reversals;
    - allocations_in / allocations_out: money moved into / out of the fund between funds, net of reversals;
    - adjustments: net-assets postings (normally zero);
    - spent: expenditures (expense accounts), net of reversals;
    - disbursed: money advanced to the project's organization (bank → advances inside the fund);
    - balance: bank + advances.

    Every non-allocation transaction balances inside its fund, so
    raised + allocations_in + adjustments − spent − allocations_out = balance, exactly."""
    return _totals(_any_reading(fund.pk))


def _totals(reading: FundLedger) -> dict[str, Decimal]:
    t = Account.Type
    return {
        "raised": -reading.total(type=t.INCOME),
        "adjustments": -reading.total(type=t.NET_ASSETS),
        "spent": reading.total(type=t.EXPENSE),
        "balance": reading.total(type=t.ASSET),
        "allocations_in": reading.allocations(into=True),
        "allocations_out": -reading.allocations(into=False),
        "disbursed": reading.disbursed(),
    }


def posted_not_reversed(path: str = "ledger_transaction") -> Q:
    """Records (allocations, donations, …) posted to the ledger and not reversed since. NOT EXISTS on the
    reversal, not a LEFT JOIN filtered on NULL: the planner misjudges the latter as one row and loops."""
    return Q(**{f"{path}__isnull": False}) & ~Exists(
        LedgerTransaction.objects.filter(reverses=OuterRef(path))
    )


def _category_labels() -> dict:
    from projects.models import BudgetLine  # noqa: PLC0415 - the category labels

    return dict(BudgetLine.Category.choices)


def fund_money(fund: Fund, *, itemised: bool = True) -> dict:
    """Everything a fund's public money page shows, from the ledger; with itemised=False only the figures
    (no list of allocations, expenditures and gifts in kind: for the read API, which gives the figures).

    Money in: donations by channel and by funder kind (`donations_total`), allocations from other funds
    (`allocations_in`, `allocations_in_total`) and net-assets adjustments (`adjustments_total`, normally
    zero). Money out: spending by budget category and itemised with dates and payee organizations (never
    invoices or private payees) (`spent_total`), allocations to other funds (`allocations_out_total`).

    `money_in` = donations_total + allocations_in_total + adjustments_total
    `money_out` = spent_total + allocations_out_total
    `balance` = money_in − money_out (exactly: it is the bank + advances the fund holds in the ledger).

    Every figure is net of reversals. Disbursements (`disbursed_total`) move money inside the fund, from the
    bank to the organization's advance, so they are neither in nor out. In-kind gifts are kept apart
    (`in_kind`, `in_kind_total`) and never part of a cash figure."""
    reading = _any_reading(fund.pk)
    totals = _totals(reading)
    channels: dict = {}
    kinds_sum: dict = {}
    for row in reading.income:
        key = (row["channel_id"], row["channel_kind"])
        channels[key] = channels.get(key, ZERO) + row["s"]
        kinds_sum[row["funder_kind"]] = kinds_sum.get(row["funder_kind"], ZERO) + row["s"]
    names = channel_names(pk for pk, _kind in channels)
    by_channel = [
        {"channel__name": name, "channel__kind": kind, "total": -s}
        for name, kind, s in sorted(
            ((names.get(pk, ""), kind, s) for (pk, kind), s in channels.items()), key=lambda r: (r[2], r[0])
        )
        if s
    ]
    kinds = dict(Funder.Kind.choices)
    by_funder_kind = [
        {"kind": kinds.get(kind), "total": -s}
        for kind, s in sorted(kinds_sum.items(), key=lambda item: (item[1], item[0] or ""))
        if s
    ]
    categories = _category_labels()
    spent_by: dict = {}
    for row in reading.rows:
        if row["type"] == Account.Type.EXPENSE:
            spent_by[row["category"]] = spent_by.get(row["category"], ZERO) + row["s"]
    by_category = [
        {"category": categories.get(code, code), "total": s}
        for code, s in sorted(spent_by.items(), key=lambda item: (-item[1], item[0]))
        if s
    ]
    money_in = totals["raised"] + totals["allocations_in"] + totals["adjustments"]
    money_out = totals["spent"] + totals["allocations_out"]
    figures = {
        "fund": fund,
        # False for the fund of a project not public yet: a public page then names neither the project nor
        # its spending (the donor lookup shows the gift only).
        "public": fund.project_id is None or project_selectors.is_public(fund.project),
        "donations_total": totals["raised"],
        "by_channel": by_channel,
        "by_funder_kind": by_funder_kind,
        "allocations_in_total": totals["allocations_in"],
        "allocations_out_total": totals["allocations_out"],
        "adjustments_total": totals["adjustments"],
        "spent_total": totals["spent"],
        "by_category": by_category,
        "disbursed_total": totals["disbursed"],
        "money_in": money_in,
        "money_out": money_out,
        "balance": totals["balance"],
    }
    if itemised:
        figures.update(fund_items(fund))
    return figures


def fund_items(fund: Fund) -> dict:
    """The itemised lists of a fund's money page: allocations in and out, approved expenditures, gifts in
    kind and their total. Each read is compiled once (empowerment.querysets.compiled_once): every project
    page makes them."""
    allocations = compiled_once("fund allocations", _fund_allocations, fund=fund.pk)
    # The expense accounts are few and rarely added: the expenditures' read is compiled for the ones there are.
    expense_accounts = tuple(compiled_once("expense accounts", _expense_accounts))
    # One plan for every fund: planned for each fund's values, a fund with many entries got a plan that reads
    # them all (16-30 ms for the largest funds, against a tenth of a millisecond by the fund's index).
    spent = compiled_once(
        f"fund expenditures {expense_accounts}",
        partial(_fund_expenditures, expense_accounts),
        generic_plan=True,
        fund=fund.pk,
    )
    in_kind = compiled_once("fund gifts in kind", _fund_in_kind, fund=fund.pk)
    return {
        "allocations_in": [a for a in allocations if a.to_fund_id == fund.pk],
        "allocations_out": [a for a in allocations if a.from_fund_id == fund.pk],
        "spent": spent,
        "in_kind": in_kind,
        # The sum of the gifts just read (exact, as the database's).
        "in_kind_total": money(sum((g.value for g in in_kind), ZERO)),
    }


def _fund_allocations(fund: int) -> QuerySet[Allocation]:
    """Allocations into and out of the fund in one read, each with the fund (and project) on its other side."""
    return (
        Allocation.objects.filter(posted_not_reversed(), Q(to_fund=fund) | Q(from_fund=fund))
        .select_related("from_fund__project", "to_fund__project")
        .order_by("allocated_on", "pk")
    )


def _expense_accounts() -> QuerySet:
    return Account.objects.filter(type=Account.Type.EXPENSE).order_by("pk").values_list("pk", flat=True)


def _fund_expenditures(expense_accounts: tuple, fund: int) -> QuerySet[Expenditure]:
    """The approved expenditures posted to this fund, found from the fund's expense entries (by the index on
    fund and account; a join through every entry of a large fund would read them all), with only what the
    pages and statements show of each (its day, description, category, organization, how it was paid,
    amount): a fund's page lists every expenditure of the fund."""
    expense_txs = LedgerEntry.objects.filter(fund=fund, account_id__in=expense_accounts).values(
        "transaction_id"
    )
    return (
        Expenditure.objects.filter(status=Expenditure.Status.APPROVED, ledger_transaction__in=expense_txs)
        .select_related("budget_line", "organization")
        .only(
            "spent_on",
            "description",
            "paid_from",
            "amount",
            "budget_line__category",
            "organization",  # every column of it: its name is read in the visitor's language
        )
        .order_by("-spent_on", "-pk")
    )


def _fund_in_kind(fund: int) -> QuerySet[InKindGift]:
    return InKindGift.objects.filter(fund=fund)


# Per-project annotations ---------------------------------------------------------------------------------


def _project_sum(account_type: str, *, sign: int = 1):
    def build(outer) -> QuerySet:
        return (
            cash_month_totals()
            .filter(fund__project=outer, account__type=account_type)
            .order_by()
            .values("fund__project")
            .annotate(s=Sum("amount") * sign)
            .values("s")[:1]
        )

    return build


def _project_allocated(outer) -> QuerySet:
    directions = _allocation_direction_sums(FUND_MONTH_PATHS)
    return (
        cash_fund_months()
        .filter(directions["alloc_in"], fund__project=outer)
        .order_by()
        .values("fund__project")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )


PROJECT_MONEY = {
    "money_raised": _project_sum(Account.Type.INCOME, sign=-1),
    "money_allocated": _project_allocated,
    "money_spent": _project_sum(Account.Type.EXPENSE),
    "money_balance": _project_sum(Account.Type.ASSET),
}


def with_project_money(projects: QuerySet) -> QuerySet:
    """Projects annotated with their fund's all-time figures (the same definitions as `fund_totals`):
    money_raised (donations), money_allocated (allocations in, net), money_spent and money_balance (bank +
    advances held); what the fund received is `project_received` of a row (the sum is taken in Python: as
    an annotation, the database would evaluate both subqueries a second time). Each figure is a subquery
    over the kept monthly figures, compiled once per process (`per_row_subquery`): read the rows, do not
    nest this queryset in another query."""
    return projects.annotate(
        **{
            name: per_row_subquery(f"project {name}", projects.model, build, output_field=MONEY, default=ZERO)
            for name, build in PROJECT_MONEY.items()
        }
    )


def project_received(project) -> Decimal:
    """What a project's fund received, donations and allocations in together, of a row of
    `with_project_money`."""
    return money(project.money_raised) + money(project.money_allocated)


def funds_with_money(funds: QuerySet[Fund]) -> QuerySet[Fund]:
    """Funds annotated with `spent` (expenses, net) and `disbursed` (advances paid, net) from the ledger."""
    spent = (
        cash_month_totals()
        .filter(fund=OuterRef("pk"), account__type=Account.Type.EXPENSE)
        .order_by()
        .values("fund")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    disbursed = (
        cash_fund_months()
        .filter(
            Q(kind=Kind.DISBURSEMENT) | Q(kind=Kind.REVERSAL, reverses_kind=Kind.DISBURSEMENT),
            fund=OuterRef("pk"),
            account__code="asset:advances",
        )
        .order_by()
        .values("fund")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    return with_running_balance(funds).annotate(
        spent=Coalesce(Subquery(spent, output_field=MONEY), Value(ZERO, output_field=MONEY)),
        disbursed=Coalesce(Subquery(disbursed, output_field=MONEY), Value(ZERO, output_field=MONEY)),
    )


def with_running_balance(funds: QuerySet[Fund]) -> QuerySet[Fund]:
    """Funds read with their running balance (FundBalance) in the same query, so that `fund.balance` of a
    list of funds costs no query per fund."""
    return funds.annotate(_balance=Coalesce(F("running_balance__amount"), Value(ZERO, output_field=MONEY)))


# Programme figures for a period --------------------------------------------------------------------------

UNPUBLISHED = "unpublished"


def programme_money(period: PeriodLike | None = None) -> dict:
    """The programme's money for a period (all time when None), every figure by the ledger date:

    - raised: cash income, net of reversals; raised_by_channel: [(channel name, amount)] and
      raised_by_channel_id: [(channel id, amount)] (for figures kept to be shown in either language);
    - spent: expenses, net of reversals; spent_by_category: [(category code, amount)];
    - balance: bank + advances of every fund at the end of the period (now when None);
    - adjustments: net-assets postings in the period (normally zero)."""
    source, path = programme_source(period)
    rows = in_period(source, period, path)
    income = rows.filter(account__type=Account.Type.INCOME)
    expense = rows.filter(account__type=Account.Type.EXPENSE)
    balance_rows = source.filter(account__type=Account.Type.ASSET)
    if period is not None:
        balance_rows = balance_rows.filter(**{f"{path}__lte": period.end})
    by_channel = raised_by_channel_id(income)
    return {
        "raised": -_sum(income),
        "spent": _sum(expense),
        "balance": _sum(balance_rows),
        "adjustments": -_sum(rows.filter(account__type=Account.Type.NET_ASSETS)),
        "raised_by_channel": named_by_channel(by_channel),
        "raised_by_channel_id": by_channel,
        "spent_by_category": [
            (row["account__category"], money(row["s"]))
            for row in expense.values("account__category")
            .annotate(s=Sum("amount"))
            .order_by("-s", "account__category")
            if money(row["s"])
        ],
    }


def in_kind_income(period: PeriodLike | None = None) -> Decimal:
    """Gifts in kind received in the period at their recorded value, net of reversals, by the ledger date:
    income in the financial statements (donation income), never part of `raised`, which is money."""
    if whole_months(period):
        source, path = LedgerMonthTotal.objects.filter(account__in_kind=True), "month"
    else:
        source, path = LedgerEntry.objects.filter(account__in_kind=True), "transaction__date"
    return -_sum(in_period(source.filter(account__type=Account.Type.INCOME), period, path))


def spending_by_project(period: PeriodLike | None = None) -> dict:
    """Spending in the period per public project id; the spending of projects not public yet under the one
    key UNPUBLISHED (never by id), and of the general and community funds under None. The values sum to
    programme_money(period)["spent"]."""
    rows, _path = period_rows(period)
    out: dict = {}
    for row in (
        rows.filter(account__type=Account.Type.EXPENSE)
        .annotate(
            public=Case(
                When(public_fund_q(), then=Value(True)),
                default=Value(False),
            )
        )
        .order_by()
        .values("fund__project", "public")
        .annotate(s=Sum("amount"))
    ):
        key = row["fund__project"] if row["public"] else UNPUBLISHED
        out[key] = out.get(key, ZERO) + money(row["s"])
    return {k: v for k, v in out.items() if v}


def monthly_money(months: list[date]) -> list[tuple[date, Decimal, Decimal]]:
    """(month, raised, spent) for each first-of-month in `months`, from the monthly totals (ledger date)."""
    if not months:
        return []
    per_month: dict = {m: [ZERO, ZERO] for m in months}
    for row in (
        cash_account_months()
        .filter(
            month__gte=months[0],
            month__lte=months[-1],
            account__type__in=[Account.Type.INCOME, Account.Type.EXPENSE],
        )
        .order_by()
        .values("month", "account__type")
        .annotate(s=Sum("amount"))
    ):
        if row["month"] not in per_month:
            continue
        if row["account__type"] == Account.Type.INCOME:
            per_month[row["month"]][0] = -money(row["s"])
        else:
            per_month[row["month"]][1] = money(row["s"])
    return [(m, per_month[m][0], per_month[m][1]) for m in months]


def period_figures(period: PeriodLike | None = None, *, fund=None, project=None, organization=None) -> dict:
    """The headline figures of the whole programme, one fund, one project's fund or one organization's
    public projects, for a period (all time when None), with the same definitions as fund_totals, by the
    ledger date: opening (bank + advances before the period), raised, allocations_in, allocations_out,
    adjustments, spent, closing. opening + raised + allocations_in + adjustments − spent − allocations_out
    = closing, exactly (for the whole programme allocations in and out are equal)."""
    t = Account.Type
    entries, paths = kind_source(period)
    if fund is not None:
        entries = entries.filter(fund=fund)
    if project is not None:
        entries = entries.filter(fund__project=project)
    if organization is not None:
        entries = entries.filter(
            project_selectors.public_project_q("fund__project__"), fund__project__organization=organization
        )
    directions = _allocation_direction_sums(paths)
    during = in_period(entries, period, paths["date"])
    row = during.aggregate(
        income=Sum("amount", filter=Q(account__type=t.INCOME)),
        net_assets=Sum("amount", filter=Q(account__type=t.NET_ASSETS)),
        expense=Sum("amount", filter=Q(account__type=t.EXPENSE)),
        alloc_in=Sum("amount", filter=directions["alloc_in"]),
        alloc_out=Sum("amount", filter=directions["alloc_out"]),
        movement=Sum("amount", filter=Q(account__type=t.ASSET)),
    )
    opening = ZERO
    if period is not None:
        opening = _sum(entries.filter(account__type=t.ASSET, **{f"{paths['date']}__lt": period.start}))
    return {
        "opening": opening,
        "raised": -money(row["income"]),
        "allocations_in": money(row["alloc_in"]),
        "allocations_out": -money(row["alloc_out"]),
        "adjustments": -money(row["net_assets"]),
        "spent": money(row["expense"]),
        "closing": opening + money(row["movement"]),
    }


def organization_money(organization, period: PeriodLike | None = None) -> dict:
    """An organization's money: the period figures of its public projects' funds together (its projects
    not yet published are left out, as everywhere in public)."""
    return period_figures(period, organization=organization)


def unpublished_summary(period: PeriodLike | None = None) -> dict:
    """The projects not public yet as ONE line, never by name: `count` (those whose fund has any cash
    entry up to the end of the period), and their `raised`, `allocated` (allocations in, net), `spent` in
    the period and `balance` (bank + advances) at its end. The same definitions as fund_totals."""
    source, path = money_source(period)
    source = source.filter(unpublished_fund_q())
    rows = in_period(source, period, path)
    upto = source if period is None else source.filter(**{f"{path}__lte": period.end})
    t = Account.Type
    figures = rows.aggregate(
        income=Sum("amount", filter=Q(account__type=t.INCOME)),
        expense=Sum("amount", filter=Q(account__type=t.EXPENSE)),
    )
    kinds, paths = kind_source(period)
    directions = _allocation_direction_sums(paths)
    allocated = in_period(kinds.filter(unpublished_fund_q()), period, paths["date"]).aggregate(
        s=Sum("amount", filter=directions["alloc_in"])
    )["s"]
    return {
        "count": upto.values("fund__project").distinct().count(),
        "raised": -money(figures["income"]),
        "allocated": money(allocated),
        "spent": money(figures["expense"]),
        "balance": _sum(upto.filter(account__type=t.ASSET)),
    }
