"""Reads of money records, scoped to the caller; every total is computed by the database."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from .ledger import BALANCE_FILTER
from .models import (
    Account,
    Allocation,
    Campaign,
    Disbursement,
    Donation,
    Expenditure,
    Fund,
    Funder,
    InKindGift,
    LedgerEntry,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum(qs, field="amount") -> Decimal:
    return qs.aggregate(s=Coalesce(Sum(field), Value(ZERO), output_field=MONEY))["s"]


def min_charitable_ratio() -> Decimal:
    return Decimal(str(getattr(settings, "FUNDRAISING_MIN_CHARITABLE_RATIO", "0.70")))


def max_management_ratio() -> Decimal:
    return Decimal(str(getattr(settings, "FUNDRAISING_MAX_MANAGEMENT_RATIO", "0.10")))


# Campaigns ----------------------------------------------------------------------------------------------


def public_campaigns() -> QuerySet[Campaign]:
    raised = (
        Donation.objects.filter(campaign=OuterRef("pk"), status=Donation.Status.RECORDED)
        .values("campaign")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return (
        Campaign.objects.filter(published=True)
        .select_related("fund")
        .prefetch_related("images")
        .annotate(raised=Coalesce(Subquery(raised, output_field=MONEY), Value(ZERO), output_field=MONEY))
        .order_by("-starts_on")
    )


def public_campaign(slug: str) -> Campaign | None:
    return (
        Campaign.objects.filter(published=True, slug=slug)
        .select_related("fund", "fund__project", "matching_partner")
        .prefetch_related("images")
        .first()
    )


def campaign_progress(campaign: Campaign) -> dict:
    """Raised so far, the partner's matching (pledged by the ratio up to the cap, and recorded), the total
    toward the goal and the percentage."""
    donations = Donation.objects.filter(campaign=campaign, status=Donation.Status.RECORDED)
    totals = donations.aggregate(
        raised=Coalesce(Sum("amount", filter=Q(is_matching=False)), Value(ZERO), output_field=MONEY),
        matched=Coalesce(Sum("amount", filter=Q(is_matching=True)), Value(ZERO), output_field=MONEY),
        donors=Count("pk", filter=Q(is_matching=False)),
    )
    raised, matched = totals["raised"], totals["matched"]
    pledged = ZERO
    if campaign.matching_partner_id and campaign.matching_ratio > 0:
        pledged = min((raised * campaign.matching_ratio).quantize(Decimal("0.01")), campaign.matching_cap)
    total = raised + max(matched, pledged)
    percent = int(min(100, total * 100 / campaign.goal)) if campaign.goal else 0
    return {
        "raised": raised,
        "matching_pledged": pledged,
        "matching_recorded": matched,
        "matching_owed": max(ZERO, pledged - matched),
        "total": total,
        "percent": percent,
        "donors": totals["donors"],
        "goal": campaign.goal,
    }


def campaign_donations(campaign: Campaign, limit: int = 100) -> QuerySet[Donation]:
    return (
        Donation.objects.filter(campaign=campaign, status=Donation.Status.RECORDED)
        .select_related("funder")
        .order_by("-received_on", "-pk")[:limit]
    )


# Traceability ------------------------------------------------------------------------------------------


def project_fund(project) -> Fund | None:
    return Fund.objects.filter(project=project).first()


def fund_money(fund: Fund) -> dict:
    """Money in (by channel, by funder type), allocations in and out, money out (by budget category and
    itemised: dates and payee organizations, never invoices or private payees), in-kind kept apart."""
    donations = Donation.objects.filter(fund=fund, status=Donation.Status.RECORDED)
    by_channel = list(
        donations.values("channel__name", "channel__kind").annotate(total=Sum("amount")).order_by("-total")
    )
    kinds = dict(Funder.Kind.choices)
    by_funder_kind = [
        {"kind": kinds.get(row["funder__kind"], None), "total": row["total"]}
        for row in donations.values("funder__kind").annotate(total=Sum("amount")).order_by("-total")
    ]
    allocations_in = Allocation.objects.filter(to_fund=fund).select_related("from_fund")
    allocations_out = Allocation.objects.filter(from_fund=fund).select_related("to_fund", "to_fund__project")
    spent = Expenditure.objects.filter(
        project_id=fund.project_id, status=Expenditure.Status.APPROVED
    ).select_related("budget_line", "organization")
    from projects.models import BudgetLine  # noqa: PLC0415 - the category labels

    categories = dict(BudgetLine.Category.choices)
    by_category = [
        {
            "category": categories.get(row["budget_line__category"], row["budget_line__category"]),
            "total": row["total"],
        }
        for row in spent.values("budget_line__category").annotate(total=Sum("amount")).order_by("-total")
    ]
    in_kind = InKindGift.objects.filter(fund=fund)
    return {
        "fund": fund,
        "donations_total": _sum(donations),
        "by_channel": by_channel,
        "by_funder_kind": by_funder_kind,
        "allocations_in": list(allocations_in),
        "allocations_in_total": _sum(allocations_in),
        "allocations_out": list(allocations_out),
        "allocations_out_total": _sum(allocations_out),
        "spent": list(spent.order_by("-spent_on", "-pk")),
        "spent_total": _sum(spent),
        "by_category": by_category,
        "disbursed_total": _sum(Disbursement.objects.filter(fund=fund)),
        "in_kind": list(in_kind),
        "in_kind_total": _sum(in_kind, "value"),
        "balance": fund.balance,
    }


def donation_lookup(receipt_number: str, amount: Decimal) -> Donation | None:
    """A donation by its receipt number and exact amount (both are needed: a receipt number alone does not
    reveal a gift)."""
    return (
        Donation.objects.filter(receipt_number=receipt_number.strip(), amount=amount)
        .select_related("fund", "fund__project", "channel", "campaign")
        .first()
    )


# Organizations ------------------------------------------------------------------------------------------


def organization_expenditures(organization) -> QuerySet[Expenditure]:
    return (
        Expenditure.objects.filter(organization=organization)
        .select_related("project", "budget_line", "decided_by")
        .order_by("-spent_on", "-pk")
    )


def organization_expenditure(organization, pk) -> Expenditure | None:
    return organization_expenditures(organization).filter(pk=pk).first()


def organization_disbursements(organization) -> QuerySet[Disbursement]:
    return (
        Disbursement.objects.filter(organization=organization).select_related("project").order_by("-paid_on")
    )


def organization_project_funds(organization) -> QuerySet[Fund]:
    spent = (
        Expenditure.objects.filter(project=OuterRef("project"), status=Expenditure.Status.APPROVED)
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    disbursed = (
        Disbursement.objects.filter(fund=OuterRef("pk")).values("fund").annotate(s=Sum("amount")).values("s")
    )
    return (
        Fund.objects.filter(project__organization=organization)
        .select_related("project")
        .annotate(
            spent=Coalesce(Subquery(spent, output_field=MONEY), Value(ZERO), output_field=MONEY),
            disbursed=Coalesce(Subquery(disbursed, output_field=MONEY), Value(ZERO), output_field=MONEY),
        )
        .order_by("name")
    )


# Staff dashboard ----------------------------------------------------------------------------------------


def pending_expenditures() -> QuerySet[Expenditure]:
    return (
        Expenditure.objects.filter(status=Expenditure.Status.SUBMITTED)
        .select_related("project", "budget_line", "organization", "submitted_by")
        .order_by("submitted_at")
    )


def _income(start: date, end: date) -> Decimal:
    """Cash income (net of reversals) posted between the dates, from the ledger."""
    qs = LedgerEntry.objects.filter(
        account__type=Account.Type.INCOME,
        account__in_kind=False,
        transaction__date__gte=start,
        transaction__date__lt=end,
    )
    return -_sum(qs)


def _expense(start: date, end: date, classification: str | None = None) -> Decimal:
    qs = LedgerEntry.objects.filter(
        account__type=Account.Type.EXPENSE,
        account__in_kind=False,
        transaction__date__gte=start,
        transaction__date__lt=end,
    )
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


def dashboard(year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    donations = Donation.objects.filter(status=Donation.Status.RECORDED)
    kinds = dict(Funder.Kind.choices)
    by_channel = list(donations.values("channel__name").annotate(total=Sum("amount")).order_by("-total"))
    by_funder_kind = [
        {"label": kinds.get(row["funder__kind"], None), "total": row["total"]}
        for row in donations.values("funder__kind").annotate(total=Sum("amount")).order_by("-total")
    ]
    by_month = list(
        donations.filter(received_on__year=year)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    from projects.models import BudgetLine  # noqa: PLC0415 - category labels

    categories = dict(BudgetLine.Category.choices)
    spent_rows = (
        LedgerEntry.objects.filter(account__type=Account.Type.EXPENSE, account__in_kind=False)
        .values("account__category", "account__classification")
        .annotate(total=Sum("amount"))
        .order_by("account__category", "account__classification")
    )
    classifications = dict(Account.Classification.choices)
    spent_by_category = [
        {
            "label": categories.get(row["account__category"], row["account__category"]),
            "classification": classifications.get(row["account__classification"], ""),
            "total": row["total"],
        }
        for row in spent_rows
        if row["total"]
    ]
    funds = list(Fund.objects.select_related("project").order_by("kind", "name"))
    fund_totals = Fund.objects.aggregate(
        restricted_total=Coalesce(Sum("balance", filter=Q(restricted=True)), Value(ZERO), output_field=MONEY),
        unrestricted_total=Coalesce(
            Sum("balance", filter=Q(restricted=False)), Value(ZERO), output_field=MONEY
        ),
    )
    in_kind = list(
        InKindGift.objects.values("kind").annotate(total=Sum("value"), hours=Sum("hours")).order_by("kind")
    )
    in_kind_labels = dict(InKindGift.Kind.choices)
    for row in in_kind:
        row["label"] = in_kind_labels.get(row["kind"], row["kind"])
    return {
        "year": year,
        "raised_total": _sum(donations),
        "by_channel": by_channel,
        "by_funder_kind": by_funder_kind,
        "by_month": by_month,
        "spent_by_category": spent_by_category,
        "spent_total": _sum(
            LedgerEntry.objects.filter(account__type=Account.Type.EXPENSE, account__in_kind=False)
        ),
        "funds": funds,
        "fund_totals": fund_totals,
        "cash_total": _sum(LedgerEntry.objects.filter(BALANCE_FILTER)),
        "pending": list(pending_expenditures()[:50]),
        "budget_vs_actual": list(budget_vs_actual()),
        "ratios": ratios(year),
        "in_kind": in_kind,
        "in_kind_total": _sum(InKindGift.objects.all(), "value"),
    }


def budget_vs_actual() -> QuerySet[Fund]:
    from projects.models import BudgetLine  # noqa: PLC0415 - budget totals per project

    budget = (
        BudgetLine.objects.filter(project=OuterRef("project"))
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    spent = (
        Expenditure.objects.filter(project=OuterRef("project"), status=Expenditure.Status.APPROVED)
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return (
        Fund.objects.filter(kind=Fund.Kind.PROJECT)
        .select_related("project", "project__organization")
        .annotate(
            budget=Coalesce(Subquery(budget, output_field=MONEY), Value(ZERO), output_field=MONEY),
            spent=Coalesce(Subquery(spent, output_field=MONEY), Value(ZERO), output_field=MONEY),
        )
        .order_by("name")
    )


# Organization data export -------------------------------------------------------------------------------


def organization_export_tables(organization) -> dict[str, list[dict]]:
    """The money rows of one organization for its data export: donations designated to its projects'
    funds (the donor's name only when the donor agreed to show it; never contact details, notes or
    receipt numbers), disbursements paid to it and its expenditures. A fixed number of queries."""
    donations = (
        Donation.objects.filter(fund__project__organization=organization)
        .select_related("funder", "channel", "campaign", "fund__project")
        .order_by("received_on", "pk")
    )
    return {
        "donations": [
            {
                "id": d.pk,
                "project_id": d.fund.project_id,
                "fund": d.fund.name,
                "received_on": d.received_on,
                "amount": d.amount,
                "channel": d.channel.name,
                "campaign": d.campaign.title if d.campaign_id else "",
                "matching_gift": d.is_matching,
                "status": d.status,
                "donor": d.public_name,
            }
            for d in donations
        ],
        "disbursements": list(
            Disbursement.objects.filter(organization=organization)
            .order_by("paid_on", "pk")
            .values("id", "project_id", "project__title", "tranche", "amount", "paid_on", "note")
        ),
        "expenditures": list(
            Expenditure.objects.filter(organization=organization)
            .order_by("spent_on", "pk")
            .values(
                "id",
                "project_id",
                "budget_line_id",
                "budget_line__description",
                "description",
                "payee",
                "amount",
                "spent_on",
                "classification",
                "paid_from",
                "invoice_number",
                "document",
                "status",
                "submitted_at",
                "decided_at",
                "decision_note",
            )
        ),
    }
