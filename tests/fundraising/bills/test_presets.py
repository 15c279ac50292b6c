"""Each preset with its sample bill (fees, a refund, a duplicate row and a bad row): the dry run finds the
bad row at its line and column and imports nothing; the corrected bill records gifts at gross, fees as a
fundraising cost, the refund as a reversal, payouts as a transfer to the bank; the same bill again adds
nothing; the books stay sound."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from fundraising import ledger
from fundraising.bills import presets, services
from fundraising.bills.models import BankLine, BillLine, PlatformBill
from fundraising.models import Donation, Fund, LedgerEntry

from .conftest import sample, upload

pytestmark = pytest.mark.django_db


def balance(code: str, fund=None) -> Decimal:
    qs = LedgerEntry.objects.filter(account__code=code)
    if fund is not None:
        qs = qs.filter(fund=fund)
    return Decimal(qs.aggregate(s=Sum("amount"))["s"] or 0).quantize(Decimal("0.01"))


def assert_books_sound():
    assert ledger.ledger_verify() == []
    for fund in Fund.objects.all():
        assert fund.balance == ledger.fund_balance(fund)


def import_twice(channel, user, data, **kwargs):
    bill = upload(channel, user, data, **kwargs)
    assert bill.errors == []
    services.bill_import(bill=bill, by=user, shown=services.fingerprint(bill))
    again = upload(channel, user, data, **kwargs)
    assert again.summary["new"] == 0
    with pytest.raises(ValidationError, match="nothing new"):
        services.bill_import(bill=again, by=user)
    return bill, again


def test_wechat_trade_bill(channels, finance):
    wechat = channels["wechat-pay"]
    data = sample("wechat_trade_bill.csv")
    assert presets.parse(data).encoding == "gb18030"

    bad = upload(wechat, finance, data)
    assert bad.preset == PlatformBill.Preset.WECHAT
    assert bad.errors == [
        {"row": 7, "field": "应结订单金额", "message": "Enter an amount in yuan, such as 1250.50."}
    ]
    with pytest.raises(ValidationError, match="rows in error"):
        services.bill_import(bill=bad, by=finance)
    assert not Donation.objects.exists() and not LedgerEntry.objects.exists()

    bill, again = import_twice(wechat, finance, sample("wechat_trade_bill.csv", drop="oUpF8uBadRow"))
    assert bill.summary["new"] == 8 and bill.summary["duplicates"] == 2
    assert again.summary["duplicates"] == 10
    assert Donation.objects.count() == 3
    refunded = Donation.objects.get(external_id="4200002026110200003")
    assert refunded.status == Donation.Status.REVERSED
    assert refunded.ledger_transaction.reversed_by.date.isoformat() == "2026-11-03"
    general = ledger.general_fund()
    assert balance("asset:clearing:wechat-pay", general) == Decimal("695.80")
    assert balance("expense:fundraising:platform-fees") == Decimal("4.20")
    assert balance("income:wechat-pay") == Decimal("-700.00")
    assert general.__class__.objects.get(pk=general.pk).balance == Decimal("695.80")
    assert BillLine.objects.filter(kind=BillLine.Kind.FEE).count() == 3
    assert_books_sound()


def test_alipay_account_statement(channels, finance):
    alipay = channels["alipay-account"]
    bad = upload(alipay, finance, sample("alipay_account_statement.csv"))
    assert bad.preset == PlatformBill.Preset.ALIPAY
    assert [(e["row"], e["field"]) for e in bad.errors] == [(13, "发生时间")]

    bill, again = import_twice(alipay, finance, sample("alipay_account_statement.csv", drop="2026年13月"))
    assert bill.summary["new"] == 7 and bill.summary["duplicates"] == 1
    general = ledger.general_fund()
    assert balance("asset:clearing:alipay-account") == Decimal("0.00")
    assert balance("asset:bank", general) == Decimal("994.00")
    assert balance("expense:fundraising:platform-fees") == Decimal("6.00")
    assert balance("income:alipay-account") == Decimal("-1000.00")
    gift = Donation.objects.get(external_id="2026110422001400001")
    assert gift.status == Donation.Status.REVERSED and gift.amount == Decimal("300.00")
    payout = BillLine.objects.get(kind=BillLine.Kind.PAYOUT)
    assert (payout.external_id, payout.amount) == ("20261106200040011100110000007", Decimal("994.00"))
    assert_books_sound()


def test_charity_platform_export(channels, finance, elder_fund):
    tencent = channels["tencent"]
    bad = upload(tencent, finance, sample("charity_platform_export.csv"))
    assert bad.preset == PlatformBill.Preset.CHARITY
    assert bad.encoding == "utf-8-sig"
    assert [(e["row"], e["field"]) for e in bad.errors] == [(7, "项目名称")]
    assert "不存在的项目" in bad.errors[0]["message"]

    bill, again = import_twice(tencent, finance, sample("charity_platform_export.csv", drop="不存在的项目"))
    assert bill.summary["new"] == 9 and bill.summary["duplicates"] == 2
    general = ledger.general_fund()
    assert balance("asset:clearing:tencent") == Decimal("0.00")
    # The payout moved each fund's money from the platform to the bank: 100 − 0.60 and 20 − 0.12.
    assert balance("asset:bank", elder_fund) == Decimal("99.40")
    assert balance("asset:bank", general) == Decimal("19.88")
    assert Donation.objects.get(external_id="GY2026110700001").fund == elder_fund
    assert Donation.objects.get(external_id="GY2026110700002").status == Donation.Status.REVERSED
    assert_books_sound()


def test_bank_statement(channels, finance):
    bank = channels["bank"]
    bad = upload(bank, finance, sample("bank_statement.csv"))
    assert bad.preset == PlatformBill.Preset.BANK
    assert [(e["row"], e["field"]) for e in bad.errors] == [(6, "收入金额")]

    bill, again = import_twice(bank, finance, sample("bank_statement.csv", drop="abc"))
    assert bill.summary["new"] == 3 and bill.summary["duplicates"] == 1
    assert list(BankLine.objects.order_by("row").values_list("amount", flat=True)) == [
        Decimal("994.00"),
        Decimal("119.28"),
        Decimal("-15.00"),
    ]
    assert not LedgerEntry.objects.exists()  # a statement is evidence; it posts nothing


def test_a_bill_goes_into_its_kind_of_channel(channels, finance):
    with pytest.raises(ValidationError) as exc:
        upload(channels["bank"], finance, sample("wechat_trade_bill.csv"))
    assert "channel" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        upload(channels["tencent"], finance, sample("bank_statement.csv"))
    assert "channel" in exc.value.message_dict


def test_unrecognised_and_unreadable_files_are_refused_at_the_file(channels, finance):
    with pytest.raises(ValidationError) as exc:
        upload(channels["tencent"], finance, "日期,金额\n2026-11-01,5\n".encode())
    assert "No bill layout recognised" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        upload(channels["tencent"], finance, b"\xff\xfe\x00\x00" * 50)
    assert exc.value.message_dict["file"]
    assert not PlatformBill.objects.exists()


def test_overlapping_bills_add_nothing_twice(channels, finance):
    """Two days' WeChat bills that share a day: the shared rows are duplicates of the first import."""
    wechat = channels["wechat-pay"]
    data = sample("wechat_trade_bill.csv", drop="oUpF8uBadRow")
    first = sample("wechat_trade_bill.csv", drop="REFUND").decode("gbk")
    first = "".join(line for line in first.splitlines(keepends=True) if "oUpF8uBadRow" not in line)
    bill = upload(wechat, finance, first.encode("gbk"))
    services.bill_import(bill=bill, by=finance)
    overlapping = upload(wechat, finance, data)
    assert overlapping.summary["new"] == 2  # the refund and the fee it returned
    services.bill_import(bill=overlapping, by=finance)
    assert Donation.objects.count() == 3
    assert_books_sound()


