"""One set of books: each money figure the API gives is the figure the public page shows, read from the
page as a visitor sees it (its data-figure cells): a project, a fund, a campaign and the programme."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import fundraising as ff
from tests.reconciliation import surfaces as s

pytestmark = pytest.mark.django_db


def _api(client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200, path
    return json.loads(response.content)


def test_api_totals_equal_the_pages(published):
    p = published.programme
    client = Client()
    campaign = ff.campaign(p.general, slug="api-reconciled", goal=Decimal("20000.00"))
    ff.donate(fund=p.general, amount="321.45", channel=campaign.channel, by=p.finance, campaign=campaign)

    project = _api(client, "projects/health-checks")
    page = s.get(client, "/projects/health-checks/")
    assert Decimal(project["money"]["money_in"]) == s.figure(page, "money-in")
    assert Decimal(project["money"]["money_out"]) == s.figure(page, "money-out")
    assert Decimal(project["money"]["balance"]) == s.figure(page, "balance")
    listed = {row["slug"]: row for row in _api(client, "projects")["items"]}["health-checks"]
    assert Decimal(listed["balance"]) == s.figure(page, "balance")
    assert Decimal(listed["spent"]) == Decimal(project["money"]["spent"])

    fund = _api(client, f"funds/{p.general.code}")
    page = s.get(client, f"/funds/{p.general.code}/")
    assert Decimal(fund["money"]["money_in"]) == s.figure(page, "money-in")
    assert Decimal(fund["money"]["money_out"]) == s.figure(page, "money-out")
    assert Decimal(fund["money"]["balance"]) == s.figure(page, "balance")

    detail = _api(client, "campaigns/api-reconciled")
    page = s.get(client, "/campaigns/api-reconciled/")
    shown = page.split('data-testid="campaign-total">', 1)[1].split("<", 1)[0]
    assert Decimal(detail["progress"]["total"]) == s.to_decimal(shown) == Decimal("321.45")
    assert Decimal(detail["raised"]) == Decimal("321.45")

    programme = _api(client, "programme")
    home = s.get(client, "/")
    assert Decimal(programme["raised"]) == s.figure(home, "raised")
    assert Decimal(programme["spent"]) == s.figure(home, "spent")
    assert Decimal(programme["balance"]) == s.figure(home, "balance")
