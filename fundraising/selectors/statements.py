"""Reads behind the annual statements (资产负债表, 业务活动表, 现金流量表): the ledger's sums for a year, by
account and by restricted/unrestricted fund, and the chart-of-accounts mapping. The statements themselves
(lines, totals, tie-outs) are built from these sums by fundraising.statements.compute; `annual_statements`
is the one entry point every screen, PDF and workbook calls.

Every figure is by the ledger date (a prior-period adjustment posted into an open month counts in the year
it was posted, so a closed year never changes). Balances and the year's income and costs are read from the
ledger's monthly totals; the cash flows and the bank accounts' balances from the entries themselves, so the
tie-outs compare two independent sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from ..models import Account, Fund, LedgerEntry, LedgerMonthTotal, LedgerTransaction, PeriodClose
from ..statements.lines import StatementLine
from ..statements.mapping import default_mapping, government_channels
from ..statements.models import AccountMapping
from .books import ZERO, money

Kind = LedgerTransaction.Kind


class UnmappedAccounts(ValidationError):
    """The statements of a year cannot be computed: accounts with a balance in it have no statement line."""

    def __init__(self, accounts: list[Account]):
        self.accounts = accounts
        super().__init__(
            _("These accounts have a balance in the year but no statement line: %(accounts)s.")
            % {"accounts": ", ".join(a.code for a in accounts)},
            code="unmapped",
        )


@dataclass
class YearSums:
    """The raw sums of a year, signed as the ledger signs them (debit positive, credit negative).

    by_account_*: {(account_id, restricted): amount}; cash_counterparts: {account_id: amount} (entries of the
    year on non-cash accounts in transactions that moved cash); bank_balance_*: the cash accounts' balances
    summed from the entries; nominal_*: income, cost and net-assets entries up to the date, all time."""

    year: int
    accounts: dict[int, Account]
    mapping: dict[int, AccountMapping]
    opening: dict[tuple[int, bool], Decimal]
    closing: dict[tuple[int, bool], Decimal]
    movements: dict[tuple[int, bool], Decimal]
    cash_counterparts: dict[int, Decimal]
    bank_balance_opening: Decimal
    bank_balance_closing: Decimal
    nominal_opening: Decimal
    nominal_closing: Decimal
    allocations_to_restricted: Decimal
    funds: list[dict] = field(default_factory=list)
    prior_period: dict = field(default_factory=dict)
    closed_through: date | None = None


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def accounts_in_year(year: int) -> list[Account]:
    """Accounts with a balance in the year: any posting in it, or (assets and net assets) a balance at its
    start."""
    start, end = year_bounds(year)
    moved = set(
        LedgerMonthTotal.objects.filter(month__gte=start, month__lte=end).values_list("account_id", flat=True)
    )
    carried = {
        row["account_id"]
        for row in LedgerMonthTotal.objects.filter(
            month__lt=start, account__type__in=[Account.Type.ASSET, Account.Type.NET_ASSETS]
        )
        .values("account_id")
        .annotate(s=Sum("amount"))
        if money(row["s"])
    }
    return list(Account.objects.filter(pk__in=moved | carried).order_by("code"))


def unmapped_accounts(year: int) -> list[Account]:
    """Accounts with a balance in the year and no statement line: the statements refuse while there is one."""
    mapped = set(AccountMapping.objects.values_list("account_id", flat=True))
    return [a for a in accounts_in_year(year) if a.pk not in mapped]


def mapping_rows() -> list[dict]:
    """Every account of the chart with its mapping (None when unmapped) and the default the rules give it."""
    government = government_channels()
    mappings = {m.account_id: m for m in AccountMapping.objects.select_related("updated_by")}
    rows = []
    for account in Account.objects.select_related("channel").order_by("code"):
        line, cash_flow = default_mapping(account, government=government)
        mapping = mappings.get(account.pk)
        rows.append(
            {
                "account": account,
                "mapping": mapping,
                "default_line": line,
                "default_cash_flow": cash_flow,
                "is_default": mapping is not None and (mapping.line, mapping.cash_flow) == (line, cash_flow),
            }
        )
    return rows


def _by_account(qs) -> dict[tuple[int, bool], Decimal]:
    out: dict[tuple[int, bool], Decimal] = {}
    for row in qs.order_by().values("account_id", "fund__restricted").annotate(s=Sum("amount")):
        amount = money(row["s"])
        if amount:
            out[(row["account_id"], row["fund__restricted"])] = amount
    return out


def _sum(qs) -> Decimal:
    return money(qs.aggregate(s=Sum("amount"))["s"])


def year_sums(year: int) -> YearSums:
    """Everything the statements of `year` are computed from (see YearSums). Raises UnmappedAccounts."""
    missing = unmapped_accounts(year)
    if missing:
        raise UnmappedAccounts(missing)
    start, end = year_bounds(year)
    mapping = {m.account_id: m for m in AccountMapping.objects.all()}
    accounts = {a.pk: a for a in Account.objects.all()}
    cash_ids = [pk for pk, m in mapping.items() if m.line == StatementLine.CASH]
    totals = LedgerMonthTotal.objects.all()
    balance_types = [Account.Type.ASSET, Account.Type.NET_ASSETS]
    nominal_types = [Account.Type.INCOME, Account.Type.EXPENSE, Account.Type.NET_ASSETS]

    cash_moved = Exists(
        LedgerEntry.objects.filter(transaction_id=OuterRef("transaction_id"), account_id__in=cash_ids)
    )
    in_year = LedgerEntry.objects.filter(transaction__date__gte=start, transaction__date__lte=end)
    counterparts = {
        row["account_id"]: money(row["s"])
        for row in in_year.filter(cash_moved)
        .exclude(account_id__in=cash_ids)
        .order_by()
        .values("account_id")
        .annotate(s=Sum("amount"))
    }
    allocation = Q(transaction__kind=Kind.ALLOCATION) | Q(
        transaction__kind=Kind.REVERSAL, transaction__reverses__kind=Kind.ALLOCATION
    )
    bank = LedgerEntry.objects.filter(account_id__in=cash_ids)

    fund_rows = {}
    for row in (
        totals.filter(month__lte=end, account__type=Account.Type.ASSET)
        .order_by()
        .values("fund_id")
        .annotate(
            opening=Sum("amount", filter=Q(month__lt=start)),
            closing=Sum("amount"),
        )
    ):
        if money(row["opening"]) or money(row["closing"]):
            fund_rows[row["fund_id"]] = (money(row["opening"]), money(row["closing"]))
    funds = [
        {"fund": fund, "opening": fund_rows[fund.pk][0], "closing": fund_rows[fund.pk][1]}
        for fund in Fund.objects.filter(pk__in=fund_rows).order_by("-restricted", "kind", "name")
    ]

    later = LedgerTransaction.objects.filter(date__gte=start, date__lte=end, occurred_on__lt=start)
    prior = later.aggregate(
        n=Count("pk", distinct=True),
        income=Sum("entries__amount", filter=Q(entries__account__type=Account.Type.INCOME)),
        expense=Sum("entries__amount", filter=Q(entries__account__type=Account.Type.EXPENSE)),
    )
    closed = PeriodClose.objects.order_by("-month").values_list("month", flat=True).first()

    return YearSums(
        year=year,
        accounts=accounts,
        mapping=mapping,
        opening=_by_account(totals.filter(month__lt=start, account__type__in=balance_types)),
        closing=_by_account(totals.filter(month__lte=end, account__type__in=balance_types)),
        movements=_by_account(totals.filter(month__gte=start, month__lte=end)),
        cash_counterparts={k: v for k, v in counterparts.items() if v},
        bank_balance_opening=_sum(bank.filter(transaction__date__lt=start)),
        bank_balance_closing=_sum(bank.filter(transaction__date__lte=end)),
        nominal_opening=_sum(
            LedgerEntry.objects.filter(account__type__in=nominal_types, transaction__date__lt=start)
        ),
        nominal_closing=_sum(
            LedgerEntry.objects.filter(account__type__in=nominal_types, transaction__date__lte=end)
        ),
        allocations_to_restricted=_sum(
            in_year.filter(allocation, account__type=Account.Type.ASSET, fund__restricted=True)
        ),
        funds=funds,
        prior_period={
            "count": prior["n"] or 0,
            "income": -money(prior["income"]),
            "expense": money(prior["expense"]),
        },
        closed_through=closed,
    )


def annual_statements(year: int) -> dict:
    """The three statements of `year` with their notes and tie-outs (fundraising.statements.compute).
    Raises UnmappedAccounts while an account with a balance in the year has no statement line."""
    from ..statements.compute import build  # noqa: PLC0415 - compute imports nothing from the database

    return build(year_sums(year))


def income_by_kind(year: int) -> list[tuple[str, Decimal]] | None:
    """The year's income by the statement of activities' lines (donations, government grants, services,
    other...), as (line code, amount) for the lines with income, in the statement's order: the one
    breakdown of income by kind, for every report that shows one. None while the statements cannot be
    computed (an account with a balance in the year has no statement line)."""
    from ..statements.lines import INCOME_LINES  # noqa: PLC0415

    try:
        rows = annual_statements(year)["activity"]["rows"]
    except UnmappedAccounts:
        return None
    codes = {str(line.value) for line in INCOME_LINES}
    return [(str(row.code), row.values[2]) for row in rows if str(row.code) in codes and row.values[2]]


def statement_years() -> list[int]:
    """The years the ledger has postings in, newest first (the years whose statements can be asked for)."""
    first = LedgerMonthTotal.objects.order_by("month").values_list("month", flat=True).first()
    last = LedgerMonthTotal.objects.order_by("-month").values_list("month", flat=True).first()
    if first is None:
        return []
    return list(range(last.year, first.year - 1, -1))


__all__ = [
    "ZERO",
    "UnmappedAccounts",
    "YearSums",
    "accounts_in_year",
    "annual_statements",
    "mapping_rows",
    "statement_years",
    "unmapped_accounts",
    "year_sums",
]
