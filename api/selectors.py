"""What the public API reads: only what is published, through the selectors the public pages and the open
data use (the publicity rule is projects.selectors.public_project_q; the datasets are
transparency.selectors.open_data's), and every money figure from fundraising.selectors (the books). Nothing
here sums money: the API shows the books' figures as they are.

Each list is a queryset in a stable order on an indexed key (the keyset pagination in api.pagination adds
the cursor's condition); its related rows are joined or prefetched so that the number of queries does not
grow with the page size."""

from __future__ import annotations

from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When

from fundraising import selectors as books
from fundraising.models import Campaign, CampaignImage, Donation, Expenditure, Fund, LedgerMonthTotal
from fundraising.selectors import checkpoints as checkpoint_selectors
from organizations.models import Organization
from projects import selectors as project_selectors
from projects.models import IndicatorValue, ProgressUpdate, Project, UpdatePhoto
from trainings.models import Certificate, Cohort
from transparency import selectors as public
from transparency.models import Disclosure, DisclosureCorrection, TransparencyReport
from transparency.periods import Period


def _city(qs: QuerySet, field: str, city: str) -> QuerySet:
    """Rows in a city: its division code shares the city's first four digits (as the public directories
    filter)."""
    return qs.filter(**{f"{field}__startswith": city[:4]}) if city else qs


def _in_period(qs: QuerySet, field: str, period: Period | None) -> QuerySet:
    if period is None:
        return qs
    return qs.filter(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _overlapping(qs: QuerySet, start: str, end: str, period: Period | None) -> QuerySet:
    """Rows whose [start, end] (either may be empty: open) overlaps the period."""
    if period is None:
        return qs
    return qs.filter(Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": period.end})).filter(
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start})
    )


# Organizations -------------------------------------------------------------------------------------------


def organizations(*, theme: str = "", city: str = "", status: str = "") -> QuerySet[Organization]:
    """Organizations with a published profile (the directory's and open data's rule)."""
    qs = public.open_organizations().prefetch_related("themes")
    if theme:
        qs = qs.filter(
            Exists(Organization.themes.through.objects.filter(organization=OuterRef("pk"), theme__slug=theme))
        )
    if status:
        qs = qs.filter(status=status)
    return _city(qs, "area__code", city)


def organization(slug: str) -> Organization | None:
    return organizations().filter(slug=slug).first()


def organization_projects(organization: Organization) -> list[str]:
    return list(
        public.public_projects()
        .filter(organization=organization)
        .order_by("pk")
        .values_list("slug", flat=True)
    )


def organization_money(organization: Organization, period: Period | None = None) -> dict:
    """The books' figures of the organization's public projects' funds together."""
    return books.organization_money(organization, period)


# Projects ------------------------------------------------------------------------------------------------


def projects(
    *, theme: str = "", city: str = "", status: str = "", organization: str = "", period: Period | None = None
) -> QuerySet[Project]:
    """Public projects with their money (books.with_project_money), filtered."""
    qs = public.open_projects().select_related("organization", "theme", "community")
    if theme:
        qs = qs.filter(theme__slug=theme)
    if status:
        qs = qs.filter(status=status)
    if organization:
        qs = qs.filter(organization__slug=organization)
    qs = _city(qs, "community__code", city)
    return _overlapping(qs, "start_date", "end_date", period)


def project(slug: str) -> Project | None:
    return (
        projects()
        .prefetch_related("activities__milestones", "budget_lines", "needs")
        .filter(slug=slug)
        .first()
    )


def project_results(project: Project) -> dict:
    """Indicators against targets (projects.selectors.indicator_progress: effective approved updates) and the
    people reached, as the project's page shows them."""
    updates = project_selectors.effective_updates(project)
    return {
        "indicators": project_selectors.indicator_progress(project),
        "people": project_selectors.people_reached_totals(updates),
        "updates": updates.count(),
    }


def project_money(project: Project) -> dict | None:
    """The project fund's money figures as its page shows them (books.fund_money, without the itemised
    lists, which the API gives from its own endpoints); None before it has a fund."""
    fund = books.project_fund(project)
    return books.fund_money(fund, itemised=False) if fund is not None else None


# Progress updates ----------------------------------------------------------------------------------------


