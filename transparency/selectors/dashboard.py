"""The programme dashboard's figures (home page and its charts): people and projects from the apps'
selectors, every money figure from the books (fundraising.selectors)."""

from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from empowerment import freshness
from empowerment.querysets import compiled_once
from fundraising import selectors as books
from organizations import selectors as org_selectors
from organizations.models import Area, Theme
from projects import selectors as project_selectors
from projects.models import PeopleReached, Project

from ..periods import Period
from .cache import FIGURE_TOPICS, FIGURES, cached
from .common import effective_updates_all, public_projects, valid_certificates

ZERO = Decimal("0.00")
UNPUBLISHED = books.UNPUBLISHED


def _hours(value) -> Decimal:
    return (Decimal(value) if value is not None else ZERO).quantize(Decimal("0.01"))


def _city_code(code_field: str):
    """The league/city division code of an area code (its first four digits + "00")."""
    return Substr(code_field, 1, 4)


def _city_names(prefixes) -> dict[str, Area]:
    codes = [f"{p}00" for p in prefixes if p and p != UNPUBLISHED]
    return {a.code[:4]: a for a in Area.objects.filter(code__in=codes, level=Area.Level.CITY)}


def programme_figures(period: Period | None = None) -> dict:
    """The dashboard's figures, as plain data (codes, ids and Decimals; labels are added when shown).

    Money: books.programme_money (raised, spent, balance, by channel, by category), books.spending_by_project
    (by theme and by city: public projects by their theme and city; projects not yet published as one row
    keyed UNPUBLISHED, so the rows add up to `spent` less the general and community funds' own spending),
    books.monthly_money (over time). The rest (people, projects, trainings, volunteers) is
    `activity_figures`, which no money figure changes."""
    return _with_money(activity_figures(period), period)


def activity_figures(period: Period | None = None) -> dict:
    """The dashboard's figures that no posting changes, as plain data: `figures` (organizations trained,
    participants certified, projects, people reached, volunteer hours), `by_theme` (projects and people
    reached by theme), `by_city` (organizations and projects by city) and `places` (each public project's
    theme and city, {project id: (theme id, city code)}, by which its spending is counted)."""
    updates = effective_updates_all()
    if period is not None:
        updates = updates.filter(period_end__gte=period.start, period_end__lte=period.end)
    people = PeopleReached.objects.filter(update__in=updates)
    certificates = valid_certificates()
    projects = public_projects()
    # Hours in the organizations' volunteer teams and their non-cash value at the staff-set rate.
    team_hours = org_selectors.volunteer_hours_summary(
        start=period.start if period is not None else None, end=period.end if period is not None else None
    )
    figures = {
        "organizations_trained": certificates.values("enrolment__participant__organization")
        .distinct()
        .count(),
        "participants_certified": certificates.values("enrolment__participant").distinct().count(),
        "projects_incubated": projects.count(),
        "projects_active": projects.filter(status=Project.Status.ACTIVE).count(),
        "people_reached": people.aggregate(n=Sum("count"))["n"] or 0,
        "volunteer_hours": _hours(updates.aggregate(h=Sum("volunteer_hours"))["h"]),
        "team_volunteer_hours": _hours(team_hours["hours"]),
        "team_volunteer_value": team_hours["value"],
    }
    places = {
        row["pk"]: (row["theme_id"], (row["community__code"] or "")[:4])
        for row in projects.order_by().values("pk", "theme_id", "community__code")
    }
    # By theme: projects and people reached.
    theme_rows = {
        row["theme_id"]: {"projects": row["n"], "people": 0}
        for row in projects.order_by().values("theme_id").annotate(n=Count("pk"))
    }
    for row in people.order_by().values("update__project__theme_id").annotate(n=Sum("count")):
        theme_rows.setdefault(row["update__project__theme_id"], {"projects": 0, "people": 0})
        theme_rows[row["update__project__theme_id"]]["people"] = row["n"]
    # By city: organizations taking part and projects.
    city_rows: dict[str, dict] = defaultdict(lambda: {"organizations": 0, "projects": 0})
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
    return {"figures": figures, "by_theme": theme_rows, "by_city": dict(city_rows), "places": places}


