"""The published programme of tests/transparency (figures worked out by hand there) and, beside it, what must
never come out of the API: a project not yet published with money in its fund, an applicant organization,
an unpublished campaign, a draft update, an expenditure waiting for approval, a reversed donation, donors
who did not agree to be named, payees, receipt numbers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from fundraising import services as money
from fundraising.models import Funder
from organizations.models import Organization
from projects.models import ProgressUpdate
from tests.factories import fundraising as ff
from tests.factories.core import OrganizationFactory
from tests.factories.projects import UpdateFactory
from tests.transparency.conftest import programme  # noqa: F401 - the fixture, shared

# Strings that may appear only where they are private: none of them may come out of the API.
SECRETS = (
    "Secret plan not yet published",
    "secret-plan",
    "Applicant Hidden Org",
    "hidden-campaign",
    "Hidden campaign title",
    "DRAFT NARRATIVE SENTINEL",
    "Hardware shop",
    "Medical supplier",
    "Pending claim sentinel",
    "Civil Affairs Bureau G",
    "Foundation F",
    "Quiet Donor Q",
)


@dataclass
class Published:
    programme: object
    secret: object
    hidden_campaign: object
    applicant: object


@pytest.fixture
def api_settings(settings):
    settings.API_RATE_LIMIT = 100_000
    return settings


@pytest.fixture
def published(programme, org_a, api_settings):  # noqa: F811
    p = programme
    secret = ff.project(org_a, title="Secret plan not yet published", slug="secret-plan", status="submitted")
    secret_fund = money.fund_for_project(secret)
    quiet = ff.FunderFactory(name="Quiet Donor Q", kind=Funder.Kind.INDIVIDUAL)
    ff.donate(
        fund=secret_fund,
        amount="1234.56",
        channel=p.bank,
        by=p.finance,
        funder=quiet,
        donor_name="Quiet Donor Q",
    )
    hidden = ff.campaign(p.general, slug="hidden-campaign", title="Hidden campaign title", published=False)
    applicant = OrganizationFactory(
        name="Applicant Hidden Org",
        name_en="Applicant Hidden Org",
        slug="applicant-hidden",
        status=Organization.Status.APPLICANT,
    )
    UpdateFactory(
        project=p.p1,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        narrative="DRAFT NARRATIVE SENTINEL",
        status=ProgressUpdate.Status.SUBMITTED,
    )
    money.expenditure_submit(
        project=p.p1,
        budget_line=p.p1.budget_lines.get(category="materials"),
        amount=Decimal("100.00"),
        spent_on=date(2026, 4, 2),
        description="Pending claim sentinel",
        payee="Hardware shop",
        document=ff.receipt_file(),
        by=p.finance,
    )
    return Published(p, secret, hidden, applicant)
