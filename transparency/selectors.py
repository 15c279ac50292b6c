"""Reads for the public transparency pages, reports and open data: only what is approved for publication,
every figure computed by the database.

Money comes from the fundraising ledger (the one source of truth: reversals are already netted in it).
In-kind accounts are left out of every cash figure. Where the other apps offer a selector it is used;
the queries against their models written here (ledger sums, certificates, people reached across
projects) are noted as candidates for their selectors modules.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from empowerment import freshness
from fundraising.models import (
    Account,
    Allocation,
    Campaign,
    Channel,
    Donation,
    Expenditure,
    Fund,
    Grant,
    LedgerEntry,
    LedgerMonthTotal,
    LedgerTransaction,
)
from organizations import selectors as org_selectors
from organizations.models import Area, Organization, Theme, VolunteerHours
from projects import selectors as project_selectors
from projects.models import PeopleReached, ProgressUpdate, Project
from trainings.models import Certificate

from .models import Disclosure, Question, TransparencyReport
from .periods import Period

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
DASHBOARD_CACHE_SECONDS = 300
_VERSION_KEY = "transparency:figures-version"
# Donations from one giver at or above this amount are listed one by one in reports; the rest summarised.
DONATION_LISTING_THRESHOLD = Decimal("10000.00")


def _money(value) -> Decimal:
    return (Decimal(value) if value is not None else ZERO).quantize(Decimal("0.01"))


def cash_entries() -> QuerySet[LedgerEntry]:
    """Ledger entries of cash accounts (everything but in-kind)."""
    return LedgerEntry.objects.filter(account__in_kind=False)


def cash_month_totals() -> QuerySet[LedgerMonthTotal]:
    """The ledger's monthly totals (per account and fund) of cash accounts: the same sums as
    `cash_entries()` over whole months, from a table a few percent of its size."""
    return LedgerMonthTotal.objects.filter(account__in_kind=False)


def _whole_months(period: Period | None) -> bool:
    return period is None or (
        period.start.day == 1 and (period.end + relativedelta(days=1)).day == 1 and period.end >= period.start
    )


def money_source(period: Period | None) -> tuple[QuerySet, str]:
    """(queryset, date path) to sum cash amounts over a period: the monthly totals when the period is made of
    whole months (every dashboard and report period), the entries themselves otherwise."""
    if _whole_months(period):
        return cash_month_totals(), "month"
    return cash_entries(), "transaction__date"


def _in(qs, period: Period | None, prefix: str = "transaction__date"):
    if period is None:
        return qs
    return qs.filter(**{f"{prefix}__gte": period.start, f"{prefix}__lte": period.end})


# Cache --------------------------------------------------------------------------------------------


def figures_version() -> int:
    return cache.get_or_set(_VERSION_KEY, freshness.first_version, None)


def figures_changed() -> None:
    """The hook other apps call (after commit) when public figures change: drops every cached figure."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, freshness.first_version(), None)
    freshness.touch(freshness.PAGES)


# The topics whose changes (reported by the other apps through empowerment.freshness) alter the figures.
FIGURE_TOPICS = ("money", "projects", "trainings")


def figures_stamp() -> str:
    """The versions of everything public figures depend on, for cache keys and the dashboard snapshot."""
    return f"v{figures_version()}:{freshness.versions(*FIGURE_TOPICS)}"


def cached(name: str, compute, timeout: int = DASHBOARD_CACHE_SECONDS):
    key = f"transparency:{name}:{figures_stamp()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


# Public objects -----------------------------------------------------------------------------------


def public_projects() -> QuerySet[Project]:
    return project_selectors.public_projects()


def public_project(slug: str) -> Project | None:
    return project_selectors.public_project(slug)


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(published=True).select_related("fund", "fund__project")


def public_campaign(slug: str) -> Campaign | None:
    return public_campaigns().filter(slug=slug).first()


