"""What a public page costs when it is rendered afresh (not from the page cache): the project page's fund
flow reads only the funds its own sums name, however many other funds the programme has, and the campaign
page reads its campaign without the programme-wide money subqueries (its money is campaign_progress's).
The figures themselves are checked by test_one_page.py, test_fund_flow.py and tests/reconciliation."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fundraising import services as money
from tests.factories import fundraising as ff
from tests.factories.projects import ProjectFactory

pytestmark = pytest.mark.django_db


def _fresh(url: str) -> tuple[str, list[str]]:
    visitor = Client()
    visitor.cookies["uncached"] = "1"  # a cookie the page cache does not know: rendered afresh
    with CaptureQueriesContext(connection) as captured:
        response = visitor.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _reads_every_fund(sql: str) -> bool:
    """A read of the funds table with no condition on it (every fund of the programme)."""
    return bool(re.match(r'^SELECT .* FROM "fundraising_fund"(?: [A-Z ]*JOIN .*)?(?: ORDER BY .*)?$', sql))


def test_the_project_page_flow_reads_only_its_own_funds_however_many_the_programme_has(programme):
    for n in range(4):
        money.fund_for_project(ProjectFactory(status="active", title=f"Other {n}"))
    html, statements = _fresh("/projects/health-checks/")
    assert 'id="flow-links"' in html
    whole_table = [sql for sql in statements if _reads_every_fund(sql)]
    assert whole_table == []
    fund_reads = [sql for sql in statements if 'FROM "fundraising_fund"' in sql.split(" WHERE ")[0]]
    assert fund_reads, "the page reads its funds"


def test_the_campaign_page_does_not_annotate_its_campaign_with_money_subqueries(programme):
    ff.campaign(money.fund_for_project(programme.p1), slug="warm-winter")
    html, statements = _fresh("/campaigns/warm-winter/")
    assert "warm-winter" in html
    campaign_reads = [
        sql for sql in statements if sql.startswith("SELECT") and 'FROM "fundraising_campaign"' in sql
    ]
    assert campaign_reads
    assert not [sql for sql in campaign_reads if "fundraising_ledgerentry" in sql]
