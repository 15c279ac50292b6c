"""A small programme with figures computed by hand, recorded through the other apps' services (money) and
factories (projects, training), so that every ledger entry is real.

Money (2026):
  D1 10,000 bank, foundation F  → general fund           02-10
  D4 15,000 bank, government G → P2's fund               02-01  (not named: no consent)
  E2  6,000 P2 materials, paid by the foundation         02-15
  A1  4,000 general → P1's fund                          03-01
  D2  5,000 online platform, anonymous → P1's fund       03-05
  B1  3,000 disbursed to org A for P1                    03-10
  E1  2,500 P1 activities, from the advance              03-15
  D3  2,000 bank, enterprise E → P1's fund (name shown)  03-20
  D5    700 bank, reversed the same day                  03-25
Raised 32,000 (bank 27,000, platform 5,000); spent 8,500 (materials 6,000, activities 2,500); balance 23,500
(general 6,000, P1 8,500, P2 9,000).

People: P1 approved updates 50 (30 + 20) and a corrected one 40 (replacing 100); P2 10; a draft with 999 and
a draft project's approved update with 77 do not count → 100 people; volunteer hours 12.5 + 6 + 3 = 21.5.
Training: org A has two valid certificates and one revoked → 1 organization trained, 2 participants.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from freezegun import freeze_time

from empowerment.authz import FINANCE_OFFICER, PROGRAMME_OFFICER
from fundraising import ledger
from fundraising import services as money
from fundraising.models import Channel, Funder
from projects.models import PeopleReached, ProgressUpdate
from tests.factories import fundraising as ff
from tests.factories.core import staff_user
from tests.factories.projects import IndicatorFactory, UpdateFactory
from tests.factories.trainings import CohortFactory, enrol
from trainings.models import Certificate


@pytest.fixture(autouse=True)
def _one_hour_for_stored_parts(monkeypatch):
    """A project page's stored parts carry the hour they were drawn in (transparency.projectparts): the
    tests that visit a page twice and count what it reads stay in one hour, however long they take."""
    from transparency import projectparts

    monkeypatch.setattr(projectparts, "_hour", lambda: "2026-06-01T10")


@dataclass
class Programme:
    finance: object
    officer: object
    p1: object
    p2: object
    draft: object
    bank: object
    platform: object
    general: object


def _approved_update(project, *, start, end, people, hours, supersedes=None):
    update = UpdateFactory(
        project=project,
        period_start=start,
        period_end=end,
        volunteer_hours=Decimal(hours),
        status=ProgressUpdate.Status.APPROVED,
        supersedes=supersedes,
    )
    for (sex, age), count in people.items():
        PeopleReached.objects.create(update=update, sex=sex, age_band=age, count=count)
    return update


@pytest.fixture
def programme(db, org_a, org_b):
    finance = staff_user(FINANCE_OFFICER, email="tp-finance@example.org")
    officer = staff_user(PROGRAMME_OFFICER, email="tp-officer@example.org")
    bank = ff.ChannelFactory(code="bank-main", name="Bank account")
    platform = ff.ChannelFactory(code="platform", name="Online platform", kind=Channel.Kind.ONLINE)
    foundation = ff.FunderFactory(name="Foundation F", kind=Funder.Kind.FOUNDATION)
    government = ff.FunderFactory(name="Civil Affairs Bureau G", kind=Funder.Kind.GOVERNMENT)
    enterprise = ff.FunderFactory(name="Enterprise E", kind=Funder.Kind.ENTERPRISE)

    p1 = ff.project(org_a, title="Health checks for older residents", slug="health-checks", status="active")
    p1.start_date, p1.end_date = date(2026, 1, 1), date(2026, 12, 31)
    p1.summary = "Monthly checks <script>alert(1)</script>"
    p1.save()
    p2 = ff.project(
        org_b, title="Safe stairs", slug="safe-stairs", status="completed", lines=[("materials", "9000.00")]
    )
    p2.start_date, p2.end_date = date(2026, 1, 1), date(2026, 3, 31)
    p2.save()
    draft = ff.project(org_a, title="Draft idea", slug="draft-idea", status="draft")
    general = ledger.general_fund()
    f1, f2 = money.fund_for_project(p1), money.fund_for_project(p2)

    def at(day):
        return freeze_time(f"{day} 10:00:00+08:00")

    with at("2026-02-01"):
        ff.donate(
            fund=f2,
            amount="15000.00",
            channel=bank,
            by=finance,
            funder=government,
            received_on=date(2026, 2, 1),
        )
    with at("2026-02-10"):
        ff.donate(
            fund=general,
            amount="10000.00",
            channel=bank,
            by=finance,
            funder=foundation,
            received_on=date(2026, 2, 10),
        )
    with at("2026-02-15"):
        e2 = money.expenditure_submit(
            project=p2,
            budget_line=p2.budget_lines.get(),
            amount=Decimal("6000.00"),
            spent_on=date(2026, 2, 15),
            description="Handrails",
            payee="Hardware shop",
            document=ff.receipt_file(),
            by=finance,
            paid_from="bank",
        )
        money.expenditure_approve(expenditure=e2, by=finance)
    with at("2026-03-01"):
        money.allocation_create(
            from_fund=general,
            to_fund=f1,
            amount=Decimal("4000.00"),
            allocated_on=date(2026, 3, 1),
            by=finance,
        )
    with at("2026-03-05"):
        ff.donate(fund=f1, amount="5000.00", channel=platform, by=finance, received_on=date(2026, 3, 5))
    with at("2026-03-10"):
        money.disbursement_create(
            project=p1, amount=Decimal("3000.00"), paid_on=date(2026, 3, 10), by=finance
        )
    with at("2026-03-15"):
        e1 = money.expenditure_submit(
            project=p1,
            budget_line=p1.budget_lines.get(category="activities"),
            amount=Decimal("2500.00"),
            spent_on=date(2026, 3, 15),
            description="Blood pressure monitors",
            payee="Medical supplier",
            document=ff.receipt_file(),
            by=finance,
        )
        money.expenditure_approve(expenditure=e1, by=finance)
    with at("2026-03-20"):
        ff.donate(
            fund=f1,
            amount="2000.00",
            channel=bank,
            by=finance,
            funder=enterprise,
            donor_name="Enterprise E",
            show_name=True,
            received_on=date(2026, 3, 20),
        )
    with at("2026-03-25"):
        mistake = ff.donate(
            fund=general, amount="700.00", channel=bank, by=finance, received_on=date(2026, 3, 25)
        )
        money.donation_reverse(donation=mistake, by=finance, reason="Recorded twice")

    # People reached and volunteer hours.
    _approved_update(
        p1,
        start=date(2026, 1, 1),
        end=date(2026, 1, 31),
        people={("female", "60-79"): 30, ("male", "60-79"): 20},
        hours="12.5",
    )
    wrong = _approved_update(
        p1, start=date(2026, 2, 1), end=date(2026, 2, 28), people={("female", "80+"): 100}, hours="5"
    )
    _approved_update(
        p1,
        start=date(2026, 2, 1),
        end=date(2026, 2, 28),
        people={("female", "80+"): 40},
        hours="6",
        supersedes=wrong,
    )
    _approved_update(
        p2, start=date(2026, 2, 1), end=date(2026, 3, 31), people={("male", "18-59"): 10}, hours="3"
    )
    draft_update = UpdateFactory(
        project=p1,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        status=ProgressUpdate.Status.DRAFT,
    )
    PeopleReached.objects.create(update=draft_update, sex="male", age_band="0-17", count=999)
    _approved_update(
        draft, start=date(2026, 1, 1), end=date(2026, 1, 31), people={("male", "0-17"): 77}, hours="40"
    )
    IndicatorFactory(project=p1, name="Older people checked", target=Decimal("200"))

    # Training: two valid certificates in org A, one revoked.
    cohort = CohortFactory()
    for name in ("学员甲", "学员乙"):
        Certificate.objects.create(enrolment=enrol(cohort, org_a, name))
    revoked = enrol(cohort, org_b, "学员丙")
    from django.utils import timezone  # noqa: PLC0415

    Certificate.objects.create(enrolment=revoked, revoked_at=timezone.now(), revoked_reason="Issued in error")

    return Programme(finance, officer, p1, p2, draft, bank, platform, general)


@pytest.fixture
def page_lookups(monkeypatch):
    """The cache round trips that ask for a stored page (a request down the stack, or the page keeper's)."""
    from django.core.cache import cache  # noqa: PLC0415

    from empowerment import pagecache  # noqa: PLC0415

    calls = []
    real = cache.get_many

    def counted(keys, *args, **kwargs):
        if any(k.startswith(pagecache._KEY_PREFIX) for k in keys):
            calls.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    return calls
