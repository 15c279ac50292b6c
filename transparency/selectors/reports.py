"""Published disclosures, answers and reports, and what a transparency report shows (money from the books)."""

import csv
import dataclasses
import io
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db.models import QuerySet, Sum

from fundraising import selectors as books
from projects import selectors as project_selectors
from projects.models import PeopleReached, Project

from ..models import Disclosure, Question, TransparencyReport
from ..periods import Period
from .common import effective_updates_all, public_projects
from .flow import UNPUBLISHED_NODE, FundFlow, fund_flow

# Donations from one giver at or above this amount are listed one by one in reports; the rest summarised.
DONATION_LISTING_THRESHOLD = Decimal("10000.00")
# A report's fund-flow picture names this many projects (the largest); the others are one node. Every
# project's lines are in the CSV attached to the PDF (flow_csv), so a programme of thousands of projects
# renders as one readable page, not a chart of thousands of nodes.
CHART_PROJECTS = 12
OTHER_PROJECTS_NODE = "p:others"


def published_disclosures(*, project=None, campaign=None, annual: bool = False) -> QuerySet[Disclosure]:
    qs = Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED).prefetch_related("corrections")
    if annual:
        return qs.filter(kind=Disclosure.Kind.ANNUAL)
    if project is not None:
        return qs.filter(project=project)
    if campaign is not None:
        return qs.filter(campaign=campaign)
    return qs


def published_answers(*, project=None, campaign=None) -> QuerySet[Question]:
    qs = Question.objects.filter(published=True, status=Question.Status.ANSWERED)
    return qs.filter(project=project) if project is not None else qs.filter(campaign=campaign)


def published_reports(*, project=None) -> QuerySet[TransparencyReport]:
    from empowerment.models import Document  # noqa: PLC0415

    qs = TransparencyReport.objects.filter(document__status=Document.Status.READY).select_related(
        "document", "project"
    )
    if project is not None:
        qs = qs.filter(project=project)
    return qs.order_by("-period_start", "scope", "language")


def report_by_code(code: str) -> TransparencyReport | None:
    from empowerment.models import Document  # noqa: PLC0415

    code = (code or "").strip().upper()
    if not code or len(code) > 32:
        return None
    report = (
        TransparencyReport.objects.select_related("document", "project", "project__organization")
        .filter(document__verification_code=code, document__status=Document.Status.READY)
        .first()
    )
    if report is not None and report.project_id and not report.project.is_public:
        return None
    return report


def reports_for_organization(organization) -> QuerySet[TransparencyReport]:
    return (
        TransparencyReport.objects.filter(project__organization=organization)
        .select_related("document", "project")
        .order_by("-created_at")
    )


def reports_for_staff() -> QuerySet[TransparencyReport]:
    return TransparencyReport.objects.select_related("document", "project").order_by("-created_at")


def report_content(period: Period, *, project: Project | None = None, labels: dict | None = None) -> dict:
    """Everything a transparency report shows, every money figure from the books (fundraising.selectors)
    by the ledger date: sources and uses, balances, income by channel, spending by category and itemised
    (public projects by name; projects not yet published as one line; the list totals the headline
    spending), donations above the threshold (named only where the donor agreed; the rest as one line so
    the list totals the income), prior-period adjustments posted in the period and adjustments about the
    period posted later, people reached and indicators against their targets."""
    flow = fund_flow(period, project=project, labels=labels)
    money = books.period_rows(period, project=project)[0]
    income_by_channel = sorted(books.raised_by_channel(money.filter(account__type="income")))
    spent_by_category = [
        (row["account__category"], books.money(row["s"]))
        for row in money.filter(account__type="expense")
        .values("account__category")
        .annotate(s=Sum("amount"))
        .order_by("account__category")
        if books.money(row["s"])
    ]
    donations = books.donations_in_period(period, project=project, threshold=DONATION_LISTING_THRESHOLD)
    spending = books.itemised_spending(period, project=project)
    updates = effective_updates_all().filter(period_end__gte=period.start, period_end__lte=period.end)
    if project is not None:
        updates = updates.filter(project=project)
    people = PeopleReached.objects.filter(update__in=updates).aggregate(n=Sum("count"))["n"] or 0
    indicators = []
    if project is not None:
        indicators = [(None, p) for p in project_selectors.indicator_progress(project, until=period.end)]
    else:
        for p in public_projects().filter(indicators__isnull=False).distinct().order_by("title")[:30]:
            indicators.extend((p, ip) for ip in project_selectors.indicator_progress(p, until=period.end))
    return {
        "flow": flow,
        "income_by_channel": income_by_channel,
        "spent_by_category": spent_by_category,
        "large_donations": donations["large"],
        "small_donations_count": donations["small_count"],
        "small_donations_total": donations["small_total"],
        "donations_total": donations["total"],
        "threshold": DONATION_LISTING_THRESHOLD,
        "expenditures": spending["rows"],
        "expenditures_unpublished": spending["unpublished"],
        "expenditures_more": spending["more"],
        "expenditure_total": spending["total"],
        "prior_period_adjustments": books.prior_period_adjustments(period, project=project),
        "adjustments_posted_later": books.adjustments_posted_later(period, project=project),
        "people_reached": people,
        "indicators": indicators,
        "disclosures": list(
            published_disclosures(project=project) if project else published_disclosures(annual=True)
        ),
    }