def updates(
    *,
    project: str = "",
    organization: str = "",
    theme: str = "",
    city: str = "",
    period: Period | None = None,
) -> QuerySet[ProgressUpdate]:
    """Approved progress updates of public projects that no approved correction replaces, with their
    photos, indicator values and people reached (prefetched)."""
    qs = (
        public.effective_updates_all()
        .filter(project_selectors.public_project_q("project__"))
        .select_related("project", "project__organization")
        .annotate(people_reached=Sum("people__count"))
        .prefetch_related(
            Prefetch("photos", queryset=UpdatePhoto.objects.order_by("pk")),
            Prefetch(
                "values", queryset=IndicatorValue.objects.select_related("indicator").order_by("indicator_id")
            ),
        )
    )
    if project:
        qs = qs.filter(project__slug=project)
    if organization:
        qs = qs.filter(project__organization__slug=organization)
    if theme:
        qs = qs.filter(project__theme__slug=theme)
    qs = _city(qs, "project__community__code", city)
    return _in_period(qs, "period_end", period)


# Campaigns and funds -------------------------------------------------------------------------------------


def campaigns(
    *, project: str = "", state: str = "", period: Period | None = None, today=None
) -> QuerySet[Campaign]:
    """Published campaigns with their raised figure and donation count (books.campaigns_with_money)."""
    qs = books.campaigns_with_money(public.public_campaigns().select_related("fund", "fund__project"))
    if project:
        qs = qs.filter(fund__project__slug=project).filter(
            project_selectors.public_project_q("fund__project__")
        )
    if state and today is not None:
        qs = (
            qs.filter(starts_on__lte=today, ends_on__gte=today)
            if state == "open"
            else qs.filter(ends_on__lt=today)
        )
    return _overlapping(qs, "starts_on", "ends_on", period)


def campaign(slug: str) -> Campaign | None:
    return (
        campaigns()
        .prefetch_related(
            Prefetch("images", queryset=CampaignImage.objects.exclude(image="").order_by("position", "pk"))
        )
        .filter(slug=slug)
        .first()
    )


def campaign_progress(campaign: Campaign) -> dict:
    return books.campaign_progress(campaign)


def campaign_fund_public(campaign: Campaign) -> bool:
    """A campaign's fund is named only when it is not the fund of a project still unpublished."""
    fund_project = campaign.fund.project
    return fund_project is None or project_selectors.is_public(fund_project)


def funds(*, kind: str = "") -> QuerySet[Fund]:
    """Funds that may be named in public: the general and community funds and public projects' funds."""
    qs = Fund.objects.filter(books.public_fund_q("")).select_related("project", "area").order_by("pk")
    return qs.filter(kind=kind) if kind else qs


def fund(code: str) -> Fund | None:
    return funds().filter(code=code).first()


def fund_money(fund: Fund) -> dict:
    """A fund's money figures (books.fund_money without the itemised lists)."""
    return books.fund_money(fund, itemised=False)


# Donations, expenditures, the ledger ---------------------------------------------------------------------


def donations(
    *,
    project: str = "",
    organization: str = "",
    campaign: str = "",
    fund: str = "",
    period: Period | None = None,
) -> QuerySet[Donation]:
    """Donations recorded into funds that may be named (open data's rows, anonymised the same way)."""
    qs = public.open_donations()
    if project:
        qs = qs.filter(fund__project__slug=project)
    if organization:
        qs = qs.filter(fund__project__organization__slug=organization)
    if campaign:
        qs = qs.filter(campaign__slug=campaign)
    if fund:
        qs = qs.filter(fund__code=fund)
    return _in_period(qs, "received_on", period)


def expenditures(
    *,
    project: str = "",
    organization: str = "",
    category: str = "",
    theme: str = "",
    city: str = "",
    period: Period | None = None,
) -> QuerySet[Expenditure]:
    """Approved expenditures of public projects (open data's rows: the payee and invoice stay private)."""
    qs = public.open_expenditures().select_related("organization")
    if project:
        qs = qs.filter(project__slug=project)
    if organization:
        qs = qs.filter(organization__slug=organization)
    if category:
        qs = qs.filter(budget_line__category=category)
    if theme:
        qs = qs.filter(project__theme__slug=theme)
    qs = _city(qs, "project__community__code", city)
    return _in_period(qs, "spent_on", period)


