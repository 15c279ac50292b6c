"""Each fund's monthly figures (LedgerFundMonth): kept by every posting in the same transaction, equal to the
database's grouping of the entries, checked by verify_ledger, rebuilt from the entries, and following a
funder whose kind changes; one fund's money is read from them, never from its entries. The same for the
programme's monthly totals (LedgerAccountMonth), which the programme's money is read from."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fundraising import fundmonths, ledger, selectors, services
from fundraising.models import Funder, LedgerAccountMonth, LedgerFundMonth
from tests.factories.fundraising import ChannelFactory, FunderFactory, donate, project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _kept() -> dict:
    return {
        tuple(getattr(row, f) for f in fundmonths.KEY): (row.amount, row.entries)
        for row in LedgerFundMonth.objects.all()
    }


@pytest.fixture
def postings(org_a, people):
    """Gifts of two funder kinds and an anonymous one over two channels, a reversed gift, an allocation in
    from the general fund, a disbursement."""
    finance = people["finance_officer"]
    p = project(org_a, status="active")
    fund = services.fund_for_project(p)
    general = ledger.general_fund()
    online = ChannelFactory(code="platform", name="Online platform")
    foundation = FunderFactory(kind=Funder.Kind.FOUNDATION)
    enterprise = FunderFactory(kind=Funder.Kind.ENTERPRISE)
    donate(fund=general, amount="30000.00", by=finance)
    donate(fund=fund, amount="3000.00", by=finance, funder=foundation)
    donate(fund=fund, amount="700.00", by=finance, channel=online)
    mistaken = donate(fund=fund, amount="500.00", by=finance, funder=enterprise)
    services.donation_reverse(donation=mistaken, by=finance, reason="entered twice")
    services.allocation_create(
        from_fund=general, to_fund=fund, amount=Decimal("18000.00"), allocated_on=TODAY(), by=finance
    )
    services.disbursement_create(project=p, amount=Decimal("5000.00"), paid_on=TODAY(), by=finance)
    return {"fund": fund, "foundation": foundation, "enterprise": enterprise}


def test_every_posting_keeps_the_figures_equal_to_the_grouping_of_the_entries(postings):
    kept = _kept()
    assert kept == fundmonths.from_entries()
    month = TODAY().replace(day=1)
    fund = postings["fund"]
    income = ledger.income_account(ChannelFactory._meta.model.objects.get(code="platform"))
    # The anonymous online gift: one credit row on its channel's income account.
    assert kept[(fund.pk, income.pk, month, "donation", "", False, "anonymous")] == (Decimal("-700.00"), 1)
    # The reversed gift counts under its funder's kind, the reversal as the kind it undoes.
    reversal = [k for k in kept if k[0] == fund.pk and k[3] == "reversal" and k[4] == "donation"]
    assert {k[6] for k in reversal} == {Funder.Kind.ENTERPRISE}
    assert ledger.ledger_verify() == []


def test_the_funds_money_is_read_from_the_figures_not_from_its_entries(postings):
    fund = postings["fund"]
    with CaptureQueriesContext(connection) as captured:
        money = selectors.fund_money(fund)
        totals = selectors.fund_totals(fund)
    entry_reads = [
        q["sql"] for q in captured.captured_queries if 'FROM "fundraising_ledgerentry"' in q["sql"]
    ]
    assert entry_reads == []
    assert totals["raised"] == Decimal("3700.00")
    assert totals["allocations_in"] == Decimal("18000.00")
    assert totals["disbursed"] == Decimal("5000.00")
    assert totals["balance"] == Decimal("21700.00") == fund.__class__.objects.get(pk=fund.pk).balance
    assert (
        sum(row["total"] for row in money["by_funder_kind"]) == money["donations_total"] == Decimal("3700.00")
    )


def test_a_drifted_figure_is_reported_and_a_rebuild_repairs_it(postings):
    row = LedgerFundMonth.objects.filter(fund=postings["fund"]).first()
    LedgerFundMonth.objects.filter(pk=row.pk).update(amount=row.amount + Decimal("0.01"))
    problems = ledger.ledger_verify()
    assert len(problems) == 1 and f"fund #{row.fund_id}" in problems[0] and "kept" in problems[0]
    ledger.rebuild_month_totals()
    assert _kept() == fundmonths.from_entries()
    assert ledger.ledger_verify() == []


def test_a_funder_whose_kind_changes_in_the_admin_moves_its_money_to_the_new_kind(postings, client, people):
    fund, foundation = postings["fund"], postings["foundation"]
    labels = dict(Funder.Kind.choices)

    def by_kind():
        return {row["kind"]: row["total"] for row in selectors.fund_money(fund)["by_funder_kind"]}

    assert by_kind()[str(labels[Funder.Kind.FOUNDATION])] == Decimal("3000.00")
    client.force_login(people["finance_officer"])  # finance officers edit funders in the admin
    response = client.post(
        f"/admin/fundraising/funder/{foundation.pk}/change/",
        {
            "name": foundation.name,
            "kind": Funder.Kind.GOVERNMENT,
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = by_kind()
    assert str(labels[Funder.Kind.FOUNDATION]) not in after
    assert after[str(labels[Funder.Kind.GOVERNMENT])] == Decimal("3000.00")
    assert _kept() == fundmonths.from_entries()
    assert ledger.ledger_verify() == []


def test_the_programmes_monthly_totals_are_the_monthly_totals_summed_over_funds(postings):
    kept = {(r.account_id, r.month): (r.amount, r.entries) for r in LedgerAccountMonth.objects.all()}
    summed = {key: tuple(v) for key, v in ledger.by_account_month(ledger.month_totals_from_entries()).items()}
    assert kept == summed
    with CaptureQueriesContext(connection) as captured:
        money = selectors.programme_money()
    sql = [q["sql"] for q in captured.captured_queries]
    assert any('"fundraising_ledgeraccountmonth"' in q for q in sql)
    assert not any('"fundraising_ledgermonthtotal"' in q or '"fundraising_ledgerentry"' in q for q in sql)
    assert money["raised"] == Decimal("33700.00")  # 30,000 + 3,000 + 700; the reversed 500 nets out
    row = LedgerAccountMonth.objects.first()
    LedgerAccountMonth.objects.filter(pk=row.pk).update(entries=row.entries + 1)
    problems = ledger.ledger_verify()
    assert len(problems) == 1 and problems[0].startswith("programme month total")
    ledger.rebuild_month_totals()
    assert ledger.ledger_verify() == []
