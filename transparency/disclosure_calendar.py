"""The disclosure calendar required by the Charity Law, computed from projects and campaigns:

- a project or campaign lasting over six months discloses its progress and funds at least every three
  months: one disclosure per three-month period from its start, due DUE_AFTER_PERIOD days after the
  period ends;
- every project and campaign makes a final disclosure within three months of its end, explaining any
  funds left over;
- the programme publishes its annual work report (年度工作报告, filed with the civil affairs bureau) for a year
  by 31 May of the next year (transparency.workreport writes and publishes it); the current year's shows as
  upcoming.

An obligation is met by a published Disclosure of the same target, kind and period end.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fundraising.models import Account, Allocation, Donation
from fundraising.selectors.books import posted_not_reversed
from projects.models import Project

from . import selectors
from .models import Disclosure

LONG_RUNNING = relativedelta(months=6)
STEP = relativedelta(months=3)
FINAL_WITHIN = relativedelta(months=3)
DUE_AFTER_PERIOD = timedelta(days=30)
SOON = timedelta(days=14)
ZERO = Decimal("0.00")


@dataclass
class Obligation:
    kind: str
    period_start: date
    period_end: date
    due_on: date
    state: str  # done, upcoming, due, soon, overdue
    project: Project | None = None
    campaign: object = None
    disclosure: Disclosure | None = None

    @property
    def key(self) -> str:
        target = (
            f"project:{self.project.pk}"
            if self.project
            else f"campaign:{self.campaign.pk}"
            if self.campaign
            else "programme"
        )
        return f"{target}:{self.kind}:{self.period_end.isoformat()}"

    @property
    def target(self):
        return self.project or self.campaign

    @property
    def title(self) -> str:
        kind = dict(Disclosure.Kind.choices)[self.kind]
        target = self.target
        return f"{kind} · {target}" if target is not None else str(kind)

    @property
    def state_label(self) -> str:
        return {
            "done": _("Published"),
            "upcoming": _("Period not ended"),
            "due": _("Due"),
            "soon": _("Due soon"),
            "overdue": _("Overdue"),
        }[self.state]

    @property
    def days_late(self) -> int:
        return max(0, (timezone.localdate() - self.due_on).days)


def _state(due_on: date, period_end: date, today: date, done: bool) -> str:
    if done:
        return "done"
    if today > due_on:
        return "overdue"
    if due_on - today <= SOON:
        return "soon"
    if today > period_end:
        return "due"
    return "upcoming"


def _periods(start: date, end: date, today: date):
    """(kind, period_start, period_end, due_on) of the disclosures one project or campaign owes."""
    if end > start + LONG_RUNNING:
        current = start
        while current <= min(end, today):
            period_end = min(current + STEP - timedelta(days=1), end)
            if period_end >= end:
                break  # the last stretch is covered by the final disclosure
            yield Disclosure.Kind.PROGRESS, current, period_end, period_end + DUE_AFTER_PERIOD
            current = period_end + timedelta(days=1)
    if start <= today:
        yield Disclosure.Kind.FINAL, start, end, end + FINAL_WITHIN


def obligations(
    *, today: date | None = None, organization=None, include_done: bool = True
) -> list[Obligation]:
    """Every disclosure owed up to today (and those whose period is running), soonest due first.
    For one organization: its projects only."""
    today = today or timezone.localdate()
    published = {}
    for d in Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED):
        published[(d.project_id, d.campaign_id, d.kind, d.period_end)] = d
    items: list[Obligation] = []
    projects = selectors.public_projects().filter(start_date__isnull=False, end_date__isnull=False)
    if organization is not None:
        projects = projects.filter(organization=organization)
    for project in projects.select_related("organization"):
        for kind, start, end, due in _periods(project.start_date, project.end_date, today):
            done = published.get((project.pk, None, kind, end))
            items.append(
                Obligation(
                    kind,
                    start,
                    end,
                    due,
                    _state(due, end, today, bool(done)),
                    project=project,
                    disclosure=done,
                )
            )
    if organization is None:
        for campaign in selectors.public_campaigns():
            for kind, start, end, due in _periods(campaign.starts_on, campaign.ends_on, today):
                done = published.get((None, campaign.pk, kind, end))
                items.append(
                    Obligation(
                        kind,
                        start,
                        end,
                        due,
                        _state(due, end, today, bool(done)),
                        campaign=campaign,
                        disclosure=done,
                    )
                )
        first = selectors.public_projects().aggregate(m=Min("start_date"))["m"]
        if first is not None:
            for year in range(first.year, today.year + 1):
                start, end = date(year, 1, 1), date(year, 12, 31)
                due = date(year + 1, 5, 31)  # the civil affairs bureau's deadline (workreport.annual_due_on)
                done = published.get((None, None, Disclosure.Kind.ANNUAL, end))
                items.append(
                    Obligation(
                        Disclosure.Kind.ANNUAL,
                        start,
                        end,
                        due,
                        _state(due, end, today, bool(done)),
                        disclosure=done,
                    )
                )
    if not include_done:
        items = [i for i in items if i.state != "done"]
    order = {"overdue": 0, "soon": 1, "due": 2, "upcoming": 3, "done": 4}
    return sorted(items, key=lambda i: (order[i.state], i.due_on, i.title))


def find(key: str, *, today: date | None = None, organization=None) -> Obligation | None:
    for item in obligations(today=today, organization=organization):
        if item.key == key:
            return item
    return None


def funds_for(*, project=None, campaign=None, start: date, end: date) -> dict:
    """Money received and spent in the period, and the balance at its end, for a project's fund, a
    campaign (its donations; its fund's spending and balance) or the whole programme."""
    entries = selectors.cash_entries()
    if project is not None:
        entries = entries.filter(fund__project=project)
    elif campaign is not None:
        entries = entries.filter(fund=campaign.fund)
    during = entries.filter(transaction__date__gte=start, transaction__date__lte=end)
    spent = during.filter(account__type=Account.Type.EXPENSE).aggregate(s=Sum("amount"))["s"] or ZERO
    balance = (
        entries.filter(account__type=Account.Type.ASSET, transaction__date__lte=end).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    if campaign is not None:
        received = (
            Donation.objects.filter(
                campaign=campaign,
                status=Donation.Status.RECORDED,
                received_on__gte=start,
                received_on__lte=end,
            ).aggregate(s=Sum("amount"))["s"]
            or ZERO
        )
    else:
        received = -(during.filter(account__type=Account.Type.INCOME).aggregate(s=Sum("amount"))["s"] or ZERO)
        if project is not None:
            allocated = Allocation.objects.filter(
                posted_not_reversed(),
                Q(to_fund__project=project),
                ledger_transaction__date__gte=start,
                ledger_transaction__date__lte=end,
            ).aggregate(s=Sum("amount"))["s"]
            received += allocated or ZERO
    q = Decimal("0.01")
    return {
        "received": Decimal(received).quantize(q),
        "spent": Decimal(spent).quantize(q),
        "balance": Decimal(balance).quantize(q),
    }
