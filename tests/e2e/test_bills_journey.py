"""Browser journey: a finance officer uploads an Alipay account statement (dry run, then import), then the
bank statement; the payout is matched on its own, the bank's account fee is explained by hand, and the
dashboard shows November reconciled."""

from pathlib import Path

import pytest

from empowerment.authz import FINANCE_OFFICER
from fundraising.bills.models import BankLine
from fundraising.models import Channel, Donation
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).parents[1] / "fundraising" / "bills" / "samples"


def _upload(page, tmp_path, channel, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.goto(f"{page.base}/staff/fundraising/bills/")
    page.select_option("select[name=channel]", str(channel.pk))
    page.set_input_files("input[name=file]", str(path))
    page.click("form [type=submit][name=submit]")
    page.wait_for_selector("#bill-summary")


def test_import_a_bill_then_reconcile_a_line_by_hand(page, tmp_path):
    finance = staff_user(FINANCE_OFFICER, email="fin-bills-e2e@example.org")
    alipay = Channel.objects.create(
        code="alipay-account", name="Alipay merchant account", kind=Channel.Kind.ONLINE
    )
    bank = Channel.objects.create(code="bank", name="Foundation bank account", kind=Channel.Kind.BANK)
    statement = (SAMPLES / "alipay_account_statement.csv").read_bytes().decode("gbk")
    statement = "".join(line for line in statement.splitlines(keepends=True) if "2026年13月" not in line)
    login(page, finance.email, PASSWORD)

    _upload(page, tmp_path, alipay, "alipay.csv", statement.encode("gbk"))
    assert "8 rows: 7 events to record, 1 already recorded, 0 problems." in page.inner_text("#bill-summary")
    page.click("#confirm-bill")
    page.wait_for_selector("#bill-status:text('Imported')")
    assert Donation.objects.filter(channel=alipay).count() == 2

    bank_csv = (SAMPLES / "bank_statement.csv").read_bytes().decode("gbk")
    bank_csv = "".join(line for line in bank_csv.splitlines(keepends=True) if "abc" not in line)
    _upload(page, tmp_path, bank, "bank.csv", bank_csv.encode("gbk"))
    page.click("#confirm-bill")
    page.wait_for_selector("#bill-status:text('Imported')")

    page.goto(f"{page.base}/staff/fundraising/reconciliation/")
    assert "Same amount and day" in page.inner_text("#reconciled-lines")
    unmatched = page.locator("#unmatched-lines tr[data-line]")
    assert unmatched.count() == 2  # the account fee, and the charity platform's payout never imported here
    page.locator('#unmatched-lines tr[data-line="B2026111200003"] a').click()
    page.fill("#explain-form textarea[name=reason]", "银行账户管理费，12月补记")
    page.click("#explain-form button[type=submit]")
    page.wait_for_selector("#unmatched-lines")
    assert page.locator('#unmatched-lines tr[data-line="B2026111200003"]').count() == 0
    line = BankLine.objects.get(external_id="B2026111200003")
    assert (line.status, line.resolved_by) == (BankLine.Status.EXPLAINED, finance)
    assert "银行账户管理费" in page.inner_text("#reconciled-lines")