def test_a_refund_of_an_unknown_order_is_a_row_error(channels, finance):
    text = sample("wechat_trade_bill.csv").decode("gbk")
    only_refund = "".join(
        line
        for line in text.splitlines(keepends=True)
        if "REFUND" in line or line.startswith(("交易时间", "总"))
    )
    bill = upload(channels["wechat-pay"], finance, only_refund.encode("gbk"))
    assert bill.errors and bill.errors[0]["row"] == 2
    assert "not recorded" in bill.errors[0]["message"]


def test_the_import_refuses_what_the_dry_run_did_not_show(channels, finance):
    wechat = channels["wechat-pay"]
    data = sample("wechat_trade_bill.csv", drop="oUpF8uBadRow")
    first = upload(wechat, finance, data)
    second = upload(wechat, finance, data)
    with pytest.raises(ValidationError, match="not the dry run"):
        services.bill_import(bill=first, by=finance, shown="stale")
    services.bill_import(bill=first, by=finance, shown=services.fingerprint(first))
    with pytest.raises(ValidationError, match="books changed"):
        services.bill_import(bill=second, by=finance, shown=services.fingerprint(second))
    assert Donation.objects.count() == 3


def test_only_finance_staff_import(channels, people):
    from django.core.exceptions import PermissionDenied

    for role in ("programme_officer", "trainer", "a_admin"):
        with pytest.raises(PermissionDenied):
            upload(channels["wechat-pay"], people[role], sample("wechat_trade_bill.csv"))
    bill = upload(
        channels["wechat-pay"], people["administrator"], sample("wechat_trade_bill.csv", drop="BadRow")
    )
    with pytest.raises(PermissionDenied):
        services.bill_import(bill=bill, by=people["programme_officer"])
    assert not Donation.objects.exists()


