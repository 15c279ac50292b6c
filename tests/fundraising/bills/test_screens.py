"""The bill and reconciliation screens as a finance officer meets them: a bad row shown at its line and column
with no way to confirm, the corrected bill confirmed, a bank line matched by hand or explained (a blank
reason refused at its field), the dashboard's reconciliation state; staff without the role are refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fundraising import ledger
from fundraising.bills.models import BankLine, PlatformBill
from fundraising.models import Donation

from .conftest import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_finance(client, finance):
    client.force_login(finance, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _post_bill(client, channel, data: bytes, name="bill.csv"):
    return client.post(
        reverse("fundraising:bill_list"),
        {"channel": channel.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_upload_shows_the_bad_row_then_the_corrected_bill_is_confirmed(client_finance, channels):
    wechat = channels["wechat-pay"]
    response = _post_bill(client_finance, wechat, sample("wechat_trade_bill.csv"))
    bill = PlatformBill.objects.get()
    assert response.status_code == 302 and response.url == reverse("fundraising:bill_detail", args=[bill.pk])
    page = client_finance.get(response.url).content.decode()
    assert 'id="bill-errors"' in page and "<td>7</td><td>应结订单金额</td>" in page
    assert 'id="confirm-bill"' not in page

    response = _post_bill(client_finance, wechat, sample("wechat_trade_bill.csv", drop="BadRow"))
    bill = PlatformBill.objects.latest("pk")
    page = client_finance.get(response.url).content.decode()
    assert 'id="confirm-bill"' in page and "Record 8 events" in page
    response = client_finance.post(
        reverse("fundraising:bill_import", args=[bill.pk]), {"shown": f"{bill.file_sha256}:stale"}
    )
    assert Donation.objects.count() == 0
    from fundraising.bills.services import fingerprint

    client_finance.post(reverse("fundraising:bill_import", args=[bill.pk]), {"shown": fingerprint(bill)})
    bill.refresh_from_db()
    assert bill.status == PlatformBill.Status.IMPORTED and Donation.objects.count() == 3


def test_a_file_of_no_known_layout_is_refused_at_the_file_field(client_finance, channels):
    response = _post_bill(client_finance, channels["tencent"], "日期,金额\n2026-11-01,5\n".encode())
    assert response.status_code == 400
    assert "No bill layout recognised" in response.content.decode()
    assert not PlatformBill.objects.exists()


def test_a_bank_line_matched_by_hand_and_another_explained(client_finance, channels, finance):
    statement = (
        "交易日期,摘要,收入金额,支出金额,余额,对方户名,对方账号,流水号\n"
        "2026-11-20,捐款,800.00,,800.00,内蒙古某某公司,6222,S1\n"
        "2026-11-21,账户管理费,,15.00,785.00,,,S2\n"
    )
    _post_bill(client_finance, channels["bank"], statement.encode("gbk"))
    bill = PlatformBill.objects.get()
    from fundraising.bills.services import fingerprint

    client_finance.post(reverse("fundraising:bill_import", args=[bill.pk]), {"shown": fingerprint(bill)})
    gift_line, fee_line = BankLine.objects.get(external_id="S1"), BankLine.objects.get(external_id="S2")
    assert gift_line.status == fee_line.status == BankLine.Status.UNMATCHED
    # The transfer was recorded in the books a week later than it reached the bank.
    from fundraising import services

    donation = services.donation_record(
        channel=channels["bank"],
        amount=Decimal("800.00"),
        received_on=datetime.date(2026, 11, 27),
        fund=ledger.general_fund(),
        receipt_number="BANK-1",
        by=finance,
    )
    url = reverse("fundraising:bank_line_detail", args=[gift_line.pk])
    page = client_finance.get(url).content.decode()
    assert f'data-tx="{donation.ledger_transaction_id}"' in page
    response = client_finance.post(url, {"action": "match", "transaction": donation.ledger_transaction_id})
    assert response.status_code == 302
    gift_line.refresh_from_db()
    assert (gift_line.status, gift_line.method) == (BankLine.Status.MATCHED, BankLine.Method.MANUAL)

    url = reverse("fundraising:bank_line_detail", args=[fee_line.pk])
    response = client_finance.post(url, {"action": "explain", "reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client_finance.post(url, {"action": "match", "transaction": donation.ledger_transaction_id})
    assert response.status_code == 400 and "moves 800.00 on the bank account" in response.content.decode()
    client_finance.post(url, {"action": "explain", "reason": "银行账户管理费"})
    fee_line.refresh_from_db()
    assert fee_line.status == BankLine.Status.EXPLAINED

    page = client_finance.get(reverse("fundraising:reconciliation")).content.decode()
    assert "Every bank line is reconciled." in page
    dashboard = client_finance.get(reverse("fundraising:dashboard")).content.decode()
    assert 'id="dashboard-reconciliation"' in dashboard
    assert 'data-month="2026-11"' in dashboard and "Reconciled" in dashboard


def test_the_dashboard_shows_a_month_still_to_reconcile_to_every_staff_member(client, channels, people):
    from fundraising.bills.services import bill_import, bill_upload

    bill = bill_upload(
        channel=channels["bank"],
        upload=SimpleUploadedFile("b.csv", sample("bank_statement.csv", drop="abc")),
        by=people["finance_officer"],
    )
    bill_import(bill=bill, by=people["finance_officer"])
    client.force_login(people["programme_officer"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("fundraising:dashboard")).content.decode()
    assert 'id="dashboard-reconciliation"' in page and "To do" in page
    assert reverse("fundraising:reconciliation") not in page  # the link is for finance staff
    assert client.get(reverse("fundraising:reconciliation")).status_code == 403
