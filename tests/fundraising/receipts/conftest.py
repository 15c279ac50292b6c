import datetime

import pytest
from django.utils import timezone

from fundraising import ledger
from fundraising.models import Funder
from tests.factories.fundraising import donate


@pytest.fixture
def finance(people):
    return people["finance_officer"]


@pytest.fixture
def day():
    """A date in the current year, before today, after which receipts may be issued."""
    today = timezone.localdate()
    return max(today.replace(month=1, day=1), today - datetime.timedelta(days=3))


@pytest.fixture
def gift(finance, day):
    funder = Funder.objects.create(name="包钢集团社区公益基金", kind=Funder.Kind.ENTERPRISE)
    return donate(fund=ledger.general_fund(), amount="3000.00", by=finance, received_on=day, funder=funder)


@pytest.fixture
def person_gift(finance, day):
    return donate(
        fund=ledger.general_fund(), amount="500.00", by=finance, received_on=day, donor_name="张先生"
    )