def effective_updates_all() -> QuerySet[ProgressUpdate]:
    """Approved updates of public projects that no approved correction replaces (every project)."""
    replaced = ProgressUpdate.objects.filter(supersedes=OuterRef("pk"), status=ProgressUpdate.Status.APPROVED)
    return ProgressUpdate.objects.filter(
        status=ProgressUpdate.Status.APPROVED, project__status__in=Project.PUBLIC_STATUSES
    ).exclude(Exists(replaced))


def valid_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.filter(revoked_at__isnull=True)


# Dashboard ----------------------------------------------------------------------------------------


def _city_code(code_field: str):
    """The league/city division code of an area code (its first four digits + "00")."""
    return Substr(code_field, 1, 4)


def _city_names(prefixes) -> dict[str, Area]:
    codes = [f"{p}00" for p in prefixes if p]
    return {a.code[:4]: a for a in Area.objects.filter(code__in=codes, level=Area.Level.CITY)}


def programme_figures(period: Period | None = None) -> dict:
    """The dashboard's figures, as plain data (codes, ids and Decimals; labels are added when shown)."""
    updates = effective_updates_all()
    if period is not None:
        updates = updates.filter(period_end__gte=period.start, period_end__lte=period.end)
    people = PeopleReached.objects.filter(update__in=updates)
    certificates = valid_certificates()
    projects = public_projects()
    source, date_path = money_source(period)
    entries = _in(source, period, date_path)
    income = entries.filter(account__type=Account.Type.INCOME)
    expense = entries.filter(account__type=Account.Type.EXPENSE)
    balance_qs = source.filter(account__type=Account.Type.ASSET)
    if period is not None:
        balance_qs = balance_qs.filter(**{f"{date_path}__lte": period.end})

    figures = {
        "organizations_trained": certificates.values("enrolment__participant__organization")
        .distinct()
        .count(),
        "participants_certified": certificates.values("enrolment__participant").distinct().count(),
        "projects_incubated": projects.count(),
        "projects_active": projects.filter(status=Project.Status.ACTIVE).count(),
        "people_reached": people.aggregate(n=Sum("count"))["n"] or 0,
        "volunteer_hours": _money(updates.aggregate(h=Sum("volunteer_hours"))["h"]),
        "team_volunteer_hours": _money(
            _in(VolunteerHours.objects.all(), period, "date").aggregate(h=Sum("hours"))["h"]
        ),
        "raised": _money(-(income.aggregate(s=Sum("amount"))["s"] or 0)),
        "spent": _money(expense.aggregate(s=Sum("amount"))["s"]),
        "balance": _money(balance_qs.aggregate(s=Sum("amount"))["s"]),
        "raised_by_channel": [
            (row["account__channel__name"] or "", _money(-row["total"]))
            for row in income.values("account__channel__name")
            .annotate(total=Sum("amount"))
            .order_by("total", "account__channel__name")
            if row["total"]
        ],
        "spent_by_category": [
            (row["account__category"], _money(row["total"]))
            for row in expense.values("account__category")
            .annotate(total=Sum("amount"))
            .order_by("-total", "account__category")
            if row["total"]
        ],
    }
    # By theme: projects, people reached and money spent.
    theme_rows = {
        row["theme_id"]: {"projects": row["n"], "people": 0, "spent": ZERO}
        for row in projects.order_by().values("theme_id").annotate(n=Count("pk"))
    }
    for row in people.order_by().values("update__project__theme_id").annotate(n=Sum("count")):
        theme_rows.setdefault(row["update__project__theme_id"], {"projects": 0, "people": 0, "spent": ZERO})
        theme_rows[row["update__project__theme_id"]]["people"] = row["n"]
    for row in (
        expense.filter(fund__project__isnull=False)
        .order_by()
        .values("fund__project__theme_id")
        .annotate(total=Sum("amount"))
    ):
        theme_rows.setdefault(row["fund__project__theme_id"], {"projects": 0, "people": 0, "spent": ZERO})
        theme_rows[row["fund__project__theme_id"]]["spent"] = _money(row["total"])
    figures["by_theme"] = theme_rows
    # By city: organizations taking part, projects and money spent.
    city_rows: dict[str, dict] = defaultdict(lambda: {"organizations": 0, "projects": 0, "spent": ZERO})
    for row in (
        org_selectors.public_organizations()
        .order_by()
        .annotate(city=_city_code("area__code"))
        .values("city")
        .annotate(n=Count("pk"))
    ):
        city_rows[row["city"]]["organizations"] = row["n"]
    for row in (
        projects.order_by()
        .annotate(city=_city_code("community__code"))
        .values("city")
        .annotate(n=Count("pk"))
    ):
        city_rows[row["city"]]["projects"] = row["n"]
    for row in (
        expense.filter(fund__project__isnull=False)
        .order_by()
        .annotate(city=_city_code("fund__project__community__code"))
        .values("city")
        .annotate(total=Sum("amount"))
    ):
        city_rows[row["city"]]["spent"] = _money(row["total"])
    figures["by_city"] = dict(city_rows)
    # Over time: the last twelve months (or the chosen period), raised and spent per month.
    if period is None:
        end = timezone.localdate().replace(day=1)
        months = [end - relativedelta(months=i) for i in range(11, -1, -1)]
        monthly = source.filter(**{f"{date_path}__gte": months[0]})
    else:
        months = period.months()[-36:]
        monthly = entries
    per_month = defaultdict(lambda: {"raised": ZERO, "spent": ZERO})
    for row in (
        monthly.filter(account__type__in=[Account.Type.INCOME, Account.Type.EXPENSE])
        .annotate(period_month=TruncMonth(date_path))
        .order_by()
        .values("period_month", "account__type")
        .annotate(total=Sum("amount"))
    ):
        month = row["period_month"]
        month = month.date() if hasattr(month, "date") else month
        key = "raised" if row["account__type"] == Account.Type.INCOME else "spent"
        per_month[month][key] = _money(-row["total"] if key == "raised" else row["total"])
    figures["monthly"] = [(m, per_month[m]["raised"], per_month[m]["spent"]) for m in months]
    return figures


