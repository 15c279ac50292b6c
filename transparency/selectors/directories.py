"""The public directories of organizations, projects and campaigns, with their money from the books."""

from functools import partial

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from empowerment.querysets import CompiledList, compiled_once
from fundraising import selectors as books
from fundraising.models import Campaign
from organizations import selectors as org_selectors
from organizations.models import Area, Organization, Theme
from projects.models import Project
from projects.search import search_of, search_projects, searched

from .common import public_projects, valid_certificates


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(published=True).select_related("fund", "fund__project")


def public_campaign(slug: str) -> Campaign | None:
    """A published campaign with its fund (and the fund's project), compiled once
    (empowerment.querysets.compiled_once): the campaign page's progress bar reads it at every poll."""
    return next(iter(compiled_once("public campaign", public_campaign_read, slug=slug)), None)


def public_campaign_read(slug: str) -> QuerySet[Campaign]:
    """The read behind public_campaign (the campaign page adds its own joins to it)."""
    return public_campaigns().filter(slug=slug).order_by("pk")[:1]


def with_money(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects annotated with money_raised, money_allocated, money_spent and money_balance (received: the
    `received` filter of `{% load books %}`):
    fundraising.selectors.with_project_money, the one definition."""
    return books.with_project_money(projects)


def campaigns_with_money(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Campaigns annotated with money_raised and donation_count: fundraising.selectors.campaigns_with_money."""
    return books.campaigns_with_money(campaigns)


def project_money(project) -> Project:
    return with_money(Project.objects.filter(pk=project.pk)).get()


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
    qs = org_selectors.published_profiles().select_related("area__parent__parent__parent")
    if theme:
        qs = qs.filter(themes__slug=theme)
    if city:
        qs = qs.filter(area__code__startswith=city[:4])
    qs = _search(qs, q, ["name_zh_hans", "name_en", "description_zh_hans", "description_en"])
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
    """An organization taking part, with its area, compiled once (empowerment.querysets.compiled_once); its
    themes are `organization_themes`."""
    return next(iter(compiled_once("public organization", _public_organization, slug=slug)), None)


def _public_organization(slug: str) -> QuerySet[Organization]:
    return org_selectors.public_organizations().prefetch_related(None).filter(slug=slug).order_by("pk")[:1]


def organization_themes(organization: Organization) -> list[Theme]:
    """The themes the organization serves, in their order, compiled once."""
    return compiled_once("organization themes", _organization_themes, organization=organization.pk)


def _organization_themes(organization: int) -> QuerySet[Theme]:
    return Theme.objects.filter(organization=organization)


def organization_training(organization) -> dict:
    """How many of the organization's people hold a valid certificate, in all and by cohort (latest first);
    both reads compiled once (empowerment.querysets.compiled_once): every organization page shows them."""
    certified = compiled_once("organization certified", _organization_certified, organization=organization.pk)
    return {
        "certified": certified[0] if certified else 0,
        "cohorts": compiled_once("organization cohorts", _organization_cohorts, organization=organization.pk),
    }


def _organization_certificates(organization: int) -> QuerySet:
    return valid_certificates().filter(enrolment__participant__organization=organization).order_by()


def _organization_certified(organization: int) -> QuerySet:
    return (
        _organization_certificates(organization)
        .values("enrolment__participant__organization")
        .annotate(n=Count("enrolment__participant", distinct=True))
        .values_list("n", flat=True)
    )


def _organization_cohorts(organization: int) -> QuerySet:
    return (
        _organization_certificates(organization)
        .values("enrolment__cohort__name", "enrolment__cohort__ends_on")
        .annotate(n=Count("enrolment__participant", distinct=True))
        .order_by("-enrolment__cohort__ends_on")
    )


def organization_projects(organization) -> list[Project]:
    """The organization's public projects by title, with their money (with_money), compiled once."""
    return compiled_once("organization projects", _organization_projects, organization=organization.pk)


def _organization_projects(organization: int) -> QuerySet[Project]:
    return with_money(public_projects().filter(organization=organization)).order_by("title")


# What a row of the project list shows (transparency/project_list.html): the project's title in either
# language, its status, theme and organization; read without the other columns (the organization's
# descriptions in both languages above all); and its fund's id (the page's cache topics: its money).
DIRECTORY_COLUMNS = [
    "slug",
    "status",
    *(f"{field}{suffix}" for field in ("title",) for suffix in ("", "_en", "_zh_hans")),
    "organization",
    *(f"organization__{field}" for field in ("slug", "name", "name_en", "name_zh_hans")),
    "theme",
    *(f"theme__{field}" for field in ("slug", "name", "name_en", "name_zh_hans")),
    "fund__id",
]


def project_directory(*, q: str = "", theme: str = "", city: str = "", status: str = "") -> QuerySet[Project]:
    qs = _directory()
    if theme:
        qs = qs.filter(theme__slug=theme)
    if status and status in Project.PUBLIC_STATUSES:
        qs = qs.filter(status=status)
    if city:
        qs = qs.filter(community__code__startswith=city[:4])
    qs = search_projects(qs, q)
    return _directory_ordered(qs)


def project_directory_rows(
    *, page_size: int, q: str = "", theme: str = "", city: str = "", status: str = ""
) -> QuerySet[Project] | CompiledList:
    """project_directory's rows for the public list's pages. Without a city (its filter is a pattern of
    codes) and with at most COMPILED_SEARCH_TERMS search terms, its first pages and its capped count are read
    compiled once per combination of theme, status and kind of search (empowerment.querysets.CompiledList;
    a search's terms fill its patterns in, projects.search.Search): the list as most visitors open it, or
    search it for a word. Longer searches are read by the ORM, so that searches cannot fill the thread's
    store of compiled reads."""
    search = search_of(q)
    if city or (status and status not in Project.PUBLIC_STATUSES) or search.terms > COMPILED_SEARCH_TERMS:
        return project_directory(q=q, theme=theme, city=city, status=status)
    given = {name: value for name, value in (("theme", theme), ("status", status)) if value}
    name = f"project directory by {' and '.join(given) or 'nothing'}"
    if not search.terms:
        return CompiledList(name, _directory_by, page_size=page_size, **given)
    # One plan for every term of a kind: planned anew for each term (its money columns' subqueries, the
    # union of what the term finds) the read cost more in planning than in running.
    return CompiledList(
        f"{name}, searched {search.shape}",
        partial(_directory_searched, search.shape),
        page_size=page_size,
        generic_plan=True,
        **given,
        **search.values,
    )


# A search of one term (of any kind: excluded or not, a Latin word or Chinese) is compiled once per kind.
COMPILED_SEARCH_TERMS = 1


def _directory() -> QuerySet[Project]:
    return (
        public_projects()
        .select_related(None)
        .select_related("organization", "theme", "fund")
        .only(*DIRECTORY_COLUMNS)
    )


def _directory_ordered(qs: QuerySet[Project]) -> QuerySet[Project]:
    return with_money(qs).order_by("title", "pk")


def _directory_by(theme: str | None = None, status: str | None = None) -> QuerySet[Project]:
    return _directory_ordered(_directory_of(theme, status))


def _directory_searched(
    shape, theme: str | None = None, status: str | None = None, **patterns: str
) -> QuerySet[Project]:
    return _directory_ordered(searched(_directory_of(theme, status), shape, **patterns))


def _directory_of(theme: str | None, status: str | None) -> QuerySet[Project]:
    qs = _directory()
    if theme is not None:
        qs = qs.filter(theme__slug=theme)
    if status is not None:
        qs = qs.filter(status=status)
    return qs


def campaign_directory(*, q: str = "", state: str = "") -> QuerySet[Campaign]:
    qs = public_campaigns()
    today = timezone.localdate()
    if state == "open":
        qs = qs.filter(starts_on__lte=today, ends_on__gte=today)
    elif state == "ended":
        qs = qs.filter(ends_on__lt=today)
    qs = _search(
        qs, q, ["title_zh_hans", "title_en", "summary_zh_hans", "summary_en", "story_zh_hans", "story_en"]
    )
    return campaigns_with_money(qs).order_by("-starts_on", "title")


def cities() -> list[Area]:
    """The cities, by code (the lists' city filter), read compiled once."""
    return compiled_once("cities", _cities)


def _cities() -> QuerySet[Area]:
    return Area.objects.filter(level=Area.Level.CITY).order_by("code")
