"""Grants paid in tranches, and the donation receipt PDF rendered by the shared pipeline."""

import datetime
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from empowerment.documents.services import document_request
from fundraising import ledger, services
from fundraising.models import Donation, Grant, GrantTranche, LedgerEntry
from tests.factories.fundraising import ChannelFactory, FunderFactory, donate

pytestmark = pytest.mark.django_db


def _contract():
    funder = FunderFactory(name="包头市民政局", kind="government")
    grant = Grant.objects.create(
        funder=funder,
        kind=Grant.Kind.CONTRACT,
        title="Government purchase of elderly care services",
        total=Decimal("90000.00"),
        signed_on=timezone.localdate() - datetime.timedelta(days=30),
        fund=ledger.general_fund(),
        channel=ChannelFactory(code="gov", name="Government purchase of services"),
    )
    first = GrantTranche.objects.create(
        grant=grant, number=1, amount=Decimal("30000.00"), due_on=timezone.localdate()
    )
    second = GrantTranche.objects.create(
        grant=grant, number=2, amount=Decimal("60000.00"), milestone="Mid-term review"
    )
    return grant, first, second


def test_a_received_tranche_is_a_donation_from_the_grant_funder_posted_to_the_ledger(people):
    grant, first, _second = _contract()
    donation = services.tranche_receive(
        tranche=first,
        receipt_number="GOV-2026-01",
        received_on=timezone.localdate(),
        by=people["finance_officer"],
    )
    assert donation.amount == Decimal("30000.00")
    assert donation.funder == grant.funder and donation.grant_tranche == first
    assert donation.fund == grant.fund
    assert ledger.fund_balance(grant.fund) == Decimal("30000.00")
    assert LedgerEntry.objects.filter(transaction__donation=donation).count() == 2


def test_a_tranche_is_received_only_once_and_only_by_finance(people):
    _grant, first, _second = _contract()
    services.tranche_receive(
        tranche=first, receipt_number="GOV-1", received_on=timezone.localdate(), by=people["finance_officer"]
    )
    with pytest.raises(ValidationError):
        services.tranche_receive(
            tranche=first,
            receipt_number="GOV-2",
            received_on=timezone.localdate(),
            by=people["finance_officer"],
        )
    with pytest.raises(PermissionDenied):
        services.tranche_receive(
            tranche=_second,
            receipt_number="GOV-3",
            received_on=timezone.localdate(),
            by=people["programme_officer"],
        )
    assert Donation.objects.count() == 1


def test_a_tranche_needs_a_due_date_or_a_milestone():
    grant, _first, _second = _contract()
    with pytest.raises(Exception):  # noqa: B017 - the database's check constraint refuses it
        GrantTranche.objects.create(grant=grant, number=3, amount=Decimal("1.00"))


def test_the_donation_receipt_pdf_carries_the_receipt_number_amount_and_verification_code(
    people, django_capture_on_commit_callbacks
):
    donation = donate(
        amount="1250.50",
        receipt_number="R-2026-0042",
        donor_name="张伟",
        show_name=True,
        by=people["finance_officer"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind="donation_receipt",
            subject=donation,
            language="zh-hans",
            requested_by=people["finance_officer"],
        )
    document.refresh_from_db()
    assert document.status == "ready", document.error
    text = "".join(page.extract_text() for page in pypdf.PdfReader(document.file.open("rb")).pages)
    assert "R-2026-0042" in text
    assert "1,250.50" in text
    assert document.verification_code in text


def test_only_finance_officers_request_a_donation_receipt(people):
    donation = donate(by=people["finance_officer"])
    with pytest.raises(PermissionDenied):
        document_request(
            kind="donation_receipt", subject=donation, language="en", requested_by=people["a_admin"]
        )