def ledger_month_totals(
    *, period: Period | None = None, account_type: str = ""
) -> QuerySet[LedgerMonthTotal]:
    """The ledger's monthly totals of cash accounts as the books keep them (books.cash_month_totals); the
    fund of a project not yet published is named "unpublished", as in the open ledger."""
    qs = (
        books.cash_month_totals()
        .select_related("account", "fund")
        .annotate(fund_public=Case(When(books.public_fund_q(), then=Value(True)), default=Value(False)))
    )
    if account_type:
        qs = qs.filter(account__type=account_type)
    return _in_period(qs, "month", period)


def ledger_entries(*, period: Period | None = None, kind: str = ""):
    qs = public.open_ledger()
    if kind:
        qs = qs.filter(transaction__kind=kind)
    return _in_period(qs, "transaction__date", period)


def checkpoints(*, kind: str = "", period: Period | None = None):
    qs = checkpoint_selectors.published_checkpoints()
    if kind:
        qs = qs.filter(kind=kind)
    return _in_period(qs, "taken_on", period)


def checkpoint(code: str):
    return checkpoint_selectors.checkpoint_by_code(code)


def programme_money(period: Period | None = None) -> dict:
    """The programme's figures for a period (books.programme_money) and the projects not yet published as
    one line (books.unpublished_summary)."""
    return {"money": books.programme_money(period), "unpublished": books.unpublished_summary(period)}


# Reports and disclosures ---------------------------------------------------------------------------------


def reports(*, project: str = "", scope: str = "", language: str = "", period: Period | None = None):
    """Published transparency reports (their PDF is ready) of the programme or of a public project."""
    qs = public.published_reports().filter(
        Q(project__isnull=True) | project_selectors.public_project_q("project__")
    )
    if project:
        qs = qs.filter(project__slug=project)
    if scope:
        qs = qs.filter(scope=scope)
    if language:
        qs = qs.filter(language=language)
    return _in_period(qs, "period_end", period)


def report(code: str) -> TransparencyReport | None:
    return public.report_by_code(code)


def disclosures(*, project: str = "", campaign: str = "", kind: str = "", period: Period | None = None):
    """Published disclosures of the programme, of public projects and of published campaigns, with their
    dated corrections."""
    qs = (
        Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED)
        .filter(
            Q(project__isnull=True) | project_selectors.public_project_q("project__"),
            Q(campaign__isnull=True) | Q(campaign__published=True),
        )
        .select_related("project", "campaign")
        .prefetch_related(Prefetch("corrections", queryset=DisclosureCorrection.objects.order_by("pk")))
    )
    if project:
        qs = qs.filter(project__slug=project)
    if campaign:
        qs = qs.filter(campaign__slug=campaign)
    if kind:
        qs = qs.filter(kind=kind)
    return _in_period(qs, "period_end", period)


# Trainings -----------------------------------------------------------------------------------------------


def cohorts(*, city: str = "", period: Period | None = None) -> QuerySet[Cohort]:
    """Training cohorts with the figures the public pages show: organizations taking part and the
    participants (and their organizations) holding a valid certificate."""
    qs = Cohort.objects.select_related("city").annotate(
        organizations_count=Count("organizations", distinct=True),
        participants_certified=Count(
            "enrolments__participant",
            filter=Q(enrolments__certificates__in=public.valid_certificates()),
            distinct=True,
        ),
    )
    qs = _city(qs, "city__code", city)
    return _overlapping(qs, "starts_on", "ends_on", period)


# Freshness -----------------------------------------------------------------------------------------------


def last_changed():
    """When anything the API publishes last changed: the open data's clock (ledger, projects, organizations,
    donations, expenditures, checkpoints) and the other published things."""
    candidates = [
        public.last_changed(),
        Campaign.history.aggregate(m=Max("history_date"))["m"],
        ProgressUpdate.history.aggregate(m=Max("history_date"))["m"],
        Disclosure.history.aggregate(m=Max("history_date"))["m"],
        TransparencyReport.objects.aggregate(m=Max("document__finished_at"))["m"],
        Cohort.history.aggregate(m=Max("history_date"))["m"],
        Certificate.history.aggregate(m=Max("history_date"))["m"],
    ]
    found = [c for c in candidates if c is not None]
    return max(found) if found else None
