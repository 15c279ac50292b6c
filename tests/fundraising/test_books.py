"""The one set of books: fund, campaign and dashboard figures come from the ledger, and they add up."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from fundraising import ledger, selectors, services
from fundraising.models import Funder
from tests.factories.fundraising import ChannelFactory, FunderFactory, campaign, donate, project, receipt_file

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _spend(p, by, amount, *, spent_on=None, paid_from="bank"):
    return services.expenditure_submit(
        project=p,
        budget_line=p.budget_lines.first(),
        amount=Decimal(amount),
        spent_on=spent_on or TODAY(),
        description="Health-check kits",
        payee="Pharmacy",
        document=receipt_file(),
        by=by,
        paid_from=paid_from,
    )


def test_fund_money_in_minus_out_is_the_balance_with_allocations_and_reversals(org_a, people):
    finance = people["finance_officer"]
    p = project(org_a)
    fund = services.fund_for_project(p)
    general = ledger.general_fund()
    donate(fund=general, amount="20000.00", by=finance)
    donate(fund=fund, amount="3000.00", by=finance, funder=FunderFactory(kind=Funder.Kind.FOUNDATION))
    mistaken = donate(fund=fund, amount="500.00", by=finance)
    services.donation_reverse(donation=mistaken, by=finance, reason="entered twice")
    services.allocation_create(
        from_fund=general, to_fund=fund, amount=Decimal("18000.00"), allocated_on=TODAY(), by=finance
    )
    services.disbursement_create(project=p, amount=Decimal("5000.00"), paid_on=TODAY(), by=finance)
    kept = services.expenditure_approve(expenditure=_spend(p, people["a_admin"], "2750.00"), by=finance)
    undone = services.expenditure_approve(
        expenditure=_spend(p, people["a_admin"], "100.00", paid_from="advance"), by=finance
    )
    services.expenditure_reverse(expenditure=undone, by=finance, reason="wrong project")

    money = selectors.fund_money(fund)
    assert money["donations_total"] == Decimal("3000.00")
    assert money["allocations_in_total"] == Decimal("18000.00")
    assert money["money_in"] == Decimal("21000.00")
    assert money["spent_total"] == Decimal("2750.00")
    assert money["money_out"] == Decimal("2750.00")
    assert money["balance"] == Decimal("18250.00")
    assert money["money_in"] - money["money_out"] == money["balance"]
    fund.refresh_from_db()
    assert money["balance"] == fund.balance == ledger.fund_balance(fund)
    assert money["disbursed_total"] == Decimal("5000.00")
    # The itemised lists total the headline figures.
    assert sum(e.amount for e in money["spent"]) == money["spent_total"]
    assert [e.pk for e in money["spent"]] == [kept.pk]
    assert sum(a.amount for a in money["allocations_in"]) == money["allocations_in_total"]
    assert sum(r["total"] for r in money["by_channel"]) == money["donations_total"]
    assert sum(r["total"] for r in money["by_funder_kind"]) == money["donations_total"]
    assert sum(r["total"] for r in money["by_category"]) == money["spent_total"]

    general_money = selectors.fund_money(general)
    assert general_money["allocations_out_total"] == Decimal("18000.00")
    assert (
        general_money["money_in"] - general_money["money_out"]
        == general_money["balance"]
        == Decimal("2000.00")
    )


def test_a_reversed_allocation_leaves_both_funds_as_before(org_a, people):
    finance = people["finance_officer"]
    fund = services.fund_for_project(project(org_a))
    general = ledger.general_fund()
    donate(fund=general, amount="1000.00", by=finance)
    allocation = services.allocation_create(
        from_fund=general, to_fund=fund, amount=Decimal("400.00"), allocated_on=TODAY(), by=finance
    )
    ledger.ledger_reverse(tx=allocation.ledger_transaction, created_by=finance)
    for f, balance in ((fund, Decimal("0.00")), (general, Decimal("1000.00"))):
        money = selectors.fund_money(f)
        assert money["allocations_in_total"] == money["allocations_out_total"] == Decimal("0.00")
        assert money["allocations_in"] == money["allocations_out"] == []
        assert money["balance"] == balance == money["money_in"] - money["money_out"]


def test_campaign_figures_come_from_the_ledger_net_of_reversals(people):
    finance = people["finance_officer"]
    fund = ledger.general_fund()
    c = campaign(
        fund, matching_partner=FunderFactory(), matching_ratio=Decimal("0.50"), matching_cap=Decimal("1000")
    )
    donate(fund=fund, channel=c.channel, campaign=c, amount="100.00", by=finance)
    reversed_gift = donate(fund=fund, channel=c.channel, campaign=c, amount="40.00", by=finance)
    services.donation_reverse(donation=reversed_gift, by=finance, reason="card charged back")
    services.campaign_record_matching(campaign=c, receipt_number="M-1", received_on=TODAY(), by=finance)
    progress = selectors.campaign_progress(c)
    assert progress["raised"] == Decimal("100.00")
    assert progress["matching_recorded"] == Decimal("50.00")
    assert progress["total_recorded"] == Decimal("150.00") == progress["total"]
    assert progress["donors"] == 1
    listed = selectors.public_campaigns().get(pk=c.pk)
    assert listed.money_raised == listed.raised == Decimal("150.00")
    assert listed.public_raised == Decimal("100.00") and listed.donation_count == 1


def test_staff_dashboard_figures_match_the_ledger(org_a, people):
    finance = people["finance_officer"]
    p = project(org_a)
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="900.00", by=finance, channel=ChannelFactory(code="cash", name="Cash"))
    gone = donate(fund=fund, amount="10.00", by=finance)
    services.donation_reverse(donation=gone, by=finance, reason="test")
    services.expenditure_approve(expenditure=_spend(p, people["a_admin"], "300.00"), by=finance)
    data = selectors.dashboard()
    assert data["raised_total"] == Decimal("900.00")
    assert sum(r["total"] for r in data["by_channel"]) == Decimal("900.00")
    assert sum(r["total"] for r in data["by_funder_kind"]) == Decimal("900.00")
    assert data["spent_total"] == Decimal("300.00") == sum(r["total"] for r in data["spent_by_category"])
    row = next(f for f in data["funds"] if f.pk == fund.pk)
    assert row.ledger_balance == Decimal("600.00") == selectors.fund_money(fund)["balance"]
    bva = next(f for f in data["budget_vs_actual"] if f.pk == fund.pk)
    assert bva.spent == Decimal("300.00") and bva.ledger_balance == Decimal("600.00")
    assert data["cash_total"] == Decimal("600.00")


def _months_ago(n: int) -> datetime.date:
    first = TODAY().replace(day=1)
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def test_spending_counts_on_the_receipts_date_and_a_closed_month_gets_a_prior_period_adjustment(
    org_a, people
):
    finance = people["finance_officer"]
    p = project(org_a)
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="5000.00", by=finance, received_on=_months_ago(3))
    three_months_ago = _months_ago(3) + datetime.timedelta(days=21)
    approved_later = _spend(p, people["a_admin"], "1200.00", spent_on=three_months_ago)
    in_closed = _spend(p, people["a_admin"], "300.00", spent_on=_months_ago(2) + datetime.timedelta(days=4))
    services.expenditure_approve(expenditure=approved_later, by=finance)
    approved_later.refresh_from_db()
    tx = approved_later.ledger_transaction
    assert tx.date == three_months_ago and tx.occurred_on is None
    ledger.period_close(month=_months_ago(2), closed_by=finance)
    services.expenditure_approve(expenditure=in_closed, by=finance)
    in_closed.refresh_from_db()
    tx = in_closed.ledger_transaction
    assert tx.date == TODAY() and tx.occurred_on == in_closed.spent_on
    assert selectors.fund_money(fund)["spent_total"] == Decimal("1500.00")
