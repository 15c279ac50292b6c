"""Random programmes for the reconciliation suite: a Hypothesis strategy draws a plan (projects in every
workflow state, a campaign, a grant in tranches and a half-year of money events), and `build` carries it out
THROUGH THE SERVICES, day by day under a frozen clock, the way staff and organizations would: donations on
every channel kind, grant tranches, matching gifts, in-kind gifts, allocations, disbursements, expenditures
incurred in one month and approved in a later (possibly closed) one, rejections, reversals of donations and
expenditures, and month closes.

An operation the books refuse (not enough money in the fund, a month already closed, a reversal of money
already spent) is refused by its service with a ValidationError and changes nothing; the builder notes it
and goes on, so every programme is one the application could really hold.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import event as note_event
from hypothesis import strategies as st

from empowerment.authz import FINANCE_OFFICER, PROGRAMME_OFFICER
from fundraising import ledger
from fundraising import services as money
from fundraising.models import Campaign, Channel, Donation, Expenditure, Funder, Grant, GrantTranche
from organizations.models import Role
from projects import services as project_services
from projects.models import Activity, BudgetLine, Indicator
from tests.factories.core import OrganizationFactory, member, staff_user
from tests.factories.fundraising import ChannelFactory, FunderFactory, FundFactory, receipt_file
from tests.factories.projects import AssessmentFactory, NeedFactory, theme

START = datetime.date(2026, 1, 5)  # the first day money can move
READ_ON = datetime.date(2026, 7, 15)  # the day the public reads every surface
LAST_DAY = (READ_ON - START).days - 1  # events happen up to the day before

# Every workflow state, and the moves (through projects.services) that lead to it from a draft.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "rejected": ["submit", "reject"],
    "approved": ["submit", "approve"],
    "active": ["submit", "approve", "activate"],
    "completed": ["submit", "approve", "activate", "complete"],
    "closed": ["submit", "approve", "activate", "complete", "close"],
}
# The rule the issue states ("from approval on"), written here independently of projects.selectors.
PUBLIC_STATUSES = {"approved", "active", "completed", "closed"}
CHANNEL_KINDS = [k for k, _label in Channel.Kind.choices]
FUNDER_KINDS = [k for k, _label in Funder.Kind.choices]
CATEGORIES = ["activities", "materials"]
IN_KIND_KINDS = ["goods", "venue", "service"]

# Titles and slugs distinctive enough that finding one anywhere is a leak, never a coincidence.
TITLES = [
    "Xylophone pilot Alder",
    "Xylophone pilot Birch",
    "Xylophone pilot Cedar",
    "Xylophone pilot Dogwood",
]


def slug_of(title: str) -> str:
    return title.lower().replace(" ", "-")


# The plan ------------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("1.00"), max_value=Decimal("30000.00"), places=2)
small_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000.00"), places=2)
days = st.integers(min_value=0, max_value=LAST_DAY)
# 0: the general fund, 1: the community fund, 2+: project i - 2 (taken modulo the number of projects)
targets = st.integers(min_value=0, max_value=7)

donate = st.tuples(
    st.just("donate"),
    days,
    st.sampled_from(CHANNEL_KINDS),
    targets,
    amounts,
    st.one_of(st.none(), st.sampled_from(FUNDER_KINDS)),
    st.booleans(),  # through the campaign
)
tranche = st.tuples(st.just("tranche"), days, st.integers(0, 2))
matching = st.tuples(st.just("matching"), days)
in_kind = st.tuples(st.just("in_kind"), days, targets, small_amounts, st.sampled_from(IN_KIND_KINDS))
allocate = st.tuples(st.just("allocate"), days, st.integers(0, 1), targets, amounts)
disburse = st.tuples(st.just("disburse"), days, st.integers(0, 3), small_amounts)
spend = st.tuples(
    st.just("spend"),
    days,
    st.integers(0, 3),
    small_amounts,
    st.sampled_from(CATEGORIES),
    st.sampled_from(["bank", "bank", "advance"]),
    st.integers(0, 75),  # days between spending and the finance officer's decision
    st.sampled_from(["approve", "approve", "approve", "reject", "pending"]),
)
reverse_donation = st.tuples(st.just("reverse_donation"), days, st.integers(0, 50))
reverse_expenditure = st.tuples(st.just("reverse_expenditure"), days, st.integers(0, 50))
close = st.tuples(st.just("close"), st.integers(1, 6), st.integers(0, 20))  # month, days after it ends

event = st.one_of(
    donate, donate, donate, tranche, matching, in_kind, allocate, allocate, disburse, spend, spend, spend,
    reverse_donation, reverse_expenditure, close,
)  # fmt: skip


@dataclass
class Plan:
    statuses: list[str]
    campaign_target: int
    matching_ratio: Decimal
    grant_target: int
    tranches: list[Decimal]
    events: list[tuple]


@st.composite
def plans(draw) -> Plan:
    """A random programme: projects in random workflow states, a campaign and a grant designated to random
    funds, a few larger gifts early in the year (so that allocations and spending are mostly possible),
    then random events."""
    statuses = draw(st.lists(st.sampled_from(list(PATHS)), min_size=2, max_size=4))
    seed_gifts = st.tuples(
        st.just("donate"),
        st.integers(0, 20),
        st.sampled_from(CHANNEL_KINDS),
        st.integers(0, len(statuses) + 1),
        st.decimals(min_value=Decimal("5000.00"), max_value=Decimal("60000.00"), places=2),
        st.one_of(st.none(), st.sampled_from(FUNDER_KINDS)),
        st.just(False),
    )
    return Plan(
        statuses=statuses,
        campaign_target=draw(targets),
        matching_ratio=draw(st.sampled_from([Decimal("0"), Decimal("0.5"), Decimal("1")])),
        grant_target=draw(targets),
        tranches=draw(st.lists(amounts, min_size=1, max_size=3)),
        events=draw(st.lists(seed_gifts, min_size=2, max_size=5))
        + draw(st.lists(event, min_size=4, max_size=24)),
    )


plans = plans()


# A programme that always runs (besides the random ones): an allocation into a public project and into
# one not yet published, which also spends and receives a campaign's gifts and its matching; spending
# incurred in February and approved in March, and incurred in March and approved in April after March was
# closed (a prior-period adjustment); a donation of March and spending of February reversed in May.
D = Decimal
SHOWCASE = Plan(
    statuses=["active", "submitted", "closed"],
    campaign_target=3,
    matching_ratio=D("0.5"),
    grant_target=2,
    tranches=[D("5000.00"), D("3000.00")],
    events=[
        ("donate", 5, "bank", 0, D("20000.00"), "foundation", False),
        ("donate", 10, "online", 0, D("5000.00"), None, True),
        ("tranche", 20, 0),
        ("allocate", 27, 0, 2, D("8000.00")),
        ("allocate", 27, 0, 3, D("3000.00")),
        ("in_kind", 30, 2, D("800.00"), "goods"),
        ("donate", 40, "cash", 1, D("600.00"), "community", False),
        ("allocate", 41, 1, 4, D("300.00")),
        ("spend", 46, 0, D("1200.00"), "activities", "bank", 10, "approve"),
        ("spend", 51, 1, D("900.00"), "materials", "bank", 0, "approve"),
        ("disburse", 60, 0, D("2000.00")),
        ("donate", 70, "bank", 2, D("400.00"), "individual", False),
        ("spend", 82, 0, D("700.00"), "materials", "advance", 6, "approve"),
        ("close", 3, 0),
        ("matching", 100),
        ("reverse_donation", 120, 4),
        ("reverse_expenditure", 125, 0),
        ("spend", 130, 2, D("250.00"), "activities", "bank", 3, "reject"),
    ],
)


# Carrying it out -----------------------------------------------------------------------------------------


@dataclass
class Built:
    """What a plan became: the people, the funds and the records, for the test to read back."""

    finance: object
    officer: object
    organizations: list
    projects: list
    general: object
    community: object
    campaign: object
    grant: object
    channels: dict
    refused: list[str] = field(default_factory=list)

    @property
    def public_projects(self):
        return [p for p in self.projects if p.status in PUBLIC_STATUSES]

    @property
    def unpublished_projects(self):
        return [p for p in self.projects if p.status not in PUBLIC_STATUSES]

    def fund_of(self, target: int):
        if target == 0:
            return self.general
        if target == 1:
            return self.community
        return money.fund_for_project(self.projects[(target - 2) % len(self.projects)])


def _project(organization, editor, officer, title: str, status: str):
    """A proposal written by the organization's editor and moved to `status` by the programme officer,
    through projects.services."""
    project = project_services.project_create(
        organization=organization,
        by=editor,
        data={
            "title": title,
            "theme": theme(),
            "community": organization.area,
            "summary": f"{title}: home visits and health checks.",
            "problem_statement": "Older people living alone miss early signs of illness.",
            "target_group": "Residents over 60 living alone.",
            "objectives": "Monthly checks with follow-up.",
            "start_date": datetime.date(2026, 1, 1),
            "end_date": datetime.date(2026, 12, 31),
        },
    )
    assert project.slug == slug_of(title), project.slug
    need = NeedFactory(
        assessment=AssessmentFactory(organization=organization), chosen=True, chosen_reason="Most severe"
    )
    project.needs.add(need)
    Activity.objects.create(
        project=project, title="Health checks", start_date=project.start_date, end_date=project.end_date
    )
    for category in CATEGORIES:
        BudgetLine.objects.create(
            project=project, category=category, description=f"{category} costs", amount=Decimal("50000.00")
        )
    Indicator.objects.create(
        project=project,
        name="Older people checked",
        unit="people",
        value_type="count",
        baseline=Decimal("0"),
        target=Decimal("200"),
        aggregation="cumulative",
    )
    for action in PATHS[status]:
        project_services.project_transition(
            project=project,
            action=action,
            by=editor if action == "submit" else officer,
            comment="Please say more about the budget." if action in ("return", "reject") else "",
        )
    project.refresh_from_db()
    assert project.status == status
    return project


def _timeline(plan: Plan) -> list[tuple[datetime.date, int, tuple]]:
    """The plan's events as dated steps in order. An expenditure is two steps: submitted on the day it was
    spent, decided `delay` days later (no later than the day before the reading)."""
    steps = []
    for n, ev in enumerate(plan.events):
        kind = ev[0]
        if kind == "close":
            _kind, month, after = ev
            ended = datetime.date(2026, month + 1, 1)
            day = min(ended + datetime.timedelta(days=after), READ_ON - datetime.timedelta(days=1))
            steps.append((day, n, ev))
        elif kind == "spend":
            day = START + datetime.timedelta(days=ev[1])
            steps.append((day, n, ("submit_expenditure", n, *ev[2:])))
            if ev[7] != "pending":
                decided = min(day + datetime.timedelta(days=ev[6]), READ_ON - datetime.timedelta(days=1))
                steps.append((decided, n, ("decide_expenditure", n, ev[7])))
        else:
            steps.append((START + datetime.timedelta(days=ev[1]), n, ev))
    steps.sort(key=lambda s: (s[0], s[1], s[2][0] == "decide_expenditure"))
    return steps


def build(plan: Plan, clock) -> Built:
    """Carry the plan out. `clock` is a running freezegun freezer (moved to each day in turn)."""
    clock.move_to("2026-01-02 09:00:00+08:00")
    finance = staff_user(FINANCE_OFFICER)
    officer = staff_user(PROGRAMME_OFFICER)
    organizations = [OrganizationFactory(), OrganizationFactory()]
    editors = [member(o, Role.EDITOR) for o in organizations]
    projects = [
        _project(organizations[i % 2], editors[i % 2], officer, TITLES[i], status)
        for i, status in enumerate(plan.statuses)
    ]
    channels = {
        kind: ChannelFactory(code=f"ch-{kind}", name=f"Channel {kind.title()}", kind=kind)
        for kind in CHANNEL_KINDS
    }
    funders = {kind: FunderFactory(name=f"Funder {kind.title()}", kind=kind) for kind in FUNDER_KINDS}
    general = ledger.general_fund()
    community = FundFactory(code="community-tuanjie", name="Tuanjie community fund")
    built = Built(finance, officer, organizations, projects, general, community, None, None, channels)

    campaign_fund = built.fund_of(plan.campaign_target)
    built.campaign = Campaign.objects.create(
        slug="warm-winter",
        title="A warm winter for older residents",
        summary="Health checks and home visits.",
        story="Every winter ...",
        goal=Decimal("80000.00"),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        fund=campaign_fund,
        channel=channels[Channel.Kind.ONLINE],
        matching_partner=funders[Funder.Kind.ENTERPRISE] if plan.matching_ratio else None,
        matching_ratio=plan.matching_ratio,
        matching_cap=Decimal("10000.00") if plan.matching_ratio else Decimal("0"),
        published=True,
    )
    built.grant = Grant.objects.create(
        funder=funders[Funder.Kind.GOVERNMENT],
        kind=Grant.Kind.CONTRACT,
        title="Elderly care service contract",
        reference="BT-2026-07",
        total=sum(plan.tranches, Decimal("0")),
        signed_on=datetime.date(2026, 1, 2),
        fund=built.fund_of(plan.grant_target),
        channel=channels[Channel.Kind.CONTRACT],
    )
    tranches = [
        GrantTranche.objects.create(
            grant=built.grant, number=i + 1, amount=amount, due_on=datetime.date(2026, 2 + 2 * i, 1)
        )
        for i, amount in enumerate(plan.tranches)
    ]

    expenditures: dict[int, Expenditure] = {}
    receipt = iter(range(1, 10**6))
    for day, _n, step in _timeline(plan):
        clock.move_to(f"{day.isoformat()} 10:00:00+08:00")
        try:
            _step(built, step, day, funders, tranches, expenditures, receipt)
        except ValidationError as exc:
            built.refused.append(f"{day} {step[0]}: {exc.messages}")
    clock.move_to(f"{READ_ON.isoformat()} 10:00:00+08:00")
    for p in projects:
        p.refresh_from_db()
    _note_what_happened(built)
    return built


def _note_what_happened(built: Built) -> None:
    """Hypothesis statistics (pytest --hypothesis-show-statistics): how often the hard cases came up."""
    from fundraising.models import InKindGift, LedgerTransaction, PeriodClose  # noqa: PLC0415

    txs = LedgerTransaction.objects
    cases = {
        "prior-period adjustment": txs.filter(occurred_on__isnull=False).exists(),
        "donation reversed": txs.filter(kind="reversal", reverses__kind="donation").exists(),
        "expenditure reversed": txs.filter(kind="reversal", reverses__kind="expenditure").exists(),
        "month closed": PeriodClose.objects.exists(),
        "allocation": txs.filter(kind="allocation").exists(),
        "disbursement": txs.filter(kind="disbursement").exists(),
        "grant tranche received": Donation.objects.filter(grant_tranche__isnull=False).exists(),
        "matching gift": Donation.objects.filter(is_matching=True).exists(),
        "in-kind gift": InKindGift.objects.exists(),
        "unpublished project with money": txs.filter(
            entries__fund__project__in=built.unpublished_projects
        ).exists(),
        "expenditure approved in a later month": any(
            e.decided_at.astimezone(datetime.UTC).date().replace(day=1) > e.spent_on.replace(day=1)
            for e in Expenditure.objects.exclude(decided_at=None).filter(status__in=["approved", "reversed"])
        ),
    }
    for name, happened in cases.items():
        note_event(f"{name}: {'yes' if happened else 'no'}")


def _step(built: Built, step: tuple, day, funders, tranches, expenditures, receipt) -> None:
    kind, finance = step[0], built.finance
    if kind == "donate":
        _k, _d, channel_kind, target, amount, funder_kind, via_campaign = step
        campaign = built.campaign if via_campaign else None
        channel = built.campaign.channel if campaign else built.channels[channel_kind]
        funder = funders[funder_kind] if funder_kind else None
        money.donation_record(
            channel=channel,
            amount=amount,
            received_on=day,
            fund=campaign.fund if campaign else built.fund_of(target),
            receipt_number=f"RC-{next(receipt):05d}",
            by=finance,
            funder=funder,
            donor_name=funder.name if funder else "",
            show_name=funder is not None,
            campaign=campaign,
        )
    elif kind == "tranche":
        money.tranche_receive(
            tranche=tranches[step[2] % len(tranches)],
            receipt_number=f"RC-{next(receipt):05d}",
            received_on=day,
            by=finance,
        )
    elif kind == "matching":
        money.campaign_record_matching(
            campaign=built.campaign, receipt_number=f"RC-{next(receipt):05d}", received_on=day, by=finance
        )
    elif kind == "in_kind":
        _k, _d, target, value, gift_kind = step
        money.in_kind_record(
            kind=gift_kind,
            description="Donated blood-pressure monitors",
            value=value,
            basis="Market price of the same model",
            received_on=day,
            fund=built.fund_of(target),
            by=finance,
            giver_name="A pharmacy",
        )
    elif kind == "allocate":
        _k, _d, source, target, amount = step
        money.allocation_create(
            from_fund=built.general if source == 0 else built.community,
            to_fund=built.fund_of(target),
            amount=amount,
            allocated_on=day,
            by=finance,
        )
    elif kind == "disburse":
        money.disbursement_create(
            project=built.projects[step[2] % len(built.projects)], amount=step[3], paid_on=day, by=finance
        )
    elif kind == "submit_expenditure":
        _k, n, index, amount, category, paid_from, _delay, _outcome = step
        project = built.projects[index % len(built.projects)]
        expenditures[n] = money.expenditure_submit(
            project=project,
            budget_line=project.budget_lines.get(category=category),
            amount=amount,
            spent_on=day,
            description=f"Supplies bought on {day}",
            payee="Pharmacy No. 3",
            document=receipt_file(),
            by=finance,
            paid_from=paid_from,
        )
    elif kind == "decide_expenditure":
        _k, n, outcome = step
        if n not in expenditures:
            return
        if outcome == "approve":
            money.expenditure_approve(expenditure=expenditures[n], by=finance)
        else:
            money.expenditure_reject(
                expenditure=expenditures[n], by=finance, note="The receipt is unreadable."
            )
    elif kind == "reverse_donation":
        donations = list(Donation.objects.filter(status=Donation.Status.RECORDED).order_by("pk"))
        if donations:
            money.donation_reverse(
                donation=donations[step[2] % len(donations)], by=finance, reason="Duplicate"
            )
    elif kind == "reverse_expenditure":
        spent = list(Expenditure.objects.filter(status=Expenditure.Status.APPROVED).order_by("pk"))
        if spent:
            money.expenditure_reverse(
                expenditure=spent[step[2] % len(spent)], by=finance, reason="Charged to the wrong project"
            )
    elif kind == "close":
        ledger.period_close(month=datetime.date(2026, step[1], 1), closed_by=finance)
    else:  # pragma: no cover - a plan names only the steps above
        raise AssertionError(kind)
