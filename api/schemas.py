"""The shapes the API answers with. Field descriptions of what open data also publishes are open data's own
(transparency.opendata's field documentation), so a field is described once for the files and the API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field, PlainSerializer, WithJsonSchema, create_model

from transparency import opendata

Day = date  # a field of LedgerEntry is called "date"

MONEY_PATTERN = r"^-?\d+\.\d{2}$"

Money = Annotated[
    Decimal,
    PlainSerializer(lambda v: f"{Decimal(v):.2f}", return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": MONEY_PATTERN, "format": "decimal", "examples": ["1250.50"]}
    ),
]
Number = Annotated[
    Decimal,
    PlainSerializer(lambda v: f"{Decimal(v).normalize():f}", return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "format": "decimal", "examples": ["12.5"]}
    ),
]


def doc(fields, name: str):
    """The open-data documentation of field `name` (a lazy translation: English or Chinese when shown)."""
    for field in fields:
        if field.name == name:
            return field.description
    raise KeyError(name)


ORG = opendata.ORGANIZATION_FIELDS
PROJECT = opendata.PROJECT_FIELDS
DONATION = opendata.DONATION_FIELDS
EXPENDITURE = opendata.EXPENDITURE_FIELDS
LEDGER = opendata.LEDGER_FIELDS
CHECKPOINT = opendata.CHECKPOINT_FIELDS


class FieldError(Schema):
    field: str = Field(description=_("The parameter that is wrong."))
    message: str = Field(description=_("What is wrong with it."))


class Problem(Schema):
    """An error, as RFC 9457 problem details (media type application/problem+json)."""

    type: str = Field(description=_("A URI naming the kind of problem; about:blank when the status says it."))
    title: str = Field(description=_("A short summary of the kind of problem."))
    status: int = Field(description=_("The HTTP status code."))
    detail: str = Field(description=_("What went wrong with this request."))
    errors: list[FieldError] = Field(
        default_factory=list, description=_("For a refused parameter: each parameter and what is wrong.")
    )


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page of a list: the items and the cursor of the next page."""
    return create_model(
        name,
        __base__=Schema,
        items=(list[item], Field(description=_("The rows of this page, in the requested order."))),
        next_cursor=(
            str | None,
            Field(
                description=_(
                    "Give it as ?cursor= (with the same filters and ordering) for the next page; null on the last page."
                )
            ),
        ),
        next=(str | None, Field(description=_("The address of the next page; null on the last page."))),
    )


# Organizations -------------------------------------------------------------------------------------------


class Organization(Schema):
    id: str = Field(description=doc(ORG, "id"))
    slug: str = Field(description=doc(ORG, "slug"))
    name: str = Field(description=doc(ORG, "name"))
    name_en: str = Field(description=doc(ORG, "name_en"))
    legal_form: str = Field(description=doc(ORG, "legal_form"))
    credit_code: str = Field(description=doc(ORG, "credit_code"))
    area_code: str = Field(description=doc(ORG, "area_code"))
    area_name: str = Field(description=doc(ORG, "area_name"))
    status: str = Field(description=doc(ORG, "status"))
    joined_on: date | None = Field(description=doc(ORG, "joined_on"))
    staff_count: int = Field(description=doc(ORG, "staff_count"))
    volunteer_count: int = Field(description=doc(ORG, "volunteer_count"))
    themes: list[str] = Field(description=_("Theme keys of its work."))
    url: str = Field(description=_("Its public page."))


class PeriodMoney(Schema):
    raised: Money = Field(description=doc(PROJECT, "donations_received"))
    allocations_in: Money = Field(description=doc(PROJECT, "allocated"))
    allocations_out: Money = Field(
        description=_("Money moved from these funds to other funds, net, in yuan.")
    )
    adjustments: Money = Field(description=_("Net-assets adjustments (normally zero), in yuan."))
    spent: Money = Field(description=doc(PROJECT, "spent"))
    closing: Money = Field(description=doc(PROJECT, "balance"))


class OrganizationDetail(Organization):
    description: str = Field(description=_("What the organization says about itself."))
    website: str = Field(description=_("Its website, if given."))
    projects: list[str] = Field(description=_("Web addresses (slugs) of its public projects."))
    money: PeriodMoney = Field(
        description=_("The money of its public projects' funds together, all time (from the ledger).")
    )


