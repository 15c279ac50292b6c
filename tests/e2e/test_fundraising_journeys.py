"""Browser journeys: a finance officer imports an export with its dry run and approves an expenditure; a
donor traces a donation by receipt number and amount."""

from decimal import Decimal

import pytest
from django.utils import timezone

from empowerment.authz import FINANCE_OFFICER
from fundraising import services
from fundraising.models import Channel, Donation, Expenditure
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, OrganizationFactory, member, staff_user
from tests.factories.fundraising import donate, project, receipt_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_officer_imports_with_preview_then_approves_an_expenditure(page, tmp_path):
    finance = staff_user(FINANCE_OFFICER, email="fin-e2e@example.org")
    channel = Channel.objects.create(code="bank-e2e", name="Bank e2e", kind=Channel.Kind.BANK)
    org = OrganizationFactory(slug="e2e-org")
    p = project(org, slug="e2e-project")
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="500.00", by=finance)
    expenditure = services.expenditure_submit(
        project=p,
        budget_line=p.budget_lines.first(),
        amount=Decimal("120.00"),
        spent_on=timezone.localdate(),
        description="Blood pressure monitors",
        payee="Pharmacy",
        document=receipt_file(),
        by=member(org, "editor"),
        paid_from="bank",
    )
    csv_path = tmp_path / "bank.csv"
    csv_path.write_bytes(
        "流水号,金额,日期,户名\nB1,100.00,2024-03-01,张伟\nB2,50.50,2024-03-02,李娜\n".encode("gbk")
    )

    login(page, finance.email, PASSWORD)
    page.goto(f"{page.base}/staff/fundraising/imports/new/")
    page.select_option("select[name=channel]", str(channel.pk))
    page.set_input_files("input[name=file]", str(csv_path))
    page.fill("input[name=col_external_id]", "流水号")
    page.fill("input[name=col_amount]", "金额")
    page.fill("input[name=col_date]", "日期")
    page.fill("input[name=col_donor_name]", "户名")
    page.click("main form [type=submit]")
    page.wait_for_selector("#import-preview")
    assert "张伟" in page.inner_text("#import-preview")
    assert Donation.objects.filter(channel=channel).count() == 0  # a dry run imports nothing
    page.click("#confirm-import")
    page.wait_for_selector("[data-status=done]")
    assert Donation.objects.filter(channel=channel).count() == 2

    page.goto(f"{page.base}/staff/fundraising/expenditures/")
    page.click("#pending-expenditures a")
    page.fill("textarea[name=note]", "Receipt checked")
    page.click("button[value=approve]")
    page.wait_for_load_state("networkidle")
    expenditure.refresh_from_db()
    assert expenditure.status == Expenditure.Status.APPROVED
    assert page.csp_violations == []


def test_donor_traces_a_donation_by_receipt_number_and_amount(page):
    org = OrganizationFactory(slug="e2e-org2")
    p = project(org, slug="e2e-project2")
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="288.00", receipt_number="RC-2024-0001")
    page.goto(f"{page.base}/money/lookup/")
    page.fill("input[name=receipt_number]", "RC-2024-0001")
    page.fill("input[name=amount]", "288.00")
    page.click("main form [type=submit]")
    page.wait_for_selector("#lookup-result")
    assert p.title in page.inner_text("#lookup-result")
    page.fill("input[name=amount]", "289.00")
    page.click("main form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#lookup-result").count() == 0
