"""The fund-flow picture: sources → channels → funds → projects → uses, drawn from the books' sums
(fundraising.selectors.flow_money). Projects not yet published appear as one node, never by name."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from empowerment.querysets import compiled_once
from fundraising import selectors as books
from fundraising.models import Fund
from projects import selectors as project_selectors
from projects.models import Project

from ..periods import Period

ZERO = Decimal("0.00")
FUNDER_KIND_ANONYMOUS = books.FUNDER_KIND_ANONYMOUS
UNPUBLISHED_NODE = "p:unpublished"
# Net reversals in a period of money received or spent in an earlier one (links are never negative).
REVERSED_INCOME_NODE = "use:reversed_income"
REVERSED_SPENDING_NODE = "src:reversed_spending"


@dataclass
class FundFlow:
    """Sources → channels → funds → projects → uses, with every amount from the ledger.

    income is cash received (donations; for one project also the allocations into its fund), expenses the
    money spent (expense accounts), both net of reversals; transfers_in / transfers_out are money moved
    between the general and community funds (or back out of a project's fund), shown apart so `expenses`
    is exactly the period's spending.

    Conservation: opening + income + adjustments + transfers_in = expenses + transfers_out + closing,
    overall and at every node."""

    columns: list[list[tuple[str, str]]] = field(default_factory=list)
    links: list[tuple[str, str, Decimal]] = field(default_factory=list)
    opening: Decimal = ZERO
    income: Decimal = ZERO
    adjustments: Decimal = ZERO
    transfers_in: Decimal = ZERO
    transfers_out: Decimal = ZERO
    expenses: Decimal = ZERO
    closing: Decimal = ZERO
    unpublished_projects: int = 0

    @property
    def inflow(self) -> Decimal:
        return self.opening + self.income + self.adjustments + self.transfers_in

    @property
    def outflow(self) -> Decimal:
        return self.expenses + self.transfers_out + self.closing


def fund_flow(
    period: Period, *, project: Project | None = None, labels: dict | None = None, sums: dict | None = None
) -> FundFlow:
    """The money picture of the programme (or of one project) for a period.

    labels maps node kinds to display names (see transparency.labels); keys stay stable for tests. sums: the
    books' sums for that period and project (fundraising.selectors.flow_money) when already read."""
    labels = labels or {}
    if sums is None:
        sums = books.flow_money(period, project=project)
    # Only what the nodes need (kind, project): for one project's flow only the funds its sums name.
    if project is not None:
        named = (
            {fund_id for _kind, _channel, fund_id, _amount in sums["income"]}
            | {fund_id for fund_id, _category, _amount in sums["expenses"]}
            | {fund_id for pair in sums["allocations"] for fund_id in pair[:2]}
            | set(sums["adjustments"])
            | set(sums["opening"])
            | set(sums["movement"])
        )
        funds = _named_funds(named, books.project_fund(project))
    else:
        funds = {f.pk: f for f in Fund.objects.only("pk", "kind", "project_id")}
    # One project's flow that names no project but the one given, already read: whether it is public is
    # known without reading it again.
    own = project is not None and project_selectors.is_public(project)
    wanted: set[int] = set()
    if project is not None:
        wanted = {f.project_id for f in funds.values() if f.project_id}
    if own and wanted <= {project.pk}:
        public_ids = wanted
    else:
        public_read = project_selectors.public_projects()
        if project is not None:
            public_read = public_read.filter(pk__in=wanted)
        public_ids = set(public_read.values_list("pk", flat=True))
    unpublished: set[int] = set()

    def fund_node(fund_id) -> str:
        return f"fk:{funds[fund_id].kind}"

    def project_node(fund: Fund) -> str:
        if fund.project_id in public_ids:
            return f"p:{fund.project_id}"
        unpublished.add(fund.project_id)
        return UNPUBLISHED_NODE

    flow = FundFlow()
    links: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for funder_kind, channel_id, fund_id, amount in sums["income"]:
        flow.income += amount
        if amount < 0:
            # More reversed in the period than received (gifts of earlier periods undone): the money leaves
            # the fund that held it, so every node still sends on what it receives.
            fund = funds[fund_id]
            holder = project_node(fund) if fund.project_id else fund_node(fund.pk)
            links[(holder, REVERSED_INCOME_NODE)] -= amount
            continue
        channel = f"ch:{channel_id}"
        links[(f"src:{funder_kind}", channel)] += amount
        links[(channel, fund_node(fund_id))] += amount
        fund = funds[fund_id]
        if fund.project_id:
            links[(fund_node(fund.pk), project_node(fund))] += amount
    # Adjustments (net assets) enter like income, as their own source.
    for fund_id, amount in sums["adjustments"].items():
        flow.adjustments += amount
        links[("src:adjustment", fund_node(fund_id))] += amount
        fund = funds[fund_id]
        if fund.project_id:
            links[(fund_node(fund.pk), project_node(fund))] += amount
    for fund_id, amount in sums["opening"].items():
        flow.opening += amount
        links[("open", fund_node(fund_id))] += amount
        if funds[fund_id].project_id:
            links[(fund_node(fund_id), project_node(funds[fund_id]))] += amount
    # Allocations from the general and community funds into project funds.
    for from_id, to_id, amount in sums["allocations"]:
        source, target = funds[from_id], funds[to_id]
        if project is not None:
            if target.project_id == project.pk:
                flow.income += amount
                links[(f"src:allocation:{source.kind}", fund_node(target.pk))] += amount
                links[(fund_node(target.pk), f"p:{project.pk}")] += amount
            else:  # money moved back out of this project's fund
                flow.transfers_out += amount
                links[(f"p:{project.pk}", "use:transfer")] += amount
            continue
        if target.project_id:
            origin = project_node(source) if source.project_id else fund_node(source.pk)
            links[(origin, project_node(target))] += amount
        else:
            # Between pools (e.g. general → community), or back from a project: the pool's own movement.
            origin = project_node(source) if source.project_id else fund_node(source.pk)
            links[(origin, "use:transfer")] += amount
            links[("src:transfer", fund_node(target.pk))] += amount
            flow.transfers_in += amount
            flow.transfers_out += amount
    for fund_id, category, amount in sums["expenses"]:
        flow.expenses += amount
        fund = funds[fund_id]
        origin = project_node(fund) if fund.project_id else fund_node(fund.pk)
        if amount < 0:  # spending of earlier periods reversed in this one: money back into the fund
            links[(REVERSED_SPENDING_NODE, origin)] -= amount
            continue
        links[(origin, f"cat:{category}")] += amount
    for fund_id in set(sums["opening"]) | set(sums["movement"]):
        closing = sums["opening"].get(fund_id, ZERO) + sums["movement"].get(fund_id, ZERO)
        if not closing:
            continue
        flow.closing += closing
        fund = funds[fund_id]
        if fund.project_id:
            links[(project_node(fund), "bal:projects")] += closing
        else:
            links[(fund_node(fund_id), f"bal:{fund.kind}")] += closing

    flow.unpublished_projects = len(unpublished)
    flow.links = sorted(((s, t, v) for (s, t), v in links.items() if v > 0), key=lambda x: (x[0], x[1]))
    flow.columns = _flow_columns(
        flow.links, labels, unpublished=len(unpublished), titles={project.pk: project.title} if own else None
    )
    return flow


def _named_funds(named: set[int], own: Fund | None) -> dict[int, Fund]:
    """The funds one project's flow names, by id: its own fund as read with the project, the others (the
    pools its allocations came from, a handful) each by a read compiled once
    (empowerment.querysets.compiled_once): every project page draws its flow."""
    funds = {own.pk: own} if own is not None and own.pk in named else {}
    for fund_id in sorted(named - funds.keys()):
        for fund in compiled_once("flow fund", _fund_kind, fund=fund_id):
            funds[fund.pk] = fund
    return funds


def _fund_kind(fund: int) -> QuerySet[Fund]:
    return Fund.objects.filter(pk=fund).only("pk", "kind", "project_id").order_by()


def _flow_columns(
    links, labels: dict, *, unpublished: int = 0, titles: dict | None = None
) -> list[list[tuple[str, str]]]:
    """The flow's nodes in columns with their labels. titles: the titles of public projects already read (by
    id), which are not read again."""
    titles = titles or {}
    keys = {k for s, t, _ in links for k in (s, t)}
    project_ids = {int(k[2:]) for k in keys if k.startswith("p:") and k[2:].isdigit()} - set(titles)
    channels = books.channel_names(int(k[3:]) for k in keys if k.startswith("ch:") and k[3:].isdigit())
    projects = dict(titles)
    if project_ids:
        projects.update(
            (p.pk, p.title)
            for p in Project.objects.filter(project_selectors.public_project_q())
            .filter(pk__in=project_ids)
            .only("pk", "title")
        )

    def label(key: str) -> str:
        kind, _, rest = key.partition(":")
        if key == UNPUBLISHED_NODE:
            return f"{labels.get(UNPUBLISHED_NODE, 'Projects not yet published')} ({unpublished})"
        if kind == "ch":
            return channels.get(int(rest), rest) if rest.isdigit() else str(labels.get("unknown", rest))
        if kind == "p":
            return projects.get(int(rest), rest)
        return str(labels.get(key, labels.get(rest, rest)))

    order = ["src", "open", "ch", "fk", "p", "cat", "bal", "use"]
    column_of = {"src": 0, "open": 0, "ch": 1, "fk": 2, "p": 3, "cat": 4, "bal": 4, "use": 4}
    columns: list[list[tuple[str, str]]] = [[] for _ in range(5)]
    for key in sorted(keys, key=lambda k: (order.index(k.split(":")[0]), label(k))):
        kind = key.split(":")[0]
        columns[column_of[kind]].append((key, label(key)))
    return [c for c in columns if c]