# Projects ------------------------------------------------------------------------------------------------


class Project(Schema):
    id: str = Field(description=doc(PROJECT, "id"))
    slug: str = Field(description=doc(PROJECT, "slug"))
    title: str = Field(description=doc(PROJECT, "title"))
    summary: str = Field(description=doc(PROJECT, "summary"))
    organization_id: str = Field(description=doc(PROJECT, "organization_id"))
    organization_slug: str = Field(description=_("Web address (slug) of that organization."))
    organization_name: str = Field(description=doc(PROJECT, "organization_name"))
    theme: str = Field(description=doc(PROJECT, "theme"))
    community_code: str = Field(description=doc(PROJECT, "community_code"))
    status: str = Field(description=doc(PROJECT, "status"))
    start_date: date | None = Field(description=doc(PROJECT, "start_date"))
    end_date: date | None = Field(description=doc(PROJECT, "end_date"))
    donations_received: Money = Field(description=doc(PROJECT, "donations_received"))
    allocated: Money = Field(description=doc(PROJECT, "allocated"))
    spent: Money = Field(description=doc(PROJECT, "spent"))
    balance: Money = Field(description=doc(PROJECT, "balance"))
    url: str = Field(description=_("Its public page."))


class Milestone(Schema):
    title: str
    due_date: date


class Activity(Schema):
    title: str
    description: str
    start_date: date
    end_date: date
    milestones: list[Milestone]


class BudgetLine(Schema):
    category: str = Field(description=doc(EXPENDITURE, "category"))
    description: str
    amount: Money = Field(description=_("Amount planned, in yuan."))


class Indicator(Schema):
    name: str
    unit: str
    value_type: str = Field(description=_("number, percentage or count."))
    aggregation: str = Field(description=_("cumulative (values add up) or latest (the latest value counts)."))
    baseline: Number
    target: Number
    current: Number | None = Field(description=_("Its value from the approved updates; null before any."))
    percent: int = Field(description=_("Progress from baseline to target, 0 to 100."))
    reports: int = Field(description=_("Approved updates that reported it."))


class PeopleCount(Schema):
    key: str
    count: int


class PeopleReached(Schema):
    total: int = Field(description=_("People reached, from the approved updates."))
    by_sex: list[PeopleCount]
    by_age: list[PeopleCount]
    by_group: list[PeopleCount]


class CategoryMoney(Schema):
    category: str = Field(description=doc(EXPENDITURE, "category"))
    total: Money


class FundMoney(Schema):
    donations: Money = Field(description=_("Donations into the fund, net of reversals, in yuan (CNY)."))
    allocations_in: Money = Field(description=_("Money allocated to it from other funds, net, in yuan."))
    adjustments: Money = Field(description=_("Net-assets adjustments (normally zero), in yuan."))
    money_in: Money = Field(description=_("Donations, allocations in and adjustments together."))
    spent: Money = Field(description=_("Approved expenditures, net of reversals, in yuan."))
    allocations_out: Money = Field(description=_("Money allocated from it to other funds, net, in yuan."))
    money_out: Money = Field(description=_("Spending and allocations out together."))
    disbursed: Money = Field(
        description=_("Advanced to the organization running the project (stays in the balance until spent).")
    )
    balance: Money = Field(description=doc(PROJECT, "balance"))
    spent_by_category: list[CategoryMoney]


class ProjectDetail(Project):
    problem_statement: str
    target_group: str
    objectives: str
    activities: list[Activity]
    budget_lines: list[BudgetLine]
    indicators: list[Indicator] = Field(description=_("Indicators against targets."))
    people_reached: PeopleReached
    approved_updates: int = Field(description=_("Approved progress updates that count."))
    fund: str | None = Field(description=_("Code of the project's fund; null before it has one."))
    money: FundMoney | None = Field(description=_("The project fund's money, as its page shows it."))


# Progress updates ----------------------------------------------------------------------------------------


class Photo(Schema):
    url: str = Field(description=_("Address of the photo (EXIF removed)."))
    caption: str


