"""The money each public page shows, named for the page cache (empowerment.pagecache): a page showing
some funds' money is rendered again when one of those funds' money changes, and not when another fund's
does (a donation to one campaign leaves the other campaigns' pages and the project list stored)."""

from collections.abc import Iterable

from empowerment.freshness import fund_topic
from empowerment.pagecache import depends_on, storing
from fundraising import selectors as books
from fundraising.models import Fund
from projects.models import Project

# The topics of the pages that show single funds' money (named while rendering) and other content.
FUND_PAGE_TOPICS = ("pages",)
PROJECT_PAGE_TOPICS = ("pages", "projects")


def shows_funds(fund_ids: Iterable[int | None]) -> None:
    depends_on(*(fund_topic(f) for f in fund_ids if f))


def shows_projects_money(projects: Iterable) -> None:
    """The page shows these projects' money (their project funds)."""
    if not storing():
        return
    projects = list(projects)
    if all(Project.fund.is_cached(p) for p in projects):  # read with the projects: project_fund reads nothing
        funds = (books.project_fund(p) for p in projects)
        shows_funds(f.pk for f in funds if f is not None)
        return
    ids = [p.pk for p in projects]
    if ids:
        shows_funds(Fund.objects.filter(project_id__in=ids).values_list("pk", flat=True))


def shows_campaigns_money(campaigns: Iterable) -> None:
    """The page shows these campaigns' money (their funds')."""
    shows_funds(c.fund_id for c in campaigns)
