"""The books read a fund's entries once per page and a campaign's income by index: the figures are those
of the direct definitions (summed over the entries, the campaign found by COALESCE), with fewer reads."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fundraising import ledger, selectors, services
from fundraising.models import Account, Funder
from fundraising.selectors import books
from fundraising.selectors.books import ZERO
from tests.factories.fundraising import ChannelFactory, FunderFactory, campaign, donate, project, receipt_file
from transparency.periods import Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _ledger_reads(statements) -> list[str]:
    return [q["sql"] for q in statements if 'FROM "fundraising_ledgerentry"' in q["sql"]]


def _figure_reads(statements) -> list[str]:
    """Grouped reads of a fund's monthly figures (the reading over whole months and all time)."""
    return [
        q["sql"]
        for q in statements
        if 'FROM "fundraising_ledgerfundmonth"' in q["sql"] and "GROUP BY" in q["sql"]
    ]


def _grouped_entry_reads(statements) -> list[str]:
    return [sql for sql in _ledger_reads(statements) if "GROUP BY" in sql]


@pytest.fixture
def busy_fund(org_a, people):
    """A public project's fund with gifts from two funder kinds over two channels, a reversed gift, an
    allocation in and one undone, a disbursement and spending (one reversed)."""
    finance = people["finance_officer"]
    p = project(org_a, status="active")
    fund = services.fund_for_project(p)
    general = ledger.general_fund()
    online = ChannelFactory(code="platform", name="Online platform")
    donate(fund=general, amount="30000.00", by=finance)
    donate(fund=fund, amount="3000.00", by=finance, funder=FunderFactory(kind=Funder.Kind.FOUNDATION))
    donate(fund=fund, amount="700.00", by=finance, channel=online)
    mistaken = donate(
        fund=fund, amount="500.00", by=finance, funder=FunderFactory(kind=Funder.Kind.ENTERPRISE)
    )
    services.donation_reverse(donation=mistaken, by=finance, reason="entered twice")
    services.allocation_create(
        from_fund=general, to_fund=fund, amount=Decimal("18000.00"), allocated_on=TODAY(), by=finance
    )
    undone = services.allocation_create(
        from_fund=general, to_fund=fund, amount=Decimal("1000.00"), allocated_on=TODAY(), by=finance
    )
    ledger.ledger_reverse(tx=undone.ledger_transaction, created_by=finance, memo="Allocated twice")
    services.disbursement_create(project=p, amount=Decimal("5000.00"), paid_on=TODAY(), by=finance)
    for amount, undo in (("2750.00", False), ("100.00", True)):
        spent = services.expenditure_submit(
            project=p,
            budget_line=p.budget_lines.first(),
            amount=Decimal(amount),
            spent_on=TODAY(),
            description="Health-check kits",
            payee="Pharmacy",
            document=receipt_file(),
            by=people["a_admin"],
            paid_from="advance",
        )
        spent = services.expenditure_approve(expenditure=spent, by=finance)
        if undo:
            services.expenditure_reverse(expenditure=spent, by=finance, reason="wrong project")
    return fund


def _direct_sum(fund, q: Q) -> Decimal:
    """A sum over the fund's cash entries, written out (the definition the one reading must match)."""
    return books.money(books.cash_entries().filter(q, fund=fund).aggregate(s=Sum("amount"))["s"])


def test_the_one_reading_gives_the_figures_of_the_direct_sums(busy_fund):
    fund, kind, t = busy_fund, books.Kind, Account.Type
    totals = selectors.fund_totals(fund)
    assert totals["raised"] == -_direct_sum(fund, Q(account__type=t.INCOME)) == Decimal("3700.00")
    assert totals["spent"] == _direct_sum(fund, Q(account__type=t.EXPENSE)) == Decimal("2750.00")
    assert totals["balance"] == _direct_sum(fund, Q(account__type=t.ASSET)) == Decimal("18950.00")
    alloc = Q(transaction__kind=kind.ALLOCATION, account__type=t.ASSET)
    undone = Q(
        transaction__kind=kind.REVERSAL, transaction__reverses__kind=kind.ALLOCATION, account__type=t.ASSET
    )
    assert totals["allocations_in"] == _direct_sum(fund, alloc | undone) == Decimal("18000.00")
    assert totals["allocations_out"] == ZERO
    assert totals["disbursed"] == Decimal("5000.00")
    assert (
        totals["raised"]
        + totals["allocations_in"]
        + totals["adjustments"]
        - totals["spent"]
        - totals["allocations_out"]
    ) == totals["balance"]
    with CaptureQueriesContext(connection) as captured:
        money = selectors.fund_money(fund)
    # Two grouped reads of the fund's monthly figures, none of its entries.
    assert len(_figure_reads(captured.captured_queries)) == 2
    assert _grouped_entry_reads(captured.captured_queries) == []
    assert {row["kind"]: row["total"] for row in money["by_funder_kind"]} == {
        str(dict(Funder.Kind.choices)[Funder.Kind.FOUNDATION]): Decimal("3000.00"),
        None: Decimal("700.00"),  # anonymous: no funder kind label
    }
    assert [(row["channel__name"], row["total"]) for row in money["by_channel"]] == [
        ("Bank account", Decimal("3000.00")),  # the largest first
        ("Online platform", Decimal("700.00")),
    ]
    assert sum(row["total"] for row in money["by_category"]) == money["spent_total"]