class IndicatorValue(Schema):
    indicator: str
    unit: str
    value: Number


class ProgressUpdate(Schema):
    id: int
    project: str = Field(description=_("Web address (slug) of the project."))
    period_start: date
    period_end: date
    narrative: str = Field(description=_("What happened in the period."))
    volunteer_hours: Number
    people_reached: int
    values: list[IndicatorValue]
    photos: list[Photo]


# Campaigns and funds -------------------------------------------------------------------------------------


class Campaign(Schema):
    slug: str
    title: str
    summary: str
    goal: Money = Field(description=_("Goal in yuan."))
    starts_on: date
    ends_on: date
    fund: str | None = Field(
        description=_("Code of the fund it raises for; null for a project not yet published.")
    )
    project: str | None = Field(description=_("The project it raises for, if any."))
    raised: Money = Field(
        description=_("The public's gifts and the partner's matching gifts, net of reversals, in yuan.")
    )
    public_raised: Money = Field(description=_("The public's gifts only, net of reversals, in yuan."))
    donations: int = Field(description=_("Gifts from the public still recorded."))
    url: str


class CampaignProgress(Schema):
    goal: Money = Field(description=_("Goal in yuan."))
    raised: Money = Field(
        description=_("The public's gifts through the campaign, net of reversals, in yuan.")
    )
    matching_pledged: Money = Field(
        description=_("Matching the partner pledged by its ratio, up to its cap.")
    )
    matching_recorded: Money = Field(description=_("Matching gifts the partner has paid, in yuan."))
    matching_owed: Money = Field(description=_("Matching pledged but not paid yet, in yuan."))
    total: Money = Field(description=_("Raised and matching pledged together: the progress toward the goal."))
    total_recorded: Money = Field(description=_("Raised and matching paid together: the money in the books."))
    percent: int = Field(description=_("Share of the goal reached, 0 to 100."))
    donors: int = Field(description=_("Gifts from the public still recorded."))


class CampaignDetail(Campaign):
    story: str
    matching_ratio: Number
    matching_cap: Money
    images: list[Photo]
    progress: CampaignProgress


class Fund(Schema):
    code: str = Field(description=doc(LEDGER, "fund"))
    name: str
    kind: str = Field(description=doc(DONATION, "fund_kind"))
    project: str | None
    area_code: str | None = Field(description=_("Division code of a community fund's community."))
    url: str | None = Field(description=_("The public page that shows the fund."))


class FundDetail(Fund):
    money: FundMoney


# Donations, expenditures, the ledger ---------------------------------------------------------------------


class Donation(Schema):
    id: str = Field(description=doc(DONATION, "id"))
    received_on: date = Field(description=doc(DONATION, "received_on"))
    amount: Money = Field(description=doc(DONATION, "amount"))
    channel: str = Field(description=doc(DONATION, "channel"))
    funder_type: str = Field(description=doc(DONATION, "funder_type"))
    donor: str = Field(description=doc(DONATION, "donor"))
    fund: str = Field(description=doc(DONATION, "fund"))
    fund_code: str = Field(description=doc(LEDGER, "fund"))
    fund_kind: str = Field(description=doc(DONATION, "fund_kind"))
    project_slug: str = Field(description=doc(DONATION, "project_slug"))
    campaign_slug: str = Field(description=doc(DONATION, "campaign_slug"))
    matching: bool = Field(description=doc(DONATION, "matching"))


class Expenditure(Schema):
    id: str = Field(description=doc(EXPENDITURE, "id"))
    spent_on: date = Field(description=doc(EXPENDITURE, "spent_on"))
    posted_on: date | None = Field(description=doc(EXPENDITURE, "posted_on"))
    amount: Money = Field(description=doc(EXPENDITURE, "amount"))
    project_slug: str = Field(description=doc(EXPENDITURE, "project_slug"))
    organization_id: str = Field(description=doc(EXPENDITURE, "organization_id"))
    category: str = Field(description=doc(EXPENDITURE, "category"))
    classification: str = Field(description=doc(EXPENDITURE, "classification"))
    description: str = Field(description=doc(EXPENDITURE, "description"))