def theme_names() -> dict:
    return {theme.pk: theme for theme in Theme.objects.all()}


def city_areas(prefixes) -> dict[str, Area]:
    return _city_names(prefixes)


# Fund flow ----------------------------------------------------------------------------------------


@dataclass
class FundFlow:
    """Sources → channels → funds → projects → uses, with every amount from the ledger.

    Conservation: opening + income (+ adjustments) = expenses + closing, overall and at every node."""

    columns: list[list[tuple[str, str]]] = field(default_factory=list)
    links: list[tuple[str, str, Decimal]] = field(default_factory=list)
    opening: Decimal = ZERO
    income: Decimal = ZERO
    adjustments: Decimal = ZERO
    expenses: Decimal = ZERO
    closing: Decimal = ZERO

    @property
    def inflow(self) -> Decimal:
        return self.opening + self.income + self.adjustments

    @property
    def outflow(self) -> Decimal:
        return self.expenses + self.closing


FUNDER_KIND_ANONYMOUS = "anonymous"


def fund_flow(period: Period, *, project: Project | None = None, labels: dict | None = None) -> FundFlow:
    """The money picture of the programme (or of one project) for a period.

    labels maps node kinds to display names (see views); keys stay stable for tests."""
    labels = labels or {}
    entries = cash_entries()
    source, date_path = money_source(period)  # monthly totals for whole months; entries otherwise
    if project is not None:
        entries = entries.filter(fund__project=project)
        source = source.filter(fund__project=project)
    before = source.filter(**{f"{date_path}__lt": period.start})
    during = _in(source, period, date_path)
    # Income by funder kind needs each entry's donation: the entries themselves.
    income_entries = _in(entries, period).filter(account__type=Account.Type.INCOME)

    funds = {f.pk: f for f in Fund.objects.select_related("project")}

    def fund_node(fund_id) -> str:
        return f"fk:{funds[fund_id].kind}"

    flow = FundFlow()
    links: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    # Opening and closing balances per fund (cash and advances).
    opening = {
        r["fund_id"]: _money(r["s"])
        for r in before.filter(account__type=Account.Type.ASSET).values("fund_id").annotate(s=Sum("amount"))
    }
    movement = {
        r["fund_id"]: _money(r["s"])
        for r in during.filter(account__type=Account.Type.ASSET).values("fund_id").annotate(s=Sum("amount"))
    }
    # Income by funder kind, channel and fund.
    funder_kind = Coalesce(
        "transaction__donation__funder__kind",
        "transaction__reverses__donation__funder__kind",
        Value(FUNDER_KIND_ANONYMOUS),
    )
    for row in (
        income_entries.annotate(funder_kind=funder_kind)
        .values("funder_kind", "account__channel_id", "fund_id")
        .annotate(s=Sum("amount"))
    ):
        amount = _money(-row["s"])
        if not amount:
            continue
        flow.income += amount
        channel = f"ch:{row['account__channel_id']}"
        links[(f"src:{row['funder_kind']}", channel)] += amount
        links[(channel, fund_node(row["fund_id"]))] += amount
        fund = funds[row["fund_id"]]
        if fund.project_id:
            links[(fund_node(fund.pk), f"p:{fund.project_id}")] += amount
    # Adjustments (net assets) enter like income, as their own source.
    for row in (
        during.filter(account__type=Account.Type.NET_ASSETS).values("fund_id").annotate(s=Sum("amount"))
    ):
        amount = _money(-row["s"])
        if not amount:
            continue
        flow.adjustments += amount
        links[("src:adjustment", fund_node(row["fund_id"]))] += amount
        fund = funds[row["fund_id"]]
        if fund.project_id:
            links[(fund_node(fund.pk), f"p:{fund.project_id}")] += amount
    # Opening balances.
    for fund_id, amount in opening.items():
        if not amount:
            continue
        flow.opening += amount
        links[("open", fund_node(fund_id))] += amount
        if funds[fund_id].project_id:
            links[(fund_node(fund_id), f"p:{funds[fund_id].project_id}")] += amount
    # Allocations from the general and community funds into project funds (reversed ones excluded, as
    # their reversal nets them out of the ledger).
    allocations = Allocation.objects.filter(
        ledger_transaction__date__gte=period.start,
        ledger_transaction__date__lte=period.end,
        ledger_transaction__reversed_by__isnull=True,
    )
    if project is not None:
        allocations = allocations.filter(Q(to_fund__project=project) | Q(from_fund__project=project))
    for row in allocations.values("from_fund_id", "to_fund_id").annotate(s=Sum("amount")):
        amount = _money(row["s"])
        source, target = funds[row["from_fund_id"]], funds[row["to_fund_id"]]
        if project is not None:
            if target.project_id == project.pk:
                flow.income += amount
                links[(f"src:allocation:{source.kind}", fund_node(target.pk))] += amount
                links[(fund_node(target.pk), f"p:{project.pk}")] += amount
            else:  # money moved out of this project's fund
                flow.expenses += amount
                links[(f"p:{project.pk}", "use:transfer")] += amount
            continue
        if target.project_id:
            links[(fund_node(source.pk), f"p:{target.project_id}")] += amount
        else:
            # Between pools (e.g. general → community): shown as the pool's own balance movement.
            links[(fund_node(source.pk), "use:transfer")] += amount
            links[("src:transfer", fund_node(target.pk))] += amount
            flow.income += amount
            flow.expenses += amount
    # Expenses by fund and category.
    for row in (
        during.filter(account__type=Account.Type.EXPENSE)
        .values("fund_id", "account__category")
        .annotate(s=Sum("amount"))
    ):
        amount = _money(row["s"])
        if not amount:
            continue
        flow.expenses += amount
        fund = funds[row["fund_id"]]
        origin = f"p:{fund.project_id}" if fund.project_id else fund_node(fund.pk)
        links[(origin, f"cat:{row['account__category']}")] += amount
    # Closing balances.
    for fund_id in set(opening) | set(movement):
        closing = opening.get(fund_id, ZERO) + movement.get(fund_id, ZERO)
        if not closing:
            continue
        flow.closing += closing
        fund = funds[fund_id]
        if fund.project_id:
            links[(f"p:{fund.project_id}", "bal:projects")] += closing
        else:
            links[(fund_node(fund_id), f"bal:{fund.kind}")] += closing

    flow.links = [(s, t, v) for (s, t), v in links.items() if v > 0]
    flow.columns = _flow_columns(flow.links, labels)
    return flow


