"""The official receipt register: issuing, voiding, reissuing, and what the database refuses."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fundraising import ledger, services
from fundraising.models import OfficialReceipt
from fundraising.receipts import services as receipts
from tests.factories.fundraising import donate

pytestmark = pytest.mark.django_db


def issue(donation, by, **kw):
    kw.setdefault("code", "15010126")
    kw.setdefault("issued_on", timezone.localdate())
    return receipts.receipt_issue(donation=donation, by=by, **kw)


def test_issue_takes_the_whole_amount_the_funder_as_payer_and_the_next_number(gift, finance):
    first = issue(gift, finance)
    assert (first.number, first.amount, first.payer_name, first.funder) == (
        "00000001",
        Decimal("3000.00"),
        "包钢集团社区公益基金",
        gift.funder,
    )
    assert first.state == "issued" and first.issued_by == finance
    other = donate(fund=ledger.general_fund(), amount="80.00", by=finance, funder=gift.funder)
    assert issue(other, finance).number == "00000002"


def test_a_second_live_receipt_for_a_donation_is_refused_by_the_service(gift, finance):
    issue(gift, finance)
    with pytest.raises(ValidationError) as exc:
        issue(gift, finance, number="77")
    assert exc.value.code == "live"
    assert OfficialReceipt.objects.filter(donation=gift).count() == 1


def test_the_database_refuses_two_live_receipts_for_one_donation(gift, finance):
    live = issue(gift, finance)
    copy = OfficialReceipt(
        code=live.code,
        number="99",
        donation=gift,
        payer_name="x",
        amount=live.amount,
        issued_on=live.issued_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_a_voided_number_is_never_issued_again(gift, finance):
    first = issue(gift, finance, number="120")
    receipts.receipt_void(receipt=first, by=finance, reason="Wrong payer name")
    # The service says why, at the number field.
    with pytest.raises(ValidationError) as exc:
        issue(gift, finance, number="120")
    assert "never issued again" in " ".join(exc.value.message_dict["number"])
    # The database refuses it too, whatever the state of the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialReceipt.objects.create(
            code=first.code,
            number="120",
            donation=gift,
            payer_name="x",
            amount=gift.amount,
            issued_on=first.issued_on,
        )
    # The next number skips the voided one.
    assert issue(gift, finance).number == "121"


def test_void_needs_a_reason_and_records_who_and_when(gift, finance):
    receipt = issue(gift, finance)
    with pytest.raises(ValidationError) as exc:
        receipts.receipt_void(receipt=receipt, by=finance, reason="  ")
    assert "reason" in exc.value.message_dict
    receipt.refresh_from_db()
    assert receipt.state == "issued"
    receipts.receipt_void(receipt=receipt, by=finance, reason="Printed twice")
    receipt.refresh_from_db()
    assert (receipt.state, receipt.void_reason, receipt.voided_by) == ("voided", "Printed twice", finance)
    assert receipt.voided_at is not None
    with pytest.raises(ValidationError):
        receipts.receipt_void(receipt=receipt, by=finance, reason="again")


def test_the_database_refuses_a_void_without_reason(gift, finance):
    receipt = issue(gift, finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialReceipt.objects.filter(pk=receipt.pk).update(state="voided", voided_at=timezone.now())


def test_reissue_voids_the_live_receipt_and_links_the_new_one(gift, finance):
    old = issue(gift, finance, number="10")
    with pytest.raises(ValidationError):  # a live receipt is voided with a reason
        receipts.receipt_reissue(receipt=old, by=finance, code="15010126", issued_on=timezone.localdate())
    new = receipts.receipt_reissue(
        receipt=old,
        by=finance,
        reason="Payer's name misspelt",
        code="15010126",
        issued_on=timezone.localdate(),
        payer_name="包钢集团社区公益基金会",
    )
    old.refresh_from_db()
    assert old.state == "voided" and old.void_reason == "Payer's name misspelt"
    assert (new.state, new.replaces, new.number, new.payer_name) == (
        "reissued",
        old,
        "11",
        "包钢集团社区公益基金会",
    )
    assert old.replaced_by == new
    with pytest.raises(ValidationError) as exc:  # replaced once at most
        receipts.receipt_reissue(receipt=old, by=finance, code="15010126", issued_on=timezone.localdate())
    assert exc.value.code == "replaced"
    # The reissued receipt can itself be voided and replaced, and the chain stays linked.
    newer = receipts.receipt_reissue(
        receipt=new, by=finance, reason="Wrong date", code="15010126", issued_on=timezone.localdate()
    )
    assert (
        newer.replaces == new
        and OfficialReceipt.objects.filter(donation=gift, state__in=["issued", "reissued"]).get() == newer
    )


def test_the_database_refuses_a_reissue_without_the_receipt_it_replaces(gift, finance):
    receipt = issue(gift, finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialReceipt.objects.filter(pk=receipt.pk).update(state="reissued")


def test_reversing_a_donation_voids_its_receipt(gift, finance):
    receipt = issue(gift, finance)
    services.donation_reverse(donation=gift, by=finance, reason="Paid twice by the bank")
    receipt.refresh_from_db()
    assert receipt.state == "voided"
    assert "Paid twice by the bank" in receipt.void_reason and receipt.voided_by == finance


def test_a_reversed_donation_gets_no_receipt(gift, finance):
    services.donation_reverse(donation=gift, by=finance, reason="Mistake")
    with pytest.raises(ValidationError) as exc:
        issue(gift, finance)
    assert exc.value.code == "reversed"
    assert not OfficialReceipt.objects.exists()


def test_a_person_without_name_or_contact_is_refused_at_the_field(finance):
    anonymous = donate(fund=ledger.general_fund(), amount="20.00", by=finance)
    with pytest.raises(ValidationError) as exc:
        issue(anonymous, finance)
    assert "payer_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        issue(anonymous, finance, payer_name="李女士")
    assert "payer_email" in exc.value.message_dict
    receipt = issue(anonymous, finance, payer_name="李女士", payer_phone="138 0000 1111")
    assert receipt.payer_phone == "13800001111" and receipt.funder is None


def test_bad_serials_and_dates_are_refused_at_their_fields(gift, finance):
    for kwargs, field in (
        ({"code": "AB12"}, "code"),
        ({"number": "12a"}, "number"),
        ({"issued_on": timezone.localdate() + datetime.timedelta(days=1)}, "issued_on"),
        ({"issued_on": gift.received_on - datetime.timedelta(days=1)}, "issued_on"),
    ):
        with pytest.raises(ValidationError) as exc:
            issue(gift, finance, **kwargs)
        assert field in exc.value.message_dict, kwargs
    assert not OfficialReceipt.objects.exists()


def test_only_finance_staff_issue_or_void(gift, people):
    for role in ("programme_officer", "trainer", "a_admin"):
        with pytest.raises(PermissionDenied):
            issue(gift, people[role])
    receipt = issue(gift, people["administrator"])
    with pytest.raises(PermissionDenied):
        receipts.receipt_void(receipt=receipt, by=people["programme_officer"], reason="x")
    receipt.refresh_from_db()
    assert receipt.state == "issued"
