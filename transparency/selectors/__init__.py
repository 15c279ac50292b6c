"""Reads for the public transparency pages, reports and open data: only what is approved for publication.

Every money figure comes from the books: fundraising.selectors (the one definition of raised, allocated,
spent and balance, reading the ledger and its monthly totals). This package composes them with people,
projects and trainings for the pages: `cache` (the figures' cache), `common` (public objects),
`dashboard` (home), `flow` (the fund-flow picture), `directories` (organizations, projects, campaigns),
`reports` (published reports and their contents), `open_data` (the datasets). The names below keep
`from transparency import selectors` working.
"""

from fundraising.selectors import cash_entries, cash_month_totals, money_source
from projects.models import Project

from .cache import (
    DASHBOARD_CACHE_SECONDS,
    FIGURE_TOPICS,
    cached,
    figures_changed,
    figures_stamp,
    figures_version,
)
from .common import effective_updates_all, public_project, public_projects, valid_certificates
from .dashboard import UNPUBLISHED, city_areas, programme_figures, snapshot_figures, theme_names
from .directories import (
    campaign_directory,
    campaigns_with_money,
    cities,
    organization_directory,
    organization_themes,
    organization_training,
    project_directory,
    project_money,
    public_campaign,
    public_campaigns,
    public_organization,
    with_money,
)
from .flow import FUNDER_KIND_ANONYMOUS, UNPUBLISHED_NODE, FundFlow, fund_flow
from .open_data import (
    iati_projects,
    last_changed,
    open_donations,
    open_expenditures,
    open_grants,
    open_ledger,
    open_organizations,
    open_projects,
    open_unpublished,
    open_unpublished_donations,
    open_unpublished_expenditures,
)
from .reports import (
    DONATION_LISTING_THRESHOLD,
    published_answers,
    published_disclosures,
    published_reports,
    report_by_code,
    report_content,
    reports_for_organization,
    reports_for_staff,
)

__all__ = [
    "DASHBOARD_CACHE_SECONDS",
    "DONATION_LISTING_THRESHOLD",
    "FIGURE_TOPICS",
    "FUNDER_KIND_ANONYMOUS",
    "UNPUBLISHED",
    "UNPUBLISHED_NODE",
    "FundFlow",
    "Project",
    "cached",
    "campaign_directory",
    "campaigns_with_money",
    "cash_entries",
    "cash_month_totals",
    "cities",
    "city_areas",
    "effective_updates_all",
    "figures_changed",
    "figures_stamp",
    "figures_version",
    "fund_flow",
    "iati_projects",
    "last_changed",
    "money_source",
    "open_donations",
    "open_expenditures",
    "open_grants",
    "open_ledger",
    "open_organizations",
    "open_projects",
    "open_unpublished",
    "open_unpublished_donations",
    "open_unpublished_expenditures",
    "organization_directory",
    "organization_training",
    "programme_figures",
    "snapshot_figures",
    "project_directory",
    "project_money",
    "public_campaign",
    "public_campaigns",
    "organization_themes",
    "public_organization",
    "public_project",
    "public_projects",
    "published_answers",
    "published_disclosures",
    "published_reports",
    "report_by_code",
    "report_content",
    "reports_for_organization",
    "reports_for_staff",
    "theme_names",
    "valid_certificates",
    "with_money",
]
