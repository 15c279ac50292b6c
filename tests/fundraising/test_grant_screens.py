"""The finance officers' grant, tranche and in-kind screens, as each kind of staff member meets them."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from empowerment.numbers import format_day
from fundraising import ledger, services
from fundraising.models import Donation, Funder, Grant, GrantTranche, InKindGift, LedgerEntry
from fundraising.services import TrancheInput
from tests.factories.fundraising import ChannelFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _client(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.fixture
def funder(db):
    return Funder.objects.create(name="赛罕区民政局", kind=Funder.Kind.GOVERNMENT)


@pytest.fixture
def channel(db):
    return ChannelFactory(code="gov-contract", name="Government purchase of services", kind="contract")


@pytest.fixture
def contract(people, funder, channel):
    return services.grant_save(
        by=people["finance_officer"],
        funder=funder,
        kind=Grant.Kind.CONTRACT,
        title="Community governance services",
        reference="SH-2026-21",
        signed_on=TODAY() - datetime.timedelta(days=90),
        fund=ledger.general_fund(),
        channel=channel,
        total=Decimal("60000.00"),
        tranches=[
            TrancheInput(amount=Decimal("30000.00"), due_on=TODAY() - datetime.timedelta(days=10)),
            TrancheInput(amount=Decimal("30000.00"), milestone="Annual evaluation passed"),
        ],
    )


def _grant_post(funder, channel, *, total, rows):
    data = {
        "funder": funder.pk,
        "kind": "grant",
        "title": "Joint grant for community projects",
        "reference": "OF-2026-03",
        "signed_on": (TODAY() - datetime.timedelta(days=3)).isoformat(),
        "fund": ledger.general_fund().pk,
        "channel": channel.pk,
        "total": total,
        "tranches-TOTAL_FORMS": str(len(rows)),
        "tranches-INITIAL_FORMS": "0",
        "tranches-MIN_NUM_FORMS": "0",
        "tranches-MAX_NUM_FORMS": "1000",
    }
    for i, (amount, due_on, milestone) in enumerate(rows):
        data.update(
            {
                f"tranches-{i}-id": "",
                f"tranches-{i}-amount": amount,
                f"tranches-{i}-due_on": due_on,
                f"tranches-{i}-milestone": milestone,
            }
        )
    return data


def test_a_finance_officer_records_an_agreement_with_its_tranches(people, funder, channel):
    url = reverse("fundraising:grant_create")
    client = _client(people["finance_officer"])
    assert client.get(url).status_code == 200
    due = (TODAY() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        url,
        _grant_post(
            funder,
            channel,
            total="80000.00",
            rows=[("40000", due, ""), ("40000", "", "Mid-term"), ("", "", "")],
        ),
    )
    grant = Grant.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "fundraising:grant_detail", args=[grant.pk]
    )
    assert list(grant.tranches.values_list("number", "amount", "milestone")) == [
        (1, Decimal("40000.00"), ""),
        (2, Decimal("40000.00"), "Mid-term"),
    ]


def test_tranches_over_the_total_are_shown_at_the_total_and_nothing_is_saved(people, funder, channel):
    response = _client(people["finance_officer"]).post(
        reverse("fundraising:grant_create"),
        _grant_post(
            funder,
            channel,
            total="50000.00",
            rows=[("40000", TODAY().isoformat(), ""), ("20000", "", "Final")],
        ),
    )
    assert response.status_code == 400
    assert "more than the agreement&#x27;s total of 50,000.00 yuan" in response.content.decode()
    assert not Grant.objects.exists()


def test_a_tranche_row_without_date_or_milestone_gets_a_field_error(people, funder, channel):
    response = _client(people["finance_officer"]).post(
        reverse("fundraising:grant_create"),
        _grant_post(funder, channel, total="50000.00", rows=[("40000", "", "")]),
    )
    assert response.status_code == 400
    assert "Give a due date or a milestone." in response.content.decode()
    assert not Grant.objects.exists()


def test_the_grant_list_shows_received_outstanding_next_due_and_overdue(people, contract):
    services.tranche_receive(
        tranche=contract.tranches.get(number=2),
        receipt_number="SH-T2",
        received_on=TODAY(),
        by=people["finance_officer"],
    )
    for role in ("programme_officer", "finance_officer", "trainer"):
        response = _client(people[role]).get(reverse("fundraising:grant_list"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Community governance services" in body and "¥30,000.00" in body
        assert 'data-overdue="1"' in body
        assert format_day(TODAY() - datetime.timedelta(days=10)) in body  # the date as English writes it
    assert (
        "Record an agreement"
        in _client(people["trainer"]).get(reverse("fundraising:grant_list")).content.decode()
    ) is False
    overdue = _client(people["programme_officer"]).get(reverse("fundraising:grant_overdue")).content.decode()
    assert f'data-tranche="{contract.tranches.get(number=1).pk}"' in overdue
    assert f'data-tranche="{contract.tranches.get(number=2).pk}"' not in overdue


def test_receiving_a_tranche_on_the_grant_page_posts_it_once(people, contract):
    finance = _client(people["finance_officer"])
    tranche = contract.tranches.get(number=1)
    url = reverse("fundraising:tranche_receive", args=[contract.pk, tranche.pk])
    data = {f"t{tranche.pk}-receipt_number": "SH-T1", f"t{tranche.pk}-received_on": TODAY().isoformat()}
    response = finance.post(url, data)
    assert response.status_code == 302
    assert ledger.fund_balance(contract.fund) == Decimal("30000.00")
    again = finance.post(url, {**data, f"t{tranche.pk}-receipt_number": "SH-T1b"})
    assert again.status_code == 400
    assert "This tranche has already been received." in again.content.decode()
    assert Donation.objects.count() == 1 and LedgerEntry.objects.count() == 2
    page = finance.get(reverse("fundraising:grant_detail", args=[contract.pk])).content.decode()
    assert 'data-state="received"' in page and "SH-T1" in page


def test_receiving_into_a_closed_month_shows_the_error_at_the_date(people, contract):
    first_of_month = TODAY().replace(day=1)
    closed = (first_of_month - datetime.timedelta(days=1)).replace(day=1)
    ledger.period_close(month=closed, closed_by=people["finance_officer"])
    tranche = contract.tranches.get(number=1)
    response = _client(people["finance_officer"]).post(
        reverse("fundraising:tranche_receive", args=[contract.pk, tranche.pk]),
        {
            f"t{tranche.pk}-receipt_number": "SH-T1",
            f"t{tranche.pk}-received_on": (closed + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "is closed" in response.content.decode()
    assert not Donation.objects.exists()


def test_programme_officers_may_read_grants_but_not_receive_or_edit(people, contract):
    client = _client(people["programme_officer"])
    tranche = contract.tranches.get(number=1)
    page = client.get(reverse("fundraising:grant_detail", args=[contract.pk]))
    assert page.status_code == 200 and "Receive this tranche" not in page.content.decode()
    response = client.post(
        reverse("fundraising:tranche_receive", args=[contract.pk, tranche.pk]),
        {f"t{tranche.pk}-receipt_number": "X", f"t{tranche.pk}-received_on": TODAY().isoformat()},
    )
    assert response.status_code == 403
    assert client.get(reverse("fundraising:grant_edit", args=[contract.pk])).status_code == 403
    assert not Donation.objects.exists()


def test_a_tranche_of_another_grant_is_not_found(people, contract, funder, channel):
    other = Grant.objects.create(
        funder=funder,
        kind="grant",
        title="Other",
        total=Decimal("10.00"),
        signed_on=TODAY(),
        fund=contract.fund,
        channel=channel,
    )
    tranche = contract.tranches.get(number=1)
    response = _client(people["finance_officer"]).post(
        reverse("fundraising:tranche_receive", args=[other.pk, tranche.pk]),
        {f"t{tranche.pk}-receipt_number": "X", f"t{tranche.pk}-received_on": TODAY().isoformat()},
    )
    assert response.status_code == 404
    assert not Donation.objects.exists()


def test_editing_keeps_a_received_tranche_and_changes_an_open_one(people, contract):
    first, second = contract.tranches.order_by("number")
    services.tranche_receive(
        tranche=first, receipt_number="SH-T1", received_on=TODAY(), by=people["finance_officer"]
    )
    url = reverse("fundraising:grant_edit", args=[contract.pk])
    client = _client(people["finance_officer"])
    page = client.get(url).content.decode()
    assert (
        'id="received-tranches"' in page
        and f'name="tranches-0-id" value="{second.pk}"' in page
        and f'-id" value="{first.pk}"' not in page
    )
    data = _grant_post(
        contract.funder,
        contract.channel,
        total="60000.00",
        rows=[("25000", "", "Evaluation passed"), ("5000", TODAY().isoformat(), "")],
    )
    data.update({"kind": "contract", "tranches-INITIAL_FORMS": "1", "tranches-0-id": str(second.pk)})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(contract.tranches.order_by("number").values_list("number", "amount")) == [
        (1, Decimal("30000.00")),
        (2, Decimal("25000.00")),
        (3, Decimal("5000.00")),
    ]


def test_a_finance_officer_records_volunteer_labour_valued_at_hours_times_rate(people):
    client = _client(people["finance_officer"])
    url = reverse("fundraising:in_kind_new")
    assert client.get(url).status_code == 200
    data = {
        "kind": "volunteer",
        "description": "Home visits by the volunteer team",
        "funder": "",
        "giver_name": "乐龄守护志愿服务队",
        "received_on": TODAY().isoformat(),
        "fund": ledger.general_fund().pk,
        "method": "hours",
        "hours": "120",
        "rate": "30",
        "value": "",
        "basis": "local minimum hourly wage",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    gift = InKindGift.objects.get()
    assert gift.value == Decimal("3600.00") and gift.hours == Decimal("120.0")
    assert gift.basis == "120 h × 30.00 yuan/h; local minimum hourly wage"
    assert ledger.fund_balance(ledger.general_fund()) == Decimal("0.00")  # in kind never in a cash balance
    listing = _client(people["programme_officer"]).get(reverse("fundraising:in_kind_list")).content.decode()
    assert "Home visits by the volunteer team" in listing and "¥3,600.00" in listing


def test_in_kind_form_refuses_a_gift_without_its_value_basis(people):
    response = _client(people["finance_officer"]).post(
        reverse("fundraising:in_kind_new"),
        {
            "kind": "goods",
            "description": "Milk",
            "giver_name": "Dairy",
            "received_on": TODAY().isoformat(),
            "fund": ledger.general_fund().pk,
            "method": "other",
            "value": "500",
            "basis": "",
        },
    )
    assert response.status_code == 400
    assert "Say how the value was set." in response.content.decode()
    assert not InKindGift.objects.exists()
    assert _client(people["programme_officer"]).get(reverse("fundraising:in_kind_new")).status_code == 403


def test_the_grant_list_query_count_does_not_grow_with_grants(
    people, contract, funder, channel, django_assert_max_num_queries
):
    for n in range(5):
        services.grant_save(
            by=people["finance_officer"],
            funder=funder,
            kind=Grant.Kind.GRANT,
            title=f"Grant {n}",
            signed_on=TODAY(),
            fund=contract.fund,
            channel=channel,
            total=Decimal("1000.00"),
            tranches=[TrancheInput(amount=Decimal("500.00"), due_on=TODAY() - datetime.timedelta(days=1))],
        )
    assert GrantTranche.objects.count() == 7
    client = _client(people["finance_officer"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("fundraising:grant_list")).status_code == 200
