"""The query parameters each list takes: filters people need (theme, city, status, period, organization,
project), an ordering on an indexed key, and the cursor and size of a page. Anything else is refused with
a 400 problem naming the parameter."""

from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from . import pagination

SLUG = r"^[-a-zA-Z0-9_]+$"
CODE = r"^[-a-zA-Z0-9_]+$"
PERIOD = r"^(20\d\d|2100)(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


def _slug(description):
    return Field(None, pattern=SLUG, max_length=80, description=description)


class Page(Schema):
    cursor: str | None = Field(
        None,
        max_length=500,
        description=_("The next_cursor of the previous page (opaque); leave out for the first page."),
    )
    limit: int = Field(
        pagination.DEFAULT_LIMIT,
        ge=1,
        le=pagination.MAX_LIMIT,
        description=_("Rows per page, 1 to 100."),
    )


class Period(Schema):
    period: str | None = Field(
        None,
        pattern=PERIOD,
        description=_("A year (2025), a quarter (2025-Q1) or a month (2025-03)."),
    )


THEME = _("Theme key (older_people, children, ...).")
CITY = Field(
    None,
    pattern=r"^\d{4,12}$",
    description=_("Division code of a city (e.g. 150200): rows in that city."),
)
ORGANIZATION = _("Web address (slug) of an organization: its rows only.")
PROJECT = _("Web address (slug) of a project: its rows only.")


class OrganizationParams(Page):
    theme: str | None = _slug(THEME)
    city: str | None = CITY
    status: Literal["active", "graduated"] | None = Field(None, description=_("active or graduated."))
    ordering: Literal["id", "-id"] = Field("id", description=_("Order of the rows."))


class ProjectParams(Page, Period):
    theme: str | None = _slug(THEME)
    city: str | None = CITY
    status: Literal["approved", "active", "completed", "closed"] | None = Field(
        None, description=_("approved, active, completed or closed.")
    )
    organization: str | None = _slug(ORGANIZATION)
    ordering: Literal["id", "-id"] = Field("id", description=_("Order of the rows."))


class UpdateParams(Page, Period):
    project: str | None = _slug(PROJECT)
    organization: str | None = _slug(ORGANIZATION)
    theme: str | None = _slug(THEME)
    city: str | None = CITY
    ordering: Literal["id", "-id"] = Field("id", description=_("Order of the rows."))


class CampaignParams(Page, Period):
    project: str | None = _slug(PROJECT)
    state: Literal["open", "ended"] | None = Field(None, description=_("open (running today) or ended."))
    ordering: Literal["id", "-id"] = Field("id", description=_("Order of the rows."))


class FundParams(Page):
    kind: Literal["general", "community", "project"] | None = Field(
        None, description=_("general, community or project.")
    )
    ordering: Literal["id", "-id"] = Field("id", description=_("Order of the rows."))


DONATION_ORDERINGS = pagination.orderings("received_on")
EXPENDITURE_ORDERINGS = pagination.orderings("spent_on")


class DonationParams(Page, Period):
    project: str | None = _slug(PROJECT)
    organization: str | None = _slug(ORGANIZATION)
    campaign: str | None = _slug(_("Web address (slug) of a campaign: its donations only."))
    fund: str | None = Field(
        None, pattern=CODE, max_length=80, description=_("Fund code: its donations only.")
    )
    ordering: Literal["id", "-id", "received_on", "-received_on"] = Field(
        "id", description=_("Order of the rows: by number or by date received (- for newest first).")
    )


class ExpenditureParams(Page, Period):
    project: str | None = _slug(PROJECT)
    organization: str | None = _slug(ORGANIZATION)
    theme: str | None = _slug(THEME)
    city: str | None = CITY
    category: (
        Literal["personnel", "activities", "materials", "equipment", "venue", "travel", "management", "other"]
        | None
    ) = Field(None, description=_("Budget category."))
    ordering: Literal["id", "-id", "spent_on", "-spent_on"] = Field(
        "id", description=_("Order of the rows: by number or by date spent (- for newest first).")
    )


class MonthTotalParams(Page, Period):
    account_type: Literal["asset", "net_assets", "income", "expense"] | None = Field(
        None, description=_("asset, net_assets, income or expense.")
    )
    ordering: Literal["id", "-id"] = Field("id", description=_("Order of the rows."))


class LedgerParams(Page, Period):
    kind: (
        Literal["donation", "allocation", "disbursement", "expenditure", "reversal", "adjustment"] | None
    ) = Field(None, description=_("Kind of transaction."))
    ordering: Literal["seq", "-seq"] = Field("seq", description=_("Order of the entries in the chain."))


class CheckpointParams(Page, Period):
    kind: Literal["month_close", "daily"] | None = Field(None, description=_("month_close or daily."))
    ordering: Literal["id", "-id"] = Field(
        "-id", description=_("Order of the rows (newest first by default).")
    )


class ReportParams(Page, Period):
    project: str | None = _slug(PROJECT)
    scope: Literal["programme", "project"] | None = Field(None, description=_("programme or project."))
    language: Literal["en", "zh-hans"] | None = Field(None, description=_("Language of the PDF."))
    ordering: Literal["id", "-id"] = Field(
        "-id", description=_("Order of the rows (newest first by default).")
    )


class DisclosureParams(Page, Period):
    project: str | None = _slug(PROJECT)
    campaign: str | None = _slug(_("Web address (slug) of a campaign: its rows only."))
    kind: Literal["progress", "final", "annual"] | None = Field(
        None, description=_("progress, final or annual.")
    )
    ordering: Literal["id", "-id"] = Field(
        "-id", description=_("Order of the rows (newest first by default).")
    )


class CohortParams(Page, Period):
    city: str | None = CITY
    ordering: Literal["id", "-id"] = Field("id", description=_("Order of the rows."))


class ProgrammeParams(Period):
    pass
