"""The demo's bills (make run): an Alipay statement, a WeChat Pay bill and a bank statement with one line left
to reconcile, in the first open month; seeding twice adds nothing."""

import io
from types import SimpleNamespace

import pytest

from empowerment.authz import FINANCE_OFFICER
from fundraising import ledger
from fundraising.bills import demo, reconcile
from fundraising.bills.models import BankLine, PlatformBill
from fundraising.models import Donation
from tests.factories.core import staff_user

pytestmark = pytest.mark.django_db


def test_demo_bills_leave_one_bank_line_to_reconcile():
    staff_user(FINANCE_OFFICER, email="finance@demo.example")
    ctx = SimpleNamespace(stdout=io.StringIO())
    demo.seed(ctx)
    assert set(PlatformBill.objects.values_list("status", flat=True)) == {PlatformBill.Status.IMPORTED}
    assert PlatformBill.objects.count() == 3
    assert Donation.objects.count() == 6
    assert Donation.objects.filter(status=Donation.Status.REVERSED).count() == 1
    assert list(BankLine.objects.values_list("status", "method").order_by("occurred_on", "pk")) == [
        (BankLine.Status.MATCHED, BankLine.Method.EXACT),  # the Alipay payout
        (BankLine.Status.MATCHED, BankLine.Method.PAYOUT),  # WeChat's settlement, recorded from the bank line
        (BankLine.Status.UNMATCHED, ""),  # the account fee
    ]
    assert reconcile.platform_holdings() == {}  # WeChat paid out all it held
    demo.seed(ctx)
    assert PlatformBill.objects.count() == 3
    assert ledger.ledger_verify() == []
