"""Reads of money records, scoped to the caller; every total is computed by the database.

`books` holds the one definition of every public money figure (raised, allocated, spent, balance, per fund,
project, campaign, channel, funder type, category and period), read from the ledger and its monthly totals;
every page, chart, PDF, open-data file and the staff dashboard call it. The other modules hold campaign
reads, the staff dashboard and single records. `from fundraising import selectors` keeps working: the
names below are re-exported.
"""

from .books import (
    CENT,
    FUNDER_KIND_ANONYMOUS,
    MONEY,
    ZERO,
    cash_entries,
    cash_month_totals,
    fund_money,
    fund_totals,
    funder_kind_expr,
    funds_with_money,
    in_period,
    money,
    money_source,
    period_rows,
    public_fund_q,
    unpublished_fund_q,
    whole_months,
    with_project_money,
)
from .campaigns import (
    campaign_donations,
    campaign_income,
    campaign_progress,
    campaign_raised_subquery,
    campaigns_with_money,
    public_campaign,
    public_campaigns,
)
from .records import (
    donation_lookup,
    organization_disbursements,
    organization_expenditure,
    organization_expenditures,
    organization_export_tables,
    organization_project_funds,
    project_fund,
)
from .staff import (
    budget_vs_actual,
    dashboard,
    fund_balances,
    max_management_ratio,
    min_charitable_ratio,
    pending_expenditures,
    ratios,
)

__all__ = [
    "CENT",
    "FUNDER_KIND_ANONYMOUS",
    "MONEY",
    "ZERO",
    "budget_vs_actual",
    "campaign_donations",
    "campaign_income",
    "campaign_progress",
    "campaign_raised_subquery",
    "campaigns_with_money",
    "cash_entries",
    "cash_month_totals",
    "dashboard",
    "donation_lookup",
    "fund_balances",
    "fund_money",
    "fund_totals",
    "funder_kind_expr",
    "funds_with_money",
    "in_period",
    "max_management_ratio",
    "min_charitable_ratio",
    "money",
    "money_source",
    "organization_disbursements",
    "organization_expenditure",
    "organization_expenditures",
    "organization_export_tables",
    "organization_project_funds",
    "pending_expenditures",
    "period_rows",
    "project_fund",
    "public_campaign",
    "public_campaigns",
    "public_fund_q",
    "ratios",
    "unpublished_fund_q",
    "whole_months",
    "with_project_money",
]