def test_a_part_refund_takes_the_amount_back_from_income_and_keeps_the_donation(channels, finance):
    text = sample("wechat_trade_bill.csv", drop="BadRow").decode("gbk")
    text = text.replace("`100.00,`0.00,`ORIGINAL", "`40.00,`0.00,`ORIGINAL").replace("`-0.60000", "`-0.24000")
    bill = upload(channels["wechat-pay"], finance, text.encode("gbk"))
    assert bill.errors == []
    services.bill_import(bill=bill, by=finance)
    gift = Donation.objects.get(external_id="4200002026110200003")
    assert gift.status == Donation.Status.RECORDED
    refund = BillLine.objects.get(kind=BillLine.Kind.REFUND)
    assert (refund.donation, refund.amount, refund.ledger_transaction.kind) == (
        gift,
        Decimal("40.00"),
        "adjustment",
    )
    assert balance("income:wechat-pay") == Decimal("-760.00")
    assert balance("expense:fundraising:platform-fees") == Decimal("4.56")
    # What is left of the gift can be refunded, not more.
    more = text.replace("50000000012026110300001", "50000000012026110300002").replace(
        "`40.00,`0.00,`ORIGINAL", "`60.01,`0.00,`ORIGINAL"
    )
    again = upload(channels["wechat-pay"], finance, more.encode("gbk"))
    assert [e["row"] for e in again.errors] == [6]
    assert "more than what is left of the gift (60.00)" in again.errors[0]["message"]
    assert_books_sound()


