"""The staff finance dashboard and the legal ratios: every figure from the ledger through `books`."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from ..models import Account, Expenditure, Fund, Funder, InKindGift
from .books import (
    MONEY,
    ZERO,
    _category_labels,
    _sum,
    cash_fund_months,
    cash_month_totals,
    money,
    raised_by_channel,
)


def min_charitable_ratio() -> Decimal:
    return Decimal(str(getattr(settings, "FUNDRAISING_MIN_CHARITABLE_RATIO", "0.70")))


def max_management_ratio() -> Decimal:
    return Decimal(str(getattr(settings, "FUNDRAISING_MAX_MANAGEMENT_RATIO", "0.10")))


def pending_expenditures() -> QuerySet[Expenditure]:
    return (
        Expenditure.objects.filter(status=Expenditure.Status.SUBMITTED)
        .select_related("project", "budget_line", "organization", "submitted_by")
        .order_by("submitted_at")
    )


def _income(start: date, end: date) -> Decimal:
    """Cash income (net of reversals) posted between the dates (end excluded), from the ledger."""
    qs = cash_month_totals().filter(account__type=Account.Type.INCOME, month__gte=start, month__lt=end)
    return -_sum(qs)


def _expense(start: date, end: date, classification: str | None = None) -> Decimal:
    qs = cash_month_totals().filter(account__type=Account.Type.EXPENSE, month__gte=start, month__lt=end)
    if classification:
        qs = qs.filter(account__classification=classification)
    return _sum(qs)


def ratios(year: int) -> dict:
    """The year's charitable-spending ratio (programme spending over the prior year's income) and
    management-cost ratio (management over total spending), against the limits in settings."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    prior_income = _income(date(year - 1, 1, 1), start)
    programme = _expense(start, end, Account.Classification.PROGRAMME)
    management = _expense(start, end, Account.Classification.MANAGEMENT)
    total = _expense(start, end)
    charitable = (programme / prior_income) if prior_income else None
    management_ratio = (management / total) if total else None
    return {
        "year": year,
        "prior_income": prior_income,
        "programme": programme,
        "management": management,
        "total_expense": total,
        "charitable_ratio": charitable,
        "management_ratio": management_ratio,
        "min_charitable": min_charitable_ratio(),
        "max_management": max_management_ratio(),
        "charitable_ok": charitable is None or charitable >= min_charitable_ratio(),
        "management_ok": management_ratio is None or management_ratio <= max_management_ratio(),
    }