def _with_money(activity: dict, period: Period | None, spending: dict | None = None) -> dict:
    """The dashboard's figures: `activity` (activity_figures, left as it is) with the money (`spending`:
    books.spending_by_project(period), when it was read already)."""
    money = books.programme_money(period)
    figures = {
        **activity["figures"],
        "raised": money["raised"],
        "spent": money["spent"],
        "balance": money["balance"],
        # By channel id: the snapshot is shown in both languages, so the names are added when shown.
        "raised_by_channel": money["raised_by_channel_id"],
        "spent_by_category": money["spent_by_category"],
    }
    if spending is None:
        spending = books.spending_by_project(period)
    places = activity["places"]
    unpublished = books.unpublished_summary(period)
    # By theme: projects, people reached and money spent; by city: organizations, projects and money spent.
    theme_rows = {theme: {**row, "spent": ZERO} for theme, row in activity["by_theme"].items()}
    city_rows: dict[str, dict] = defaultdict(lambda: {"organizations": 0, "projects": 0, "spent": ZERO})
    city_rows.update({city: {**row, "spent": ZERO} for city, row in activity["by_city"].items()})
    for project_id, amount in spending.items():
        if project_id is None or project_id == UNPUBLISHED:
            continue
        theme_id, city = places[project_id]
        theme_rows.setdefault(theme_id, {"projects": 0, "people": 0, "spent": ZERO})
        theme_rows[theme_id]["spent"] += amount
        city_rows[city]["spent"] += amount
    if unpublished["count"]:
        row = {"projects": unpublished["count"], "people": 0, "spent": spending.get(UNPUBLISHED, ZERO)}
        theme_rows[UNPUBLISHED] = row
        city_rows[UNPUBLISHED] = {"organizations": 0, "projects": row["projects"], "spent": row["spent"]}
    figures["by_theme"] = theme_rows
    figures["by_city"] = dict(city_rows)
    figures["unpublished"] = unpublished
    # Over time: the last twelve months (or the chosen period), raised and spent per month.
    if period is None:
        end = timezone.localdate().replace(day=1)
        months = [end - relativedelta(months=i) for i in range(11, -1, -1)]
    else:
        months = period.months()[-36:]
    figures["monthly"] = books.monthly_money(months)
    return figures


# What the dashboard's figures depend on (services.dashboard_stamp): the figures' topics, and "pages", the
# only topic the organizations by city and the volunteer teams' hours move. Its activity figures depend on
# all of them but the money, its spending by project on what was spent and on which projects are public
# with which funds (see snapshot_figures).
DASHBOARD_TOPICS = (FIGURES, *FIGURE_TOPICS, freshness.PAGES)
ACTIVITY_TOPICS = tuple(topic for topic in DASHBOARD_TOPICS if topic != freshness.MONEY)
SPENDING_TOPICS = (freshness.SPENDING, "projects", freshness.PAGES)


def snapshot_figures(*, reuse: bool = True) -> dict:
    """What the dashboard's snapshot stores (services.dashboard_refresh) and verify_ledger compares with it:
    the programme's figures for all time and, under "theme_results", the results by theme as plain data
    (projects.selectors.theme_result_sums of the public projects; labelled when shown, with
    theme_results_shown).

    On a giving day the money moves every second and the snapshot is computed again as often, while
    people, projects, trainings and what was spent stay as they were: their parts (activity_figures with
    the theme results, and the spending by project: most of the work) are kept in the cache under the
    versions of the topics they show, read before they are computed, and reused until one of those moves
    (`reuse=False` computes everything, as verify_ledger does)."""
    found = freshness.current((*ACTIVITY_TOPICS, *SPENDING_TOPICS))

    def kept(name: str, topics, compute):
        if not reuse:
            return compute()
        return cached(f"dashboard-{name}", compute, stamp="-".join(f"{t}{found[t]}" for t in topics))

    activity = kept(
        f"activity:{timezone.localdate()}",
        ACTIVITY_TOPICS,
        lambda: {
            **activity_figures(),
            "theme_results": project_selectors.theme_result_sums(public_only=True),
        },
    )
    spending = kept("spending", SPENDING_TOPICS, books.spending_by_project)
    return {**_with_money(activity, None, spending), "theme_results": activity["theme_results"]}


def theme_names() -> dict:
    """Every theme by id, in their order; read compiled once (the lists' filters and the dashboard)."""
    return {theme.pk: theme for theme in compiled_once("themes", Theme.objects.all)}


def city_areas(prefixes) -> dict[str, Area]:
    return _city_names(prefixes)