def _receipted_gift(wechat, finance, number=""):
    """The WeChat bill without its refund imported, and the official receipt of the 100.00 gift issued."""
    from datetime import date  # noqa: PLC0415

    from fundraising.receipts.services import receipt_issue  # noqa: PLC0415

    first = sample("wechat_trade_bill.csv", drop="REFUND").decode("gbk")
    first = "".join(line for line in first.splitlines(keepends=True) if "oUpF8uBadRow" not in line)
    services.bill_import(bill=upload(wechat, finance, first.encode("gbk")), by=finance)
    gift = Donation.objects.get(external_id="4200002026110200003")
    receipt = receipt_issue(
        donation=gift, by=finance, code="11010126", number=number, issued_on=date(2026, 11, 2),
        payer_name="王芳", payer_phone="13800000000",
    )  # fmt: skip
    return gift, receipt


def test_a_refund_in_a_later_bill_voids_the_official_receipt_of_its_gift(channels, finance):
    """The gift is imported, its official receipt issued; the next day's bill refunds it: the donation is
    reversed and its receipt voided, naming the refund, in the same transaction."""

    from fundraising.receipts.models import OfficialReceipt  # noqa: PLC0415

    wechat = channels["wechat-pay"]
    gift, receipt = _receipted_gift(wechat, finance)
    assert receipt.state == OfficialReceipt.State.ISSUED

    services.bill_import(
        bill=upload(wechat, finance, sample("wechat_trade_bill.csv", drop="oUpF8uBadRow")), by=finance
    )
    gift.refresh_from_db()
    receipt.refresh_from_db()
    assert gift.status == Donation.Status.REVERSED
    assert receipt.state == OfficialReceipt.State.VOIDED
    assert "REF20261103001" in receipt.void_reason or "50000000012026110300001" in receipt.void_reason
    assert_books_sound()


def test_a_part_refund_in_a_later_bill_voids_the_receipt_and_reissues_it_at_what_the_donor_kept_giving(
    channels, finance
):
    """The 100.00 gift is imported and receipted; the next bill refunds 40.00 of it: the receipt of 100.00 is
    voided naming the refund, a receipt of 60.00 replaces it under the next number of the same book, and the
    donor's statement counts 60.00. A second part refund replaces that one in turn."""

    from fundraising.receipts.models import OfficialReceipt  # noqa: PLC0415
    from fundraising.selectors import donors  # noqa: PLC0415

    wechat = channels["wechat-pay"]
    gift, receipt = _receipted_gift(wechat, finance, number="00000007")
    assert receipt.amount == Decimal("100.00")

    part = sample("wechat_trade_bill.csv", drop="oUpF8uBadRow").decode("gbk")
    part = part.replace("`100.00,`0.00,`ORIGINAL", "`40.00,`0.00,`ORIGINAL").replace("`-0.60000", "`-0.24000")
    services.bill_import(bill=upload(wechat, finance, part.encode("gbk")), by=finance)
    gift.refresh_from_db()
    receipt.refresh_from_db()
    assert gift.status == Donation.Status.RECORDED
    assert receipt.state == OfficialReceipt.State.VOIDED and "50000000012026110300001" in receipt.void_reason
    new = OfficialReceipt.objects.get(replaces=receipt)
    assert (new.state, new.amount, new.code, new.number) == (
        OfficialReceipt.State.REISSUED,
        Decimal("60.00"),
        "11010126",
        "00000008",
    )
    assert (new.payer_name, new.payer_phone) == ("王芳", "13800000000")
    assert donors.net_amount(gift) == Decimal("60.00")
    donor = donors.donor_for_receipt(new)
    statement = donors.donor_statement(donor, 2026)
    assert statement["total"] == Decimal("60.00")
    assert [row["donation"].net_amount for row in statement["gifts"]] == [Decimal("60.00")]

    second = part.replace("50000000012026110300001", "50000000012026110300002")
    services.bill_import(bill=upload(wechat, finance, second.encode("gbk")), by=finance)
    new.refresh_from_db()
    assert new.state == OfficialReceipt.State.VOIDED
    assert OfficialReceipt.objects.get(replaces=new).amount == Decimal("20.00")
    assert OfficialReceipt.objects.filter(donation=gift, state__in=["issued", "reissued"]).count() == 1
    assert_books_sound()