def test_inside_read_once_the_flow_and_the_money_of_a_fund_read_its_entries_once(busy_fund):
    period = Period("range", datetime.date(2015, 1, 1), datetime.date(2100, 12, 31))
    p = busy_fund.project
    separate = selectors.flow_money(period, project=p), selectors.fund_money(busy_fund)
    with CaptureQueriesContext(connection) as captured, selectors.read_once():
        shared = selectors.flow_money(period, project=p), selectors.fund_money(busy_fund)
    assert shared == separate
    # One grouped read of the fund's monthly figures and one of its income; the allocations' pairing reads
    # the lines of the allocations only.
    assert len(_figure_reads(captured.captured_queries)) == 2
    assert separate[0]["allocations"] == [(ledger.general_fund().pk, busy_fund.pk, Decimal("18000.00"))]


def test_the_project_page_reads_its_funds_entries_in_two_grouped_reads(busy_fund):
    visitor = Client()
    visitor.cookies["uncached"] = "1"  # rendered afresh
    with CaptureQueriesContext(connection) as captured:
        response = visitor.get(f"/projects/{busy_fund.project.slug}/")
    assert response.status_code == 200
    assert "¥18,950.00" in response.content.decode()  # the balance
    grouped = _figure_reads(captured.captured_queries)
    assert len(grouped) == 2, grouped


def test_campaign_money_is_read_from_its_kept_totals_and_equals_the_coalesce_definition(org_a, people):
    finance = people["finance_officer"]
    fund = services.fund_for_project(project(org_a, status="active"))
    partner = FunderFactory(kind=Funder.Kind.ENTERPRISE)
    drive = campaign(fund, matching_partner=partner, matching_ratio=Decimal("1"), matching_cap=Decimal("900"))
    other = campaign(fund, slug="spring", title="Spring", channel=drive.channel)
    gifts = [
        donate(fund=fund, amount=amount, by=finance, channel=drive.channel, campaign=drive)
        for amount in ("400.00", "250.00", "90.00")
    ]
    donate(fund=fund, amount="300.00", by=finance, channel=drive.channel, campaign=drive, is_matching=True)
    donate(fund=fund, amount="5000.00", by=finance, channel=drive.channel, campaign=other)
    services.donation_reverse(donation=gifts[1], by=finance, reason="card charged back")

    with CaptureQueriesContext(connection) as captured:
        progress = selectors.campaign_progress(drive)
    # The kept totals (fundraising.campaigntotals), not the campaign's entries, which grow with its gifts.
    assert _ledger_reads(captured.captured_queries) == []
    assert any('"fundraising_ledgercampaigntotal"' in q["sql"] for q in captured.captured_queries)
    by_coalesce = selectors.campaign_income().filter(campaign_id=drive.pk)
    assert (
        progress["raised"]
        == -books.money(by_coalesce.filter(is_matching=False).aggregate(s=Sum("amount"))["s"])
        == Decimal("490.00")
    )
    assert progress["matching_recorded"] == Decimal("300.00")
    assert progress["donors"] == 2
    annotated = {c.pk: c for c in selectors.campaigns_with_money(type(drive).objects.all())}
    assert annotated[drive.pk].public_raised == Decimal("490.00")
    assert annotated[drive.pk].money_raised == Decimal("790.00") == progress["total_recorded"]
    assert annotated[other.pk].money_raised == Decimal("5000.00")


def test_a_project_flow_pairs_its_funds_allocations_and_their_reversals_as_every_allocation_line_does(
    busy_fund,
):
    """A project's fund flow takes the allocations into or out of its fund, and the reversals of them,
    from the fund's allocations (not from among its gifts, which grow on a giving day): the same lines as
    every allocation line of the programme kept for the transactions with a line of the fund."""
    from fundraising.selectors import reporting

    start, end = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
    everything = list(reporting._allocation_lines(start, end))
    with_the_fund = {tx for tx, fund_id, _amount in everything if fund_id == busy_fund.pk}
    lines = list(reporting._fund_allocation_lines(busy_fund.pk, start, end))
    assert lines == [row for row in everything if row[0] in with_the_fund]
    assert len(lines) == 6  # the allocation, the one undone and its reversal: two lines each
    general = ledger.general_fund().pk
    flow = reporting.flow_money(Period("range", start, end), project=busy_fund.project)
    assert flow["allocations"] == [(general, busy_fund.pk, Decimal("18000.00"))]
