"""Money services: donations, allocations, disbursements, expenditures with approval, in kind, campaigns."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fundraising import ledger, selectors, services
from fundraising.models import Donation, Expenditure, Fund, InKindGift, LedgerEntry
from tests.factories.fundraising import ChannelFactory, FunderFactory, campaign, donate, project, receipt_file

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _submit(p, by, amount="100.00", paid_from="bank"):
    return services.expenditure_submit(
        project=p,
        budget_line=p.budget_lines.first(),
        amount=Decimal(amount),
        spent_on=TODAY(),
        description="Health-check kits",
        payee="Pharmacy",
        document=receipt_file(),
        by=by,
        paid_from=paid_from,
    )


def test_duplicate_receipt_number_in_a_channel_is_refused_and_nothing_is_saved(people):
    channel = ChannelFactory()
    donate(channel=channel, receipt_number="R-1", by=people["finance_officer"])
    with pytest.raises(ValidationError) as exc:
        donate(channel=channel, receipt_number="R-1", by=people["finance_officer"])
    assert "receipt_number" in exc.value.message_dict
    assert Donation.objects.count() == 1 and LedgerEntry.objects.count() == 2
    donate(channel=ChannelFactory(), receipt_number="R-1")  # unique per channel only


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.005", "1000000000000.00", "abc"])
def test_bad_donation_amounts_are_refused_at_the_field(amount, people):
    with pytest.raises(ValidationError) as exc:
        donate(amount=amount, by=people["finance_officer"])
    assert "amount" in exc.value.message_dict
    assert Donation.objects.count() == 0 and LedgerEntry.objects.count() == 0


def test_future_dates_and_non_finance_users_are_refused(people):
    with pytest.raises(ValidationError):
        donate(received_on=TODAY() + datetime.timedelta(days=1), by=people["finance_officer"])
    with pytest.raises(PermissionDenied):
        donate(by=people["programme_officer"])
    assert Donation.objects.count() == 0


def test_expenditure_approval_posts_to_the_project_fund_and_is_refused_over_the_balance(org_a, people):
    finance = people["finance_officer"]
    p = project(org_a)
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="150.00", by=finance)
    first = _submit(p, people["a_editor"], "100.00")
    second = _submit(p, people["a_editor"], "60.00")
    services.expenditure_approve(expenditure=first, by=finance)
    fund.refresh_from_db()
    assert fund.balance == Decimal("50.00") == ledger.fund_balance(fund)
    with pytest.raises(ValidationError):
        services.expenditure_approve(expenditure=second, by=finance)
    second.refresh_from_db()
    fund.refresh_from_db()
    assert second.status == Expenditure.Status.SUBMITTED and fund.balance == Decimal("50.00")
    assert ledger.ledger_verify() == []


def test_an_organization_spends_only_what_was_disbursed_to_it(org_a, people):
    finance = people["finance_officer"]
    p = project(org_a)
    general = ledger.general_fund()
    donate(fund=general, amount="1000.00", by=finance)
    services.allocation_create(
        from_fund=general,
        to_fund=services.fund_for_project(p),
        amount=Decimal("800.00"),
        allocated_on=TODAY(),
        by=finance,
    )
    services.disbursement_create(project=p, amount=Decimal("300.00"), paid_on=TODAY(), by=finance)
    too_much = _submit(p, people["a_admin"], "300.01", paid_from="advance")
    with pytest.raises(ValidationError):
        services.expenditure_approve(expenditure=too_much, by=finance)
    ok = _submit(p, people["a_admin"], "300.00", paid_from="advance")
    services.expenditure_approve(expenditure=ok, by=finance)
    money = selectors.fund_money(services.fund_for_project(p))
    assert money["balance"] == Decimal("500.00") and money["spent_total"] == Decimal("300.00")
    assert ledger.ledger_verify() == []


def test_members_of_another_organization_or_viewers_cannot_record_expenditures(org_a, people):
    p = project(org_a)
    for who in ("b_admin", "a_viewer", "trainer"):
        with pytest.raises(PermissionDenied):
            _submit(p, people[who])
    assert Expenditure.objects.count() == 0


def test_reversing_a_spent_donation_is_refused(org_a, people):
    finance = people["finance_officer"]
    p = project(org_a)
    donation = donate(fund=services.fund_for_project(p), amount="100.00", by=finance)
    services.expenditure_approve(expenditure=_submit(p, people["a_editor"], "80.00"), by=finance)
    with pytest.raises(ValidationError):
        services.donation_reverse(donation=donation, by=finance, reason="entered twice")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.RECORDED


def test_in_kind_gifts_stay_out_of_cash_totals_and_balances(people):
    finance = people["finance_officer"]
    fund = Fund.objects.create(code="tuanjie", name="Tuanjie community fund", kind=Fund.Kind.COMMUNITY)
    donate(fund=fund, amount="200.00", by=finance)
    services.in_kind_record(
        kind=InKindGift.Kind.VOLUNTEER,
        description="Home visits",
        value=Decimal("1200.00"),
        basis="40 hours × 30 yuan",
        hours=Decimal("40"),
        received_on=TODAY(),
        fund=fund,
        by=finance,
    )
    fund.refresh_from_db()
    assert fund.balance == Decimal("200.00")
    data = selectors.dashboard()
    assert data["raised_total"] == Decimal("200.00") and data["in_kind_total"] == Decimal("1200.00")
    assert data["cash_total"] == Decimal("200.00")


def test_campaign_progress_counts_matching_up_to_the_cap(people):
    finance = people["finance_officer"]
    fund = Fund.objects.create(code="c1", name="Community fund", kind=Fund.Kind.COMMUNITY)
    partner = FunderFactory(name="Steel works")
    c = campaign(
        fund, matching_partner=partner, matching_ratio=Decimal("1.00"), matching_cap=Decimal("150.00")
    )
    donate(
        fund=fund, channel=c.channel, campaign=c, amount="100.00", donor_name="Li", show_name=True, by=finance
    )
    donate(fund=fund, channel=c.channel, campaign=c, amount="100.00", donor_name="Secret", by=finance)
    progress = selectors.campaign_progress(c)
    assert progress["raised"] == Decimal("200.00") and progress["matching_pledged"] == Decimal("150.00")
    assert progress["total"] == Decimal("350.00")
    services.campaign_record_matching(campaign=c, receipt_number="M-1", received_on=TODAY(), by=finance)
    assert selectors.campaign_progress(c)["total"] == Decimal("350.00")
    names = [name for name, _amount in selectors.campaign_donations(c)]
    assert "Li" in names and "Secret" not in names


def test_a_campaigns_list_of_donations_names_a_donor_or_funder_only_when_they_agreed(people):
    finance = people["finance_officer"]
    fund = Fund.objects.create(code="c2", name="Community fund", kind=Fund.Kind.COMMUNITY)
    c = campaign(fund)
    named, unnamed = FunderFactory(name="Steel works"), FunderFactory(name="Quiet trust")
    donate(fund=fund, channel=c.channel, campaign=c, amount="30.00", funder=named, show_name=True, by=finance)
    donate(fund=fund, channel=c.channel, campaign=c, amount="20.00", funder=unnamed, by=finance)
    donate(
        fund=fund,
        channel=c.channel,
        campaign=c,
        amount="10.00",
        donor_name="Wang",
        show_name=True,
        by=finance,
    )
    listed = sorted(selectors.campaign_donations(c), key=lambda row: row[1])
    assert listed == [
        ("Wang", Decimal("10.00")),
        ("Anonymous", Decimal("20.00")),
        ("Steel works", Decimal("30.00")),
    ]
    # The same names as each donation's own public_name.
    by_amount = {d.amount: d.public_name for d in Donation.objects.filter(campaign=c)}
    assert [by_amount[amount] for _name, amount in listed] == [name for name, _amount in listed]


def test_ratios_use_prior_year_income_and_settings_limits(org_a, people, settings):
    settings.FUNDRAISING_MIN_CHARITABLE_RATIO = "0.70"
    finance = people["finance_officer"]
    p = project(org_a)
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="1000.00", by=finance)
    services.expenditure_approve(expenditure=_submit(p, people["a_editor"], "600.00"), by=finance)
    r = selectors.ratios(TODAY().year)
    assert r["programme"] == Decimal("600.00") and r["management_ratio"] == 0
    assert r["prior_income"] == 0 and r["charitable_ratio"] is None


def test_dashboard_export_escapes_formulas(client, people, org_a):
    import io

    from openpyxl import load_workbook

    finance = people["finance_officer"]
    p = project(org_a, title='=HYPERLINK("http://evil")')
    donate(fund=services.fund_for_project(p), amount="10.00", by=finance)
    client.force_login(finance)
    response = client.get("/staff/fundraising/export.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    values = [c.value for row in wb["Fund balances"].iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil")' in values