def spending_by_classification(year: int) -> dict:
    """The year's spending (expenses net of reversals, ledger date) by classification (programme, management,
    fundraising: the keys of Account.Classification) and in all (`total`, the one total_expense of `ratios`)."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    rows = {value: _expense(start, end, value) for value in Account.Classification.values}
    return {**rows, "total": _expense(start, end)}


def dashboard(year: int | None = None) -> dict:
    """The staff finance dashboard. All-time figures (raised, spent, by channel, by funder type, by
    category, fund balances) and the year's months, every one from the ledger with the public definitions
    (books): raised is cash income net of reversals, spent is expenses net of reversals dated when the
    money was spent, balances are bank + advances."""
    year = year or timezone.localdate().year
    income = cash_month_totals().filter(account__type=Account.Type.INCOME)
    expense = cash_month_totals().filter(account__type=Account.Type.EXPENSE)
    by_channel = [{"channel__name": name, "total": total} for name, total in raised_by_channel(income)]
    kinds = dict(Funder.Kind.choices)
    by_funder_kind = [
        {"label": kinds.get(row["funder_kind"]), "total": -money(row["s"])}
        for row in cash_fund_months()  # each fund's monthly figures keep the kind of funder
        .filter(account__type=Account.Type.INCOME)
        .values("funder_kind")
        .annotate(s=Sum("amount"))
        .order_by("s", "funder_kind")
        if money(row["s"])
    ]
    by_month = [
        {"month": row["m"].date() if hasattr(row["m"], "date") else row["m"], "total": -money(row["s"])}
        for row in income.filter(month__year=year)
        .annotate(m=TruncMonth("month"))
        .values("m")
        .annotate(s=Sum("amount"))
        .order_by("m")
        if money(row["s"])
    ]
    categories = _category_labels()
    classifications = dict(Account.Classification.choices)
    spent_by_category = [
        {
            "label": categories.get(row["account__category"], row["account__category"]),
            "classification": classifications.get(row["account__classification"], ""),
            "total": money(row["s"]),
        }
        for row in expense.values("account__category", "account__classification")
        .annotate(s=Sum("amount"))
        .order_by("account__category", "account__classification")
        if money(row["s"])
    ]
    funds = list(fund_balances().select_related("project").order_by("kind", "name"))
    fund_totals = {
        "restricted_total": sum((f.ledger_balance for f in funds if f.restricted), ZERO),
        "unrestricted_total": sum((f.ledger_balance for f in funds if not f.restricted), ZERO),
    }
    in_kind = list(
        InKindGift.objects.values("kind").annotate(total=Sum("value"), hours=Sum("hours")).order_by("kind")
    )
    in_kind_labels = dict(InKindGift.Kind.choices)
    for row in in_kind:
        row["label"] = in_kind_labels.get(row["kind"], row["kind"])
    return {
        "year": year,
        "raised_total": -_sum(income),
        "by_channel": by_channel,
        "by_funder_kind": by_funder_kind,
        "by_month": by_month,
        "spent_by_category": spent_by_category,
        "spent_total": _sum(expense),
        "funds": funds,
        "fund_totals": fund_totals,
        "cash_total": _sum(cash_month_totals().filter(account__type=Account.Type.ASSET)),
        "pending": list(pending_expenditures()[:50]),
        "budget_vs_actual": list(budget_vs_actual()),
        "ratios": ratios(year),
        "in_kind": in_kind,
        "in_kind_total": _sum(InKindGift.objects.all(), "value"),
        "community_in_kind": _community_in_kind(year),
    }


def _community_in_kind(year: int) -> dict:
    """Non-cash contributions the organizations record in their portal for the year: volunteer team hours
    valued at the staff-set rate, and partners' resources at their stated value. Never in a cash total."""
    from datetime import date  # noqa: PLC0415

    from organizations import selectors as org_selectors  # noqa: PLC0415

    start, end = date(year, 1, 1), date(year, 12, 31)
    hours = org_selectors.volunteer_hours_summary(start=start, end=end)
    resources = org_selectors.partner_resources_value(start=start, end=end)
    return {
        "hours": hours["hours"],
        "hours_value": hours["value"],
        "resources_count": resources["count"],
        "resources_value": resources["value"],
    }


def _fund_type_sum(account_type: str, *, sign: int = 1):
    qs = (
        cash_month_totals()
        .filter(fund=OuterRef("pk"), account__type=account_type)
        .order_by()
        .values("fund")
        .annotate(s=Sum("amount") * sign)
        .values("s")[:1]
    )
    return Coalesce(Subquery(qs, output_field=MONEY), Value(ZERO, output_field=MONEY))


def fund_balances() -> QuerySet[Fund]:
    """Every fund annotated with `ledger_balance`: bank + advances from the ledger's monthly totals (the
    public definition of a balance; verify_ledger checks the running `balance` kept on the row against
    the same sum)."""
    return Fund.objects.annotate(ledger_balance=_fund_type_sum(Account.Type.ASSET))


def budget_vs_actual() -> QuerySet[Fund]:
    """Project funds with the project's `budget` (its budget lines), `spent` (expenses posted to the fund,
    net of reversals) and `ledger_balance` (bank + advances), from the ledger's monthly totals."""
    from projects.models import BudgetLine  # noqa: PLC0415 - budget totals per project

    budget = (
        BudgetLine.objects.filter(project=OuterRef("project"))
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return (
        Fund.objects.filter(kind=Fund.Kind.PROJECT)
        .select_related("project", "project__organization")
        .annotate(
            budget=Coalesce(Subquery(budget, output_field=MONEY), Value(ZERO), output_field=MONEY),
            spent=_fund_type_sum(Account.Type.EXPENSE),
            ledger_balance=_fund_type_sum(Account.Type.ASSET),
        )
        .order_by("name")
    )
