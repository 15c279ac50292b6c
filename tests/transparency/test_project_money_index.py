"""A project's money (fundraising.selectors.with_project_money: the public project list, a project's and an
organization's page) is summed from the monthly totals' covering index on the fund (migration 0027) on
PostgreSQL: the fund's rows with their account and amount, read from the index alone."""

from decimal import Decimal

import pytest
from django.db import connection

from fundraising import ledger, services
from fundraising.selectors import books
from projects.models import Project
from tests.factories.fundraising import ChannelFactory, donate, project

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="an index of PostgreSQL's")


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'fundraising_ledgermonthtotal'"
        )
        return dict(cursor.fetchall())


def test_the_monthly_totals_index_on_the_fund_carries_the_account_and_the_amount(db):
    indexes = _indexes()
    assert indexes["ledger_month_total_fund_covering"].endswith("(fund_id) INCLUDE (account_id, amount)")
    # It replaces the foreign key's plain index on the fund (one index fewer for the posting to keep).
    assert [name for name, definition in indexes.items() if "(fund_id)" in definition] == [
        "ledger_month_total_fund_covering"
    ]


def test_a_projects_money_is_read_from_the_index_alone(org_a):
    channel = ChannelFactory(code="bank-main", name="Bank account")
    p = project(org_a)
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="3000.50", channel=channel)
    donate(fund=fund, amount="499.50", channel=channel)
    donate(fund=ledger.general_fund(), amount="20000.00", channel=channel)
    read = books.with_project_money(Project.objects.filter(pk=p.pk))
    row = read.get()
    assert books.project_received(row) == Decimal("3500.00")
    assert row.money_balance == Decimal("3500.00")
    # With the planner steered off whole-table and bitmap reads (the test's tables are a few rows long, where
    # a scan is cheaper), each money subquery reads the covering index without visiting the table's rows.
    sql, params = read.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)  # noqa: S608 - the ORM's own SQL
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert plan.count("Index Only Scan using ledger_month_total_fund_covering") == 3, plan