class LedgerMonthTotal(Schema):
    month: date = Field(description=_("The month (its first day)."))
    account: str = Field(description=doc(LEDGER, "account"))
    account_type: str = Field(description=doc(LEDGER, "account_type"))
    fund: str = Field(description=doc(LEDGER, "fund"))
    amount: Money = Field(
        description=_("Signed sum of the month's entries in yuan: debit positive, credit negative.")
    )
    entries: int = Field(description=_("Number of entries summed."))


class LedgerEntry(Schema):
    seq: int = Field(description=doc(LEDGER, "seq"))
    transaction: int = Field(description=doc(LEDGER, "transaction"))
    date: Day = Field(description=doc(LEDGER, "date"))
    occurred_on: Day | None = Field(description=doc(LEDGER, "occurred_on"))
    kind: str = Field(description=doc(LEDGER, "kind"))
    account: str = Field(description=doc(LEDGER, "account"))
    account_type: str = Field(description=doc(LEDGER, "account_type"))
    fund: str = Field(description=doc(LEDGER, "fund"))
    amount: Money = Field(description=doc(LEDGER, "amount"))
    hash: str = Field(description=doc(LEDGER, "hash"))


class Checkpoint(Schema):
    code: str = Field(description=doc(CHECKPOINT, "code"))
    kind: str = Field(description=doc(CHECKPOINT, "kind"))
    taken_on: date = Field(description=doc(CHECKPOINT, "taken_on"))
    month: date | None = Field(description=doc(CHECKPOINT, "month"))
    seq: int = Field(description=doc(CHECKPOINT, "seq"))
    hash: str = Field(description=doc(CHECKPOINT, "hash"))
    total: Money = Field(description=doc(CHECKPOINT, "total"))
    balances: dict[str, Money] = Field(
        description=_("Each fund's balance at that entry, by fund code (empty funds left out).")
    )


class ChannelMoney(Schema):
    channel: str
    total: Money


class Unpublished(Schema):
    count: int = Field(description=_("Projects not yet published that have money in the books."))
    raised: Money
    allocated: Money
    spent: Money
    balance: Money


class Programme(Schema):
    period: str | None = Field(
        description=_("The period asked for (2025, 2025-Q1 or 2025-03); null for all time.")
    )
    raised: Money = Field(description=_("Cash donations, net of reversals, in yuan."))
    spent: Money = Field(description=_("Approved expenditures, net of reversals, in yuan."))
    balance: Money = Field(
        description=_("Bank and advances of every fund at the end of the period, in yuan.")
    )
    adjustments: Money = Field(description=_("Net-assets adjustments (normally zero), in yuan."))
    raised_by_channel: list[ChannelMoney]
    spent_by_category: list[CategoryMoney]
    unpublished: Unpublished = Field(
        description=_("The projects not yet published, as one line without names.")
    )


# Reports, disclosures, trainings -------------------------------------------------------------------------


class Report(Schema):
    code: str = Field(description=_("Verification code printed on the PDF."))
    title: str
    scope: str = Field(description=_("programme or project."))
    project: str | None
    period_kind: str = Field(description=_("month, quarter or year."))
    period_start: date
    period_end: date
    language: str
    sha256: str = Field(description=_("SHA-256 of the PDF file: check a downloaded copy against it."))
    url: str = Field(description=_("The report's public page, with its PDF."))


class Correction(Schema):
    published_at: datetime
    note: str


class Disclosure(Schema):
    id: int
    kind: str = Field(description=_("progress, final or annual."))
    project: str | None
    campaign: str | None
    period_start: date
    period_end: date
    due_on: date
    published_at: datetime | None
    narrative: str
    leftover_explanation: str
    funds_received: Money = Field(description=_("Funds received in the period, in yuan, as published."))
    funds_spent: Money = Field(description=_("Funds spent in the period, in yuan, as published."))
    balance: Money = Field(description=_("Balance at the end of the period, in yuan, as published."))
    corrections: list[Correction]


class Cohort(Schema):
    id: int
    name: str
    city_code: str
    city_name: str
    starts_on: date
    ends_on: date
    organizations: int = Field(description=_("Organizations taking part."))
    participants_certified: int = Field(description=_("Participants holding a valid certificate."))