def _flow_columns(links, labels: dict) -> list[list[tuple[str, str]]]:
    keys = {k for s, t, _ in links for k in (s, t)}
    channels = {
        c.pk: c.name
        for c in Channel.objects.filter(
            pk__in=[int(k[3:]) for k in keys if k.startswith("ch:") and k[3:].isdigit()]
        )
    }
    projects = {
        p.pk: p.title
        for p in Project.objects.filter(pk__in=[int(k[2:]) for k in keys if k.startswith("p:")]).only(
            "pk", "title"
        )
    }

    def label(key: str) -> str:
        kind, _, rest = key.partition(":")
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


# Money per project and campaign -------------------------------------------------------------------


def _fund_sum(account_type: str, *, sign: int = 1, outer: str = "pk", path: str = "fund__project"):
    qs = (
        cash_month_totals()
        .filter(**{path: OuterRef(outer)}, account__type=account_type)
        .order_by()
        .values(path)
        .annotate(s=Sum("amount") * sign)
        .values("s")[:1]
    )
    return Coalesce(Subquery(qs, output_field=MONEY), Value(ZERO, output_field=MONEY))


def with_money(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects annotated with money_raised (income into their fund), money_allocated (from the general
    and community funds), money_spent and money_balance (cash and advances held)."""
    allocated = (
        Allocation.objects.filter(
            to_fund__project=OuterRef("pk"), ledger_transaction__reversed_by__isnull=True
        )
        .order_by()
        .values("to_fund__project")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    return projects.annotate(
        money_raised=_fund_sum(Account.Type.INCOME, sign=-1),
        money_allocated=Coalesce(Subquery(allocated, output_field=MONEY), Value(ZERO, output_field=MONEY)),
        money_spent=_fund_sum(Account.Type.EXPENSE),
        money_balance=_fund_sum(Account.Type.ASSET),
    ).annotate(money_received=F("money_raised") + F("money_allocated"))


def campaigns_with_money(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    raised = (
        Donation.objects.filter(campaign=OuterRef("pk"), status=Donation.Status.RECORDED)
        .order_by()
        .values("campaign")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    donors = (
        Donation.objects.filter(campaign=OuterRef("pk"), status=Donation.Status.RECORDED)
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return campaigns.annotate(
        money_raised=Coalesce(Subquery(raised, output_field=MONEY), Value(ZERO, output_field=MONEY)),
        donation_count=Coalesce(Subquery(donors), Value(0)),
    )


# Directories --------------------------------------------------------------------------------------


def _search(qs: QuerySet, q: str, fields: list[str]) -> QuerySet:
    """Full-text search on PostgreSQL; a case-insensitive match on SQLite (and for Chinese text, which
    PostgreSQL's simple configuration does not split into words, a substring match as well)."""
    q = q.replace("\x00", "").strip()[:100]
    if not q:
        return qs
    contains = Q()
    for name in fields:
        contains |= Q(**{f"{name}__icontains": q})
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector  # noqa: PLC0415

        vector = SearchVector(*fields, config="simple")
        query = SearchQuery(q, config="simple", search_type="websearch")
        return qs.annotate(search=vector).filter(Q(search=query) | contains)
    return qs.filter(contains)


def organization_directory(*, q: str = "", theme: str = "", city: str = "") -> QuerySet[Organization]:
    qs = org_selectors.public_organizations().select_related("area__parent__parent__parent")
    if theme:
        qs = qs.filter(themes__slug=theme)
    if city:
        qs = qs.filter(area__code__startswith=city[:4])
    qs = _search(qs, q, ["name", "name_en", "description"])
    trained = valid_certificates().filter(enrolment__participant__organization=OuterRef("pk"))
    return (
        qs.annotate(
            public_projects=Count(
                "projects", filter=Q(projects__status__in=Project.PUBLIC_STATUSES), distinct=True
            ),
            trained=Exists(trained),
        )
        .distinct()
        .order_by("name")
    )


def public_organization(slug: str) -> Organization | None:
    return org_selectors.public_organizations().filter(slug=slug).first()


def organization_training(organization) -> dict:
    certificates = valid_certificates().filter(enrolment__participant__organization=organization)
    return {
        "certified": certificates.values("enrolment__participant").distinct().count(),
        "cohorts": list(
            certificates.values("enrolment__cohort__name", "enrolment__cohort__ends_on")
            .annotate(n=Count("enrolment__participant", distinct=True))
            .order_by("-enrolment__cohort__ends_on")
        ),
    }


def project_directory(*, q: str = "", theme: str = "", city: str = "", status: str = "") -> QuerySet[Project]:
    qs = public_projects().select_related("organization", "theme", "community")
    if theme:
        qs = qs.filter(theme__slug=theme)
    if status and status in Project.PUBLIC_STATUSES:
        qs = qs.filter(status=status)
    if city:
        qs = qs.filter(community__code__startswith=city[:4])
    qs = _search(qs, q, ["title", "summary", "organization__name", "organization__name_en"])
    return with_money(qs).order_by("title")


def campaign_directory(*, q: str = "", state: str = "") -> QuerySet[Campaign]:
    qs = public_campaigns()
    today = timezone.localdate()
    if state == "open":
        qs = qs.filter(starts_on__lte=today, ends_on__gte=today)
    elif state == "ended":
        qs = qs.filter(ends_on__lt=today)
    qs = _search(qs, q, ["title", "summary", "story"])
    return campaigns_with_money(qs).order_by("-starts_on", "title")


def cities() -> QuerySet[Area]:
    return Area.objects.filter(level=Area.Level.CITY).order_by("code")


# Project and campaign pages -----------------------------------------------------------------------


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


def project_money(project) -> Project:
    return with_money(Project.objects.filter(pk=project.pk)).get()


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


# Report contents ----------------------------------------------------------------------------------


def report_content(period: Period, *, project: Project | None = None, labels: dict | None = None) -> dict:
    """Everything a transparency report shows: sources and uses, balances, donations above the threshold
    (named only where the donor agreed; the rest summarised), expenditures, people reached and indicators
    against their targets."""
    flow = fund_flow(period, project=project, labels=labels)
    source, date_path = money_source(period)
    entries = _in(source, period, date_path)
    if project is not None:
        entries = entries.filter(fund__project=project)
    income_by_channel = [
        (row["account__channel__name"] or "", _money(-row["s"]))
        for row in entries.filter(account__type=Account.Type.INCOME)
        .values("account__channel__name")
        .annotate(s=Sum("amount"))
        .order_by("account__channel__name")
        if row["s"]
    ]
    spent_by_category = [
        (row["account__category"], _money(row["s"]))
        for row in entries.filter(account__type=Account.Type.EXPENSE)
        .values("account__category")
        .annotate(s=Sum("amount"))
        .order_by("account__category")
        if row["s"]
    ]
    donations = Donation.objects.filter(
        status=Donation.Status.RECORDED, received_on__gte=period.start, received_on__lte=period.end
    ).select_related("funder", "channel", "fund")
    if project is not None:
        donations = donations.filter(fund__project=project)
    large = list(donations.filter(amount__gte=DONATION_LISTING_THRESHOLD).order_by("-amount", "received_on"))
    small = donations.filter(amount__lt=DONATION_LISTING_THRESHOLD).aggregate(n=Count("pk"), s=Sum("amount"))
    expenditures = Expenditure.objects.filter(
        status=Expenditure.Status.APPROVED, spent_on__gte=period.start, spent_on__lte=period.end
    ).select_related("project", "budget_line")
    if project is not None:
        expenditures = expenditures.filter(project=project)
    else:
        expenditures = expenditures.filter(project__status__in=Project.PUBLIC_STATUSES)
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
        "large_donations": large,
        "small_donations_count": small["n"] or 0,
        "small_donations_total": _money(small["s"]),
        "threshold": DONATION_LISTING_THRESHOLD,
        "expenditures": list(expenditures.order_by("spent_on", "pk")[:200]),
        "expenditure_total": _money(expenditures.aggregate(s=Sum("amount"))["s"]),
        "people_reached": people,
        "indicators": indicators,
        "disclosures": list(
            published_disclosures(project=project) if project else published_disclosures(annual=True)
        ),
    }


# Open data ----------------------------------------------------------------------------------------


def open_organizations() -> QuerySet[Organization]:
    return org_selectors.public_organizations().select_related("area").order_by("pk")


def open_projects() -> QuerySet[Project]:
    return with_money(public_projects().select_related("organization", "theme", "community")).order_by("pk")


def open_grants() -> QuerySet[Grant]:
    """Grants and contracts into public funds, with the amount received so far."""
    received = (
        Donation.objects.filter(grant_tranche__grant=OuterRef("pk"), status=Donation.Status.RECORDED)
        .order_by()
        .values("grant_tranche__grant")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    return (
        Grant.objects.select_related(
            "funder", "fund", "fund__project", "fund__project__organization", "channel"
        )
        .filter(Q(fund__project__isnull=True) | Q(fund__project__status__in=Project.PUBLIC_STATUSES))
        .annotate(received=Coalesce(Subquery(received, output_field=MONEY), Value(ZERO, output_field=MONEY)))
        .order_by("pk")
    )


def open_donations() -> QuerySet[Donation]:
    return (
        Donation.objects.filter(status=Donation.Status.RECORDED)
        .filter(Q(fund__project__isnull=True) | Q(fund__project__status__in=Project.PUBLIC_STATUSES))
        .select_related("funder", "channel", "fund", "fund__project", "campaign")
        .order_by("pk")
    )


def open_expenditures() -> QuerySet[Expenditure]:
    return (
        Expenditure.objects.filter(
            status=Expenditure.Status.APPROVED, project__status__in=Project.PUBLIC_STATUSES
        )
        .select_related("project", "organization", "budget_line")
        .order_by("pk")
    )


def open_ledger() -> QuerySet[LedgerEntry]:
    return (
        cash_entries()
        .select_related("transaction", "account", "fund", "fund__project")
        .filter(Q(fund__project__isnull=True) | Q(fund__project__status__in=Project.PUBLIC_STATUSES))
        .order_by("seq")
    )


def iati_projects() -> QuerySet[Project]:
    """Public projects with at least one indicator (their results)."""
    return (
        with_money(public_projects().filter(indicators__isnull=False).distinct())
        .select_related("organization", "theme", "community")
        .prefetch_related("indicators", "budget_lines")
        .order_by("pk")
    )


def last_changed() -> timezone.datetime | None:
    """When the published data last changed (for Last-Modified): the newest ledger or project change."""
    from django.db.models import Max  # noqa: PLC0415

    candidates = [
        LedgerTransaction.objects.aggregate(m=Max("created_at"))["m"],
        Project.objects.aggregate(m=Max("updated_at"))["m"],
        Organization.history.aggregate(m=Max("history_date"))["m"],
        Donation.history.aggregate(m=Max("history_date"))["m"],
        Expenditure.history.aggregate(m=Max("history_date"))["m"],
    ]
    candidates = [c for c in candidates if c is not None]
    return max(candidates) if candidates else None
