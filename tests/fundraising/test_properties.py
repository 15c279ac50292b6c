"""Property test: any sequence of donations, allocations, expenditures and reversals keeps every invariant
(balanced transactions, running balances equal the sums of entries, no negative fund balance, chain intact).
Refused operations must change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from fundraising import ledger, services
from fundraising.models import Donation, Expenditure, Fund, LedgerEntry
from tests.factories.core import OrganizationFactory, member, staff_user
from tests.factories.fundraising import ChannelFactory, project, receipt_file

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)
operation = st.one_of(
    st.tuples(st.just("donate"), st.integers(0, 1), amounts),
    st.tuples(st.just("allocate"), st.integers(0, 1), amounts),
    st.tuples(st.just("spend"), st.integers(0, 1), amounts),
    st.tuples(st.just("reverse_donation"), st.integers(0, 50), st.just(Decimal(0))),
    st.tuples(st.just("reverse_expenditure"), st.integers(0, 50), st.just(Decimal(0))),
)


@pytest.mark.django_db
class TestLedgerInvariants(HypothesisTestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(operation, min_size=1, max_size=12))
    def test_random_sequences_keep_every_invariant(self, ops):
        from empowerment.authz import FINANCE_OFFICER
        from organizations.models import Role

        finance = staff_user(FINANCE_OFFICER)
        org = OrganizationFactory()
        editor = member(org, Role.EDITOR)
        projects = [project(org, slug=f"p{i}-{org.slug}") for i in range(2)]
        funds = [services.fund_for_project(p) for p in projects]
        general = ledger.general_fund()
        channel = ChannelFactory()
        today = timezone.localdate()
        for n, (kind, index, amount) in enumerate(ops):
            before = (
                LedgerEntry.objects.count(),
                [f.balance for f in Fund.objects.order_by("pk")],
            )
            try:
                if kind == "donate":
                    target = general if index == 0 else funds[0]
                    services.donation_record(
                        channel=channel,
                        amount=amount,
                        received_on=today,
                        fund=target,
                        receipt_number=f"R{n}",
                        by=finance,
                    )
                elif kind == "allocate":
                    services.allocation_create(
                        from_fund=general, to_fund=funds[index], amount=amount, allocated_on=today, by=finance
                    )
                elif kind == "spend":
                    p = projects[index]
                    e = services.expenditure_submit(
                        project=p,
                        budget_line=p.budget_lines.first(),
                        amount=amount,
                        spent_on=today,
                        description="x",
                        payee="y",
                        document=receipt_file(),
                        by=editor,
                        paid_from="bank",
                    )
                    services.expenditure_approve(expenditure=e, by=finance)
                elif kind == "reverse_donation":
                    donations = list(Donation.objects.filter(status="recorded").order_by("pk"))
                    if donations:
                        services.donation_reverse(
                            donation=donations[index % len(donations)], by=finance, reason="test"
                        )
                elif kind == "reverse_expenditure":
                    spent = list(Expenditure.objects.filter(status="approved").order_by("pk"))
                    if spent:
                        services.expenditure_reverse(
                            expenditure=spent[index % len(spent)], by=finance, reason="test"
                        )
            except ValidationError:
                after = (
                    LedgerEntry.objects.count(),
                    [f.balance for f in Fund.objects.order_by("pk")],
                )
                assert after == before, "a refused operation changed the ledger"
            assert all(f.balance >= 0 for f in Fund.objects.all())
        assert ledger.ledger_verify() == []
