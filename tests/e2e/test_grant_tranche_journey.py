"""Browser journey: a finance officer finds an overdue tranche of a government service contract, receives it
on the grant page at desktop width, and the ledger and the fund's balance move once; a second try is refused."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from empowerment.authz import FINANCE_OFFICER
from fundraising import ledger, services
from fundraising.models import Channel, Donation, Funder, Grant, LedgerEntry
from fundraising.services import TrancheInput
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_officer_receives_an_overdue_tranche_once(page):
    finance = staff_user(FINANCE_OFFICER, email="fin-grant-e2e@example.org")
    today = timezone.localdate()
    fund = ledger.general_fund()
    grant = services.grant_save(
        by=finance,
        funder=Funder.objects.create(name="包头市民政局", kind=Funder.Kind.GOVERNMENT),
        kind=Grant.Kind.CONTRACT,
        title="Community elderly care services",
        reference="BT-E2E-01",
        signed_on=today - datetime.timedelta(days=60),
        fund=fund,
        channel=Channel.objects.create(
            code="gov-e2e", name="Government purchase", kind=Channel.Kind.CONTRACT
        ),
        total=Decimal("50000.00"),
        tranches=[
            TrancheInput(amount=Decimal("20000.00"), due_on=today - datetime.timedelta(days=7)),
            TrancheInput(amount=Decimal("30000.00"), milestone="Annual evaluation passed"),
        ],
    )
    tranche = grant.tranches.get(number=1)
    assert ledger.fund_balance(fund) == Decimal("0.00")

    login(page, finance.email, PASSWORD)
    page.goto(f"{page.base}/staff/fundraising/grants/overdue/")
    row = page.locator(f'#overdue-tranches tr[data-tranche="{tranche.pk}"]')
    assert "Community elderly care services" in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector(f"#tranche-{tranche.pk}")
    # The same page open in a second tab, before the tranche is received.
    second_tab = page.context.new_page()
    second_tab.goto(page.url)
    card = page.locator(f"#tranche-{tranche.pk}")
    assert card.get_attribute("data-state") == "overdue"
    card.locator("input[name$=receipt_number]").fill("BT-E2E-T1")
    card.locator("button[type=submit]").click()
    page.wait_for_selector(f'#tranche-{tranche.pk}[data-state="received"]')
    assert "BT-E2E-T1" in page.inner_text(f"#tranche-{tranche.pk}")
    assert page.inner_text("[data-figure=received]").strip() == "¥20,000.00"
    assert page.inner_text("[data-figure=outstanding]").strip() == "¥30,000.00"

    assert Donation.objects.filter(grant_tranche=tranche).count() == 1
    assert LedgerEntry.objects.count() == 2
    assert ledger.fund_balance(fund) == Decimal("20000.00")
    fund.refresh_from_db()
    assert fund.balance == Decimal("20000.00")

    # The form is gone once received; the second tab still shows it, and its receipt is refused.
    assert page.locator(f"#tranche-{tranche.pk} button[type=submit]").count() == 0
    second_tab.locator(f"#tranche-{tranche.pk} input[name$=receipt_number]").fill("BT-E2E-T1-again")
    second_tab.locator(f"#tranche-{tranche.pk} button[type=submit]").click()
    second_tab.wait_for_selector("#receive-refused")
    assert "already been received" in second_tab.inner_text("#receive-refused")
    assert Donation.objects.count() == 1 and LedgerEntry.objects.count() == 2
    assert ledger.fund_balance(fund) == Decimal("20000.00")
    assert page.csp_violations == []

    page.goto(f"{page.base}/staff/fundraising/grants/")
    assert (
        page.inner_text(f'#grants tr[data-grant="{grant.pk}"] [data-figure=received]').strip() == "¥20,000.00"
    )