def _is_named_project(key: str) -> bool:
    return key.startswith("p:") and key[2:].isdigit()


def chart_flow(flow: FundFlow, *, label: Callable[[int], str], keep: int | None = None) -> FundFlow:
    """The fund flow as a report draws it: the `keep` (CHART_PROJECTS unless given) largest projects, by
    what flows through them, by name; every other public project merged into one node named
    `label(count)`. Links into and out of the merged projects are summed, money moved between two of them
    drops out of the picture (it enters and leaves the same node), so every node still sends on what it
    receives and the headline figures are those of `flow`. Projects not yet published stay their own
    node. A flow with at most keep + 1 projects comes back unchanged."""
    keep = CHART_PROJECTS if keep is None else keep
    size: dict[str, Decimal] = defaultdict(Decimal)
    inflow: dict[str, Decimal] = defaultdict(Decimal)
    for source, target, amount in flow.links:
        size[source] += amount
        inflow[target] += amount
    for key, amount in inflow.items():
        size[key] = max(size[key], amount)
    projects = [key for column in flow.columns for key, _label in column if _is_named_project(key)]
    if len(projects) <= keep + 1:
        return flow
    kept = set(sorted(projects, key=lambda k: (-size[k], k))[:keep])
    merged = len(projects) - len(kept)

    def node(key: str) -> str:
        return OTHER_PROJECTS_NODE if _is_named_project(key) and key not in kept else key

    links: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for source, target, amount in flow.links:
        source, target = node(source), node(target)
        if source != target:
            links[(source, target)] += amount
    columns = []
    for column in flow.columns:
        if not any(_is_named_project(key) for key, _label in column):
            columns.append(column)
            continue
        shown = [(key, name) for key, name in column if key not in projects or key in kept]
        unpublished = [(key, name) for key, name in shown if key == UNPUBLISHED_NODE]
        shown = [(key, name) for key, name in shown if key != UNPUBLISHED_NODE]
        columns.append([*shown, (OTHER_PROJECTS_NODE, label(merged)), *unpublished])
    return dataclasses.replace(
        flow,
        links=sorted(((s, t, v) for (s, t), v in links.items() if v > 0), key=lambda x: (x[0], x[1])),
        columns=columns,
    )


def flow_csv(flow: FundFlow, *, header: tuple[str, str, str]) -> str:
    """Every link of the fund flow (from, to, amount in yuan), one line each with the nodes' names: the
    whole picture as a table, attached to a report's PDF. UTF-8 with a byte-order mark so spreadsheet
    programs read the Chinese names; cells that a spreadsheet would run as a formula are neutralised."""
    from empowerment.spreadsheets import safe_cell  # noqa: PLC0415

    names = {key: label for column in flow.columns for key, label in column}
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for source, target, amount in flow.links:
        writer.writerow(
            [safe_cell(names.get(source, source)), safe_cell(names.get(target, target)), f"{amount:.2f}"]
        )
    return out.getvalue()
