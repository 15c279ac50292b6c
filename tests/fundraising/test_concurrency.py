"""Many finance officers approving expenditures against one project balance at the same moment."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from fundraising import ledger, services
from fundraising.models import Expenditure, Fund
from tests.conftest import requires_postgres
from tests.factories.fundraising import donate, project, receipt_file


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_take_the_restricted_balance_below_zero(org_a, people):
    finance = people["finance_officer"]
    p = project(org_a)
    fund = services.fund_for_project(p)
    donate(fund=fund, amount="1000.00", by=finance)
    expenditures = [
        services.expenditure_submit(
            project=p,
            budget_line=p.budget_lines.first(),
            amount=Decimal("150.00"),
            spent_on=timezone.localdate(),
            description=f"Item {i}",
            payee="Shop",
            document=receipt_file(),
            by=people["a_editor"],
            paid_from="bank",
        )
        for i in range(16)
    ]
    barrier = threading.Barrier(len(expenditures))
    outcomes = []

    def approve(expenditure):
        try:
            barrier.wait()
            services.expenditure_approve(expenditure=expenditure, by=finance)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(e,)) for e in expenditures]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    fund = Fund.objects.get(pk=fund.pk)
    assert outcomes.count("approved") == 6  # 6 × 150 = 900 ≤ 1000 < 7 × 150
    assert outcomes.count("refused") == 10
    assert fund.balance == Decimal("100.00") == ledger.fund_balance(fund)
    assert Expenditure.objects.filter(status="approved").count() == 6
    assert ledger.ledger_verify() == []
