"""Grant agreements and their tranche schedule (grant_save), receiving a tranche once and never into a
closed month, and the grant figures (received, outstanding, next due, overdue) from the selectors."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fundraising import ledger, services
from fundraising.models import Donation, Funder, Grant, GrantTranche, LedgerEntry, LedgerTransaction
from fundraising.selectors import grants as grant_selectors
from fundraising.services import TrancheInput
from tests.factories.fundraising import ChannelFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _save(by, *, grant=None, total="100000.00", tranches=None, **kwargs):
    args = {
        "funder": kwargs.pop("funder", None)
        or Funder.objects.get_or_create(name="包头市民政局", kind=Funder.Kind.GOVERNMENT)[0],
        "kind": Grant.Kind.CONTRACT,
        "title": "Community service purchase",
        "reference": "BT-2026-01",
        "signed_on": TODAY() - datetime.timedelta(days=60),
        "fund": ledger.general_fund(),
        "channel": ChannelFactory(code="gov", name="Government purchase of services"),
        "total": total,
    }
    args.update(kwargs)
    if tranches is None:
        tranches = [
            TrancheInput(amount=Decimal("40000.00"), due_on=TODAY() - datetime.timedelta(days=20)),
            TrancheInput(amount=Decimal("60000.00"), milestone="Mid-term review passed"),
        ]
    return services.grant_save(by=by, grant=grant, tranches=tranches, **args)


def test_a_grant_is_saved_with_its_tranches_numbered_in_order_and_history(people):
    grant = _save(people["finance_officer"])
    tranches = list(grant.tranches.order_by("number"))
    assert [(t.number, t.amount) for t in tranches] == [(1, Decimal("40000.00")), (2, Decimal("60000.00"))]
    assert tranches[1].milestone == "Mid-term review passed" and tranches[1].due_on is None
    assert grant.history.first().history_user == people["finance_officer"]
    assert tranches[0].history.first().history_user == people["finance_officer"]


def test_tranches_adding_up_to_more_than_the_total_are_refused_and_nothing_is_saved(people):
    with pytest.raises(ValidationError) as exc:
        _save(
            people["finance_officer"],
            total="90000.00",
            tranches=[
                TrancheInput(amount=Decimal("50000.00"), due_on=TODAY()),
                TrancheInput(amount=Decimal("40000.01"), milestone="Final report"),
            ],
        )
    assert "total" in exc.value.message_dict
    assert "90,000.01" in exc.value.message_dict["total"][0]
    assert not Grant.objects.exists() and not GrantTranche.objects.exists()


def test_a_tranche_without_a_date_or_milestone_or_amount_is_refused(people):
    with pytest.raises(ValidationError) as exc:
        _save(people["finance_officer"], tranches=[TrancheInput(amount=Decimal("10.00"))])
    assert "due date or a milestone" in exc.value.message_dict["tranches"][0]
    with pytest.raises(ValidationError) as exc:
        _save(people["finance_officer"], tranches=[TrancheInput(amount=Decimal("0"), due_on=TODAY())])
    assert "more than zero" in exc.value.message_dict["tranches"][0]
    assert not Grant.objects.exists()


def test_only_finance_officers_save_a_grant(people):
    for role in ("programme_officer", "trainer", "a_admin"):
        with pytest.raises(PermissionDenied):
            _save(people[role])
    assert not Grant.objects.exists()


def test_a_received_tranche_cannot_be_changed_or_removed_and_the_total_not_lowered_below_it(people):
    finance = people["finance_officer"]
    grant = _save(finance)
    first, second = grant.tranches.order_by("number")
    services.tranche_receive(tranche=first, receipt_number="GOV-1", received_on=TODAY(), by=finance)
    with pytest.raises(ValidationError) as exc:
        _save(
            finance,
            grant=grant,
            tranches=[
                TrancheInput(amount=Decimal("45000.00"), due_on=first.due_on, tranche=first),
                TrancheInput(amount=second.amount, milestone=second.milestone, tranche=second),
            ],
        )
    assert "has been received" in exc.value.message_dict["tranches"][0]
    with pytest.raises(ValidationError) as exc:
        _save(
            finance,
            grant=grant,
            tranches=[TrancheInput(amount=first.amount, due_on=first.due_on, tranche=first, delete=True)],
        )
    assert "has been received" in exc.value.message_dict["tranches"][0]
    with pytest.raises(ValidationError) as exc:
        _save(
            finance,
            grant=grant,
            total="30000.00",
            tranches=[
                TrancheInput(amount=second.amount, milestone=second.milestone, tranche=second, delete=True)
            ],
        )
    assert "already been received" in exc.value.message_dict["total"][0]
    first.refresh_from_db()
    assert first.amount == Decimal("40000.00") and grant.tranches.count() == 2


def test_editing_changes_open_tranches_removes_one_and_numbers_new_ones_after_the_rest(people):
    finance = people["finance_officer"]
    grant = _save(finance, total="120000.00")
    first, second = grant.tranches.order_by("number")
    services.tranche_receive(tranche=first, receipt_number="GOV-1", received_on=TODAY(), by=finance)
    grant = _save(
        finance,
        grant=grant,
        total="120000.00",
        tranches=[
            TrancheInput(amount=second.amount, milestone=second.milestone, tranche=second, delete=True),
            TrancheInput(amount=Decimal("50000.00"), due_on=TODAY() + datetime.timedelta(days=30)),
            TrancheInput(amount=Decimal("30000.00"), milestone="Final evaluation"),
        ],
    )
    rows = list(grant.tranches.order_by("number").values_list("number", "amount"))
    assert rows == [(1, Decimal("40000.00")), (2, Decimal("50000.00")), (3, Decimal("30000.00"))]
    assert not GrantTranche.objects.filter(pk=second.pk).exists()


def test_a_tranche_is_received_once_through_the_ledger(people):
    finance = people["finance_officer"]
    grant = _save(finance)
    first = grant.tranches.get(number=1)
    donation = services.tranche_receive(
        tranche=first, receipt_number="GOV-1", received_on=TODAY(), by=finance
    )
    assert ledger.fund_balance(grant.fund) == Decimal("40000.00")
    assert LedgerTransaction.objects.filter(donation=donation).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.tranche_receive(tranche=first, receipt_number="GOV-2", received_on=TODAY(), by=finance)
    assert exc.value.messages == ["This tranche has already been received."]
    assert Donation.objects.count() == 1 and LedgerEntry.objects.count() == 2
    assert ledger.fund_balance(grant.fund) == Decimal("40000.00")


def test_receiving_a_tranche_into_a_closed_month_is_refused_and_posts_nothing(people):
    finance = people["finance_officer"]
    grant = _save(finance)
    first = grant.tranches.get(number=1)
    last_month = TODAY().replace(day=1) - relativedelta(months=1)
    ledger.period_close(month=last_month, closed_by=finance)
    with pytest.raises(ValidationError) as exc:
        services.tranche_receive(
            tranche=first,
            receipt_number="GOV-1",
            received_on=last_month + datetime.timedelta(days=3),
            by=finance,
        )
    assert "is closed" in exc.value.message_dict["received_on"][0]
    assert not Donation.objects.exists() and not LedgerEntry.objects.exists()
    with pytest.raises(PermissionDenied):
        services.tranche_receive(
            tranche=first, receipt_number="GOV-1", received_on=TODAY(), by=people["programme_officer"]
        )
    assert not Donation.objects.exists()


def test_grant_figures_received_outstanding_next_due_and_overdue(people):
    finance = people["finance_officer"]
    grant = _save(
        finance,
        total="100000.00",
        tranches=[
            TrancheInput(amount=Decimal("30000.00"), due_on=TODAY() - datetime.timedelta(days=40)),
            TrancheInput(amount=Decimal("30000.00"), due_on=TODAY() - datetime.timedelta(days=5)),
            TrancheInput(amount=Decimal("20000.00"), due_on=TODAY() + datetime.timedelta(days=30)),
        ],
    )
    first = grant.tranches.get(number=1)
    services.tranche_receive(tranche=first, receipt_number="GOV-1", received_on=TODAY(), by=finance)
    row = grant_selectors.grant_detail(grant.pk)
    assert row.received == Decimal("30000.00")
    assert row.outstanding == Decimal("70000.00")
    assert row.next_due == TODAY() - datetime.timedelta(days=5)
    assert row.overdue_count == 1
    overdue = list(grant_selectors.overdue_tranches())
    assert [t.number for t in overdue] == [2]
    assert grant_selectors.overdue_total(grant_selectors.overdue_tranches()) == Decimal("30000.00")
    schedule = grant_selectors.grant_schedule(grant)
    assert schedule["scheduled"] == Decimal("80000.00") and schedule["unscheduled"] == Decimal("20000.00")
    assert [t.overdue for t in schedule["tranches"]] == [False, True, False]
    totals = grant_selectors.grant_totals(grant_selectors.grant_list())
    assert totals == {
        "total": Decimal("100000.00"),
        "received": Decimal("30000.00"),
        "outstanding": Decimal("70000.00"),
    }
    assert list(grant_selectors.grant_list(overdue_only=True)) == [row]
    assert list(grant_selectors.grant_list(kind=Grant.Kind.GRANT)) == []


def test_a_tranche_whose_payment_was_reversed_is_open_again_and_received_anew(people):
    """The tranche's donation is reversed (the money went back): the tranche shows as not received, is
    overdue again when past due, the grant's received figure drops, and the tranche can be received anew."""
    finance = people["finance_officer"]
    grant = _save(finance)
    first = grant.tranches.get(number=1)
    paid = services.tranche_receive(tranche=first, receipt_number="GOV-1", received_on=TODAY(), by=finance)
    assert not grant_selectors.overdue_tranches().filter(pk=first.pk).exists()
    services.donation_reverse(donation=paid, by=finance, reason="paid to the wrong account")
    paid.refresh_from_db()
    assert paid.status == Donation.Status.REVERSED and paid.grant_tranche_id is None
    assert "tranche 1" in paid.note
    state = {t.number: t for t in grant_selectors.tranches_with_state(grant)}
    assert state[1].is_received is False and state[1].overdue is True
    assert grant_selectors.overdue_tranches().filter(pk=first.pk).exists()
    assert grant_selectors.grant_detail(grant.pk).received == Decimal("0.00")

    again = services.tranche_receive(tranche=first, receipt_number="GOV-1B", received_on=TODAY(), by=finance)
    assert again.grant_tranche_id == first.pk
    assert grant_selectors.grant_detail(grant.pk).received == Decimal("40000.00")
    assert ledger.fund_balance(grant.fund) == Decimal("40000.00")
    assert ledger.ledger_verify() == []
