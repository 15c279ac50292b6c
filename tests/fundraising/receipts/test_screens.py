"""The staff screens of the register and of donors, the export for the financial receipt system, and where
a donation shows whether its official receipt was issued."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fundraising import ledger
from fundraising.models import Donation, OfficialReceipt
from fundraising.receipts import exports
from fundraising.receipts import services as receipts

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(people):
    def make(role):
        client = Client()
        client.force_login(people[role], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def register(gift, person_gift, finance):
    """A live receipt (funder), a voided one and the receipt that replaced it (a person)."""
    today = timezone.localdate()
    live = receipts.receipt_issue(
        donation=gift, by=finance, code="15010126", number="00000101", issued_on=today
    )
    old = receipts.receipt_issue(
        donation=person_gift,
        by=finance,
        code="15010126",
        number="00000102",
        issued_on=today,
        payer_email="zhang@example.org",
    )
    new = receipts.receipt_reissue(
        receipt=old, by=finance, reason="交款人姓名有误", code="15010126", issued_on=today, payer_name="张伟"
    )
    return {"live": live, "old": old, "new": new}


def test_issue_screen_issues_and_refuses_bad_input_at_the_field(client_for, gift):
    client = client_for("finance_officer")
    url = reverse("fundraising:receipt_issue", args=[gift.pk])
    page = client.get(url)
    assert page.status_code == 200 and "15010126" in page.content.decode()
    bad = client.post(url, {"code": "15010126", "number": "12x", "issued_on": timezone.localdate()})
    assert bad.status_code == 400 and "digits only" in bad.content.decode()
    assert not OfficialReceipt.objects.exists()
    done = client.post(url, {"code": "15010126", "number": "", "issued_on": timezone.localdate()})
    receipt = OfficialReceipt.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "fundraising:receipt_detail", args=[receipt.pk]
    )
    again = client.get(url)
    assert 'id="live-receipt"' in again.content.decode()


def test_void_and_reissue_from_the_receipt_screen(client_for, register):
    client = client_for("administrator")
    live = register["live"]
    empty = client.post(reverse("fundraising:receipt_void", args=[live.pk]), {"reason": ""})
    assert empty.status_code == 400
    live.refresh_from_db()
    assert live.state == "issued"
    response = client.post(
        reverse("fundraising:receipt_reissue", args=[live.pk]),
        {"reason": "Lost in the post", "code": "15010126", "number": "", "issued_on": timezone.localdate()},
    )
    new = OfficialReceipt.objects.get(replaces=live)
    assert response.status_code == 302 and new.number == "00000104"
    page = client.get(reverse("fundraising:receipt_detail", args=[live.pk])).content.decode()
    assert 'id="replaced-by"' in page and "Lost in the post" in page


def test_register_lists_and_filters(client_for, register):
    client = client_for("finance_officer")
    url = reverse("fundraising:receipt_list")
    page = client.get(url).content.decode()
    for r in register.values():
        assert f'data-receipt="{r.serial}"' in page
    voided = client.get(url, {"state": "voided"}).content.decode()
    assert 'data-receipt="15010126-00000102"' in voided and "15010126-00000101" not in voided
    by_donor = client.get(url, {"donor": "张伟"}).content.decode()
    assert 'data-receipt="15010126-00000103"' in by_donor and "15010126-00000101" not in by_donor
    next_year = client.get(url, {"year": timezone.localdate().year + 1})
    assert next_year.status_code == 400  # not a year of the register


def test_export_columns_for_the_financial_receipt_system(client_for, register):
    client = client_for("finance_officer")
    response = client.get(reverse("fundraising:receipt_export_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == exports.COLUMNS
    assert rows[0][:4] == ["票据代码", "票据号码", "开票日期", "交款人"]
    by_number = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_number["00000101"]["状态"] == "正常" and by_number["00000101"]["金额"] == "3000.00"
    assert by_number["00000101"]["交款人类型"] == "单位"
    assert by_number["00000102"]["状态"] == "作废" and by_number["00000102"]["作废原因"] == "交款人姓名有误"
    reissued = by_number["00000103"]
    assert (reissued["交款人"], reissued["交款人类型"], reissued["原票据号码"]) == (
        "张伟",
        "个人",
        "00000102",
    )
    assert reissued["交款人邮箱"] == "zhang@example.org"
    xlsx = client.get(reverse("fundraising:receipt_export_xlsx"), {"state": "live"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert list(values[0]) == exports.COLUMNS and len(values) == 3
    assert Decimal(str(values[1][7])) in {Decimal("3000.00"), Decimal("500.00")}


def test_export_in_the_e_receipt_synchronisation_layout(client_for, register):
    """The published field layout of the public-welfare e-receipt sync interface: a live receipt is status 1,
    a voided one 2, a voided one that another receipt replaced 4 (已换开); type 2 is a donation."""
    client = client_for("finance_officer")
    response = client.get(reverse("fundraising:receipt_export_sync"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == exports.SYNC_COLUMNS
    by_number = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    live = by_number["00000101"]
    assert (live["status"], live["type"], live["amount"], live["invoice_type"]) == (
        "1",
        "2",
        "3000.00",
        "enterprise",
    )
    assert live["invoice_name"] == "公益事业捐赠统一票据" and live["time"].isdigit()
    receipt = OfficialReceipt.objects.get(number="00000101")
    assert int(live["time"]) == int(
        datetime.datetime.combine(
            receipt.issued_on, datetime.time.min, tzinfo=timezone.get_current_timezone()
        ).timestamp()
    )
    assert by_number["00000102"]["status"] == "4"  # voided, then replaced by 00000103
    assert (by_number["00000103"]["status"], by_number["00000103"]["invoice_type"]) == ("1", "person")
    # Anyone but finance staff is refused.
    assert client_for("programme_officer").get(reverse("fundraising:receipt_export_sync")).status_code in (
        302,
        403,
    )


def test_export_escapes_text_that_starts_like_a_formula(finance, day):
    from tests.factories.fundraising import donate

    gift = donate(
        fund=ledger.general_fund(), amount="10.00", by=finance, received_on=day, donor_name="=HYPERLINK(1)"
    )
    receipts.receipt_issue(
        donation=gift, by=finance, code="1", issued_on=timezone.localdate(), payer_phone="13800000000"
    )
    text = exports.register_csv(OfficialReceipt.objects.all()).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_donation_screens_show_whether_the_receipt_was_issued(client_for, register, gift, finance):
    from tests.factories.fundraising import donate

    open_gift = donate(fund=ledger.general_fund(), amount="42.00", by=finance)
    client = client_for("finance_officer")
    recent = client.get(reverse("fundraising:donation_new")).content.decode()
    assert 'data-official-receipt="issued"' in recent
    assert reverse("fundraising:receipt_issue", args=[open_gift.pk]) in recent
    admin = client_for("administrator").get(reverse("admin:fundraising_donation_changelist")).content.decode()
    assert "official receipt issued" in admin.lower()
    # The public lookup, with the receipt number and amount of the gift.
    lookup = Client().get(
        reverse("fundraising:donation_lookup"), {"receipt_number": gift.receipt_number, "amount": "3000.00"}
    )
    assert lookup.status_code == 200 and "15010126-00000101" in lookup.content.decode()
    other = Client().get(
        reverse("fundraising:donation_lookup"),
        {"receipt_number": open_gift.receipt_number, "amount": "42.00"},
    )
    assert 'id="official-receipt"' in other.content.decode() and "15010126-" not in other.content.decode()


def test_donor_screens_and_statement_requests(client_for, register, gift, django_capture_on_commit_callbacks):
    client = client_for("finance_officer")
    listing = client.get(reverse("fundraising:donor_list")).content.decode()
    assert "包钢集团社区公益基金" in listing and "张伟" in listing
    donor_url = reverse("fundraising:donor_detail", args=["funder", gift.funder_id])
    page = client.get(donor_url)
    assert page.status_code == 200 and f'data-donation="{gift.pk}"' in page.content.decode()
    assert client.get(reverse("fundraising:donor_detail", args=["nobody", 1])).status_code == 404
    year = timezone.localdate().year
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            reverse("fundraising:donor_statement", args=["funder", gift.funder_id]),
            {"year": year, "language": "zh-hans"},
        )
    assert made.status_code == 302 and "/documents/" in made["Location"]
    bad = client.post(
        reverse("fundraising:donor_statement_send", args=["funder", gift.funder_id]),
        {"year": year, "language": "en", "to": "not-an-address"},
    )
    assert bad.status_code == 400
    # The person's page: only the gift receipted to that name and contact.
    person = client.get(
        reverse("fundraising:donor_detail", args=["payer", register["new"].pk])
    ).content.decode()
    assert (
        f'data-donation="{register["new"].donation_id}"' in person
        and f'data-donation="{gift.pk}"' not in person
    )


def test_a_live_receipt_of_a_donation_reversed_elsewhere_is_flagged(client_for, register):
    # A path that reverses a donation without the donation service (a data fix) leaves its receipt live.
    Donation.objects.filter(pk=register["live"].donation_id).update(status="reversed")
    page = client_for("finance_officer").get(reverse("fundraising:receipt_list")).content.decode()
    assert 'id="needing-void"' in page
    flagged = client_for("finance_officer").get(reverse("fundraising:receipt_list"), {"state": "attention"})
    assert 'data-receipt="15010126-00000101"' in flagged.content.decode()
