"""Reads of needs assessments, projects, indicators and updates, scoped to what the caller may see."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from empowerment.querysets import attach_related, compiled_once

from .models import (
    Dimension,
    Indicator,
    IndicatorLevel,
    IndicatorValue,
    IndicatorValuePart,
    Need,
    NeedsAssessment,
    NeedScore,
    PeopleReached,
    ProgressUpdate,
    Project,
    ReportingFrequency,
    ScoringCriterion,
    StandardIndicator,
    UpdatePhoto,
    category_label,
    dimension_categories,
)

# An update for a period is due this many days after the period ends.
REPORT_GRACE_DAYS = 10
# Reminders go out this many days before an update is due.
REMINDER_DAYS_BEFORE = 7
TWO_PLACES = Decimal("0.01")


# Projects -----------------------------------------------------------------------------------------


def public_project_q(prefix: str = "") -> Q:
    """The one rule deciding which projects are public: from approval on (approved for incubation, active,
    completed or closed; Project.PUBLIC_STATUSES). `prefix` reaches a project through a relation, e.g.
    "fund__project__". Every public page, chart, PDF and file asks this rule."""
    return Q(**{f"{prefix}status__in": Project.PUBLIC_STATUSES})


def is_public(project: Project) -> bool:
    """The same rule as public_project_q, for one project already loaded."""
    return project.status in Project.PUBLIC_STATUSES


def public_projects() -> QuerySet[Project]:
    """Projects the public may see: approved for incubation, active, completed or closed."""
    return Project.objects.filter(public_project_q()).select_related("organization", "theme", "community")


def projects_for_organization(organization) -> QuerySet[Project]:
    """All projects of one organization (drafts included): for its own portal and for staff."""
    return Project.objects.filter(organization=organization).select_related("theme", "community")


def public_project(slug: str) -> Project | None:
    return public_projects().filter(slug=slug).first()


def project_for_portal(organization, pk) -> Project | None:
    return (
        projects_for_organization(organization)
        .select_related("organization", "community__parent")
        .filter(pk=pk)
        .first()
    )


def project_plan(project: Project) -> dict:
    """Everything of a proposal, for its detail pages and the wizard's review step."""
    return {
        "needs": list(project.needs.select_related("assessment")),
        "activities": list(project.activities.prefetch_related("milestones")),
        "milestones": list(project.milestones.select_related("activity")),
        "budget_lines": list(project.budget_lines.all()),
        "budget_total": project.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00"),
        "indicators": list(project.indicators.all()),
        "decisions": list(project.decisions.select_related("by")),
    }


def review_queue() -> QuerySet[Project]:
    return (
        Project.objects.filter(status=Project.Status.SUBMITTED)
        .select_related("organization", "theme", "community")
        .annotate(budget_total=Sum("budget_lines__amount"))
        .order_by("updated_at")
    )


def updates_to_review() -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(status=ProgressUpdate.Status.SUBMITTED)
        .select_related("project__organization")
        .order_by("submitted_at")
    )


def projects_in_progress() -> QuerySet[Project]:
    return (
        Project.objects.exclude(status__in=[Project.Status.DRAFT])
        .select_related("organization", "theme")
        .order_by("status", "title")
    )


# Needs and ranking -------------------------------------------------------------------------------


def assessments_for_organization(organization) -> QuerySet[NeedsAssessment]:
    return (
        NeedsAssessment.objects.filter(organization=organization)
        .select_related("community__parent")
        .annotate(need_count=Count("needs", distinct=True))
    )


def criteria() -> list[ScoringCriterion]:
    return list(ScoringCriterion.objects.order_by("position", "pk"))


def ranked_needs(assessment) -> list[Need]:
    """The assessment's needs, best first. The database computes each need's weighted total
    Σ score × weight; the selector divides by Σ weights (of all criteria: a missing score counts 0) to
    give `weighted_score` on the 1–5 scale, and attaches `rank` and `score_by_key`."""
    total_weight = ScoringCriterion.objects.aggregate(total=Sum("weight"))["total"] or Decimal(0)
    needs = list(
        Need.objects.filter(assessment=assessment)
        .annotate(
            weighted_total=Coalesce(
                Sum(
                    F("scores__score") * F("scores__criterion__weight"),
                    output_field=DecimalField(max_digits=12, decimal_places=2),
                ),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
        .prefetch_related(Prefetch("scores", queryset=NeedScore.objects.select_related("criterion")))
        .order_by("-weighted_total", "pk")
    )
    for rank, need in enumerate(needs, start=1):
        total = Decimal(str(need.weighted_total))
        need.weighted_score = (total / total_weight).quantize(TWO_PLACES) if total_weight else Decimal(0)
        need.rank = rank
        need.score_by_key = {s.criterion.key: s.score for s in need.scores.all()}
    return needs


def chosen_needs_for_organization(organization) -> QuerySet[Need]:
    return Need.objects.filter(assessment__organization=organization).select_related("assessment__community")


# Indicators ------------------------------------------------------------------------------------


def effective_updates(project) -> QuerySet[ProgressUpdate]:
    """Approved updates that no approved correction replaces: the ones that count."""
    replaced = ProgressUpdate.objects.filter(supersedes=OuterRef("pk"), status=ProgressUpdate.Status.APPROVED)
    return ProgressUpdate.objects.filter(project=project, status=ProgressUpdate.Status.APPROVED).exclude(
        Exists(replaced)
    )


@dataclass
class IndicatorProgress:
    indicator: Indicator
    current: Decimal | None
    reports: int

    @property
    def percent(self) -> int:
        """Progress from baseline to target, 0–100 (more than the target shows as 100)."""
        if self.current is None:
            return 0
        span = self.indicator.target - self.indicator.baseline
        if span <= 0:
            return 100 if self.current >= self.indicator.target else 0
        done = (self.current - self.indicator.baseline) / span * 100
        return int(max(0, min(100, done)))


def indicator_progress(project, *, until: date | None = None) -> list[IndicatorProgress]:
    """Each indicator's current value from effective approved updates (those ending by `until`):
    cumulative indicators add the baseline to the sum of the values; latest-value indicators take the
    value of the update with the latest period end. No value yet: None."""
    if until is None:  # the project's page: compiled once (empowerment.querysets.compiled_once)
        indicators = compiled_once("indicator progress", _indicators_with_values, project=project.pk)
    else:
        indicators = _indicators_with_values(project.pk, until=until)
    result = []
    for ind in indicators:
        if not ind.value_count:
            current = None
        elif ind.aggregation == Indicator.Aggregation.CUMULATIVE:
            current = (ind.baseline + Decimal(str(ind.value_sum))).quantize(TWO_PLACES)
        else:
            current = Decimal(str(ind.latest_value)).quantize(TWO_PLACES)
        result.append(IndicatorProgress(indicator=ind, current=current, reports=ind.value_count))
    return result


def _updates_counted(project: int, until: date | None = None) -> QuerySet[ProgressUpdate]:
    updates = effective_updates(project)
    return updates if until is None else updates.filter(period_end__lte=until)


def _indicators_with_values(project: int, until: date | None = None) -> QuerySet[Indicator]:
    """The project's indicators with the sum, count and latest of their values in the updates that count."""
    updates = _updates_counted(project, until)
    values = IndicatorValue.objects.filter(indicator=OuterRef("pk"), update__in=updates)
    latest = values.order_by("-update__period_end", "-update__pk").values("value")[:1]
    return Indicator.objects.filter(project=project).annotate(
        value_sum=Sum("values__value", filter=Q(values__update__in=updates)),
        value_count=Count("values", filter=Q(values__update__in=updates)),
        latest_value=Subquery(latest, output_field=DecimalField(max_digits=14, decimal_places=2)),
    )


def people_reached_total(updates) -> int:
    """How many people the given updates reached, all counted (the total of people_reached_totals)."""
    return _reached(updates).aggregate(n=Sum("count"))["n"] or 0


def _reached(updates) -> QuerySet[PeopleReached]:
    """The people-reached rows of the given updates: what people_reached_total and project_people_reached sum."""
    return PeopleReached.objects.filter(update__in=updates)


def people_reached_totals(updates) -> dict:
    """People reached in the given updates: total, by sex, by age band and by special group."""
    rows = _reached(updates)
    return {
        "total": people_reached_total(updates),
        "by_sex": list(rows.values("sex").annotate(n=Sum("count")).order_by("sex")),
        "by_age": list(rows.values("age_band").annotate(n=Sum("count")).order_by("age_band")),
        "by_group": list(
            rows.exclude(special_group="none").values("special_group").annotate(n=Sum("count")).order_by("-n")
        ),
    }


def updates_for_project(project) -> QuerySet[ProgressUpdate]:
    return project.updates.select_related("supersedes", "created_by").annotate(
        photo_count=Count("photos", distinct=True)
    )


def public_updates(project) -> list[ProgressUpdate]:
    """Approved updates of a public project, newest first, with their photos (what the project's public page
    shows of each: its period, narrative and photos; the indicators are shown from indicator_progress). Both
    reads compiled once (empowerment.querysets.compiled_once): every project page makes them."""
    updates = compiled_once("public updates", _public_updates, project=project.pk)
    photos = compiled_once("public updates' photos", _public_update_photos, project=project.pk)
    return attach_related(updates, "photos", photos)


def _public_updates(project: int) -> QuerySet[ProgressUpdate]:
    return effective_updates(project).order_by("-period_end")


def _public_update_photos(project: int) -> QuerySet[UpdatePhoto]:
    return UpdatePhoto.objects.filter(update__in=effective_updates(project)).order_by("pk")


def project_people_reached(project) -> int:
    """How many people the project's updates that count reached (people_reached_total of its effective
    updates), compiled once: every project page shows it."""
    found = compiled_once("people reached", _people_reached, project=project.pk)
    return found[0] if found else 0


def _people_reached(project: int) -> QuerySet:
    return (
        _reached(effective_updates(project))
        .order_by()
        .values("update__project")
        .annotate(n=Sum("count"))
        .values_list("n", flat=True)
    )


def update_detail(project, pk) -> ProgressUpdate | None:
    return (
        project.updates.select_related("supersedes", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("indicator").prefetch_related("parts"),
            ),
            "photos",
            "documents",
            "people",
        )
        .filter(pk=pk)
        .first()
    )


# Reporting schedule ------------------------------------------------------------------------------


def _step(frequency: str) -> relativedelta:
    return relativedelta(months=3 if frequency == ReportingFrequency.QUARTERLY else 1)


def next_report_period(project, *, covered_until: date | None) -> tuple[date, date] | None:
    """The first reporting period (from the project's start, one month or quarter long) not yet covered
    by a submitted or approved update; None when the project's periods are all covered."""
    if not project.start_date or not project.end_date:
        return None
    step = _step(project.reporting_frequency)
    start = project.start_date
    n = 0
    while start <= project.end_date:
        end = min(project.start_date + step * (n + 1) - timedelta(days=1), project.end_date)
        if covered_until is None or end > covered_until:
            return start, end
        n += 1
        start = project.start_date + step * n
    return None


def next_due_date(project, *, covered_until: date | None) -> date | None:
    period = next_report_period(project, covered_until=covered_until)
    return period[1] + timedelta(days=REPORT_GRACE_DAYS) if period else None


def active_projects_with_schedule() -> list[Project]:
    """Active projects with `next_period` and `next_due` computed from the latest covered period."""
    projects = list(
        Project.objects.filter(status=Project.Status.ACTIVE)
        .select_related("organization", "theme")
        .annotate(
            covered_until=Max(
                "updates__period_end",
                filter=Q(
                    updates__status__in=[ProgressUpdate.Status.SUBMITTED, ProgressUpdate.Status.APPROVED]
                ),
            )
        )
        .order_by("title")
    )
    for p in projects:
        p.next_period = next_report_period(p, covered_until=p.covered_until)
        p.next_due = p.next_period[1] + timedelta(days=REPORT_GRACE_DAYS) if p.next_period else None
    return projects


def lateness_grade(days_late: int) -> str:
    if days_late <= 0:
        return "on_time"
    if days_late <= 14:
        return "late"
    if days_late <= 45:
        return "very_late"
    return "seriously_late"


def overdue_projects(*, today: date | None = None) -> list[Project]:
    """Active projects whose next update is past due, most late first, with `days_late` and `grade`."""
    today = today or timezone.localdate()
    late = []
    for p in active_projects_with_schedule():
        if p.next_due and p.next_due < today:
            p.days_late = (today - p.next_due).days
            p.grade = lateness_grade(p.days_late)
            late.append(p)
    return sorted(late, key=lambda p: -p.days_late)


# Organization data export -------------------------------------------------------------------------------


def organization_export_tables(organization) -> dict[str, list[dict]]:
    """Every projects row of one organization, as plain rows for its data export (a fixed number of
    queries, whatever the number of rows)."""
    from .models import BudgetLine, ProjectDecision  # noqa: PLC0415

    org = organization
    return {
        "needs_assessments": list(
            NeedsAssessment.objects.filter(organization=org)
            .order_by("pk")
            .values(
                "id",
                "title",
                "community__name",
                "method",
                "started_on",
                "ended_on",
                "sample_size",
                "findings",
                "created_at",
            )
        ),
        "needs": list(
            Need.objects.filter(assessment__organization=org)
            .order_by("pk")
            .values("id", "assessment_id", "title", "description", "chosen", "chosen_reason", "chosen_at")
        ),
        "need_scores": list(
            NeedScore.objects.filter(need__assessment__organization=org)
            .order_by("need_id", "criterion__position")
            .values("id", "need_id", "criterion__key", "score")
        ),
        "projects": list(
            Project.objects.filter(organization=org)
            .order_by("pk")
            .values(
                "id",
                "slug",
                "title",
                "status",
                "theme__name",
                "community__name",
                "summary",
                "problem_statement",
                "target_group",
                "objectives",
                "start_date",
                "end_date",
                "reporting_frequency",
                "created_at",
                "updated_at",
            )
        ),
        "budget_lines": list(
            BudgetLine.objects.filter(project__organization=org)
            .order_by("project_id", "pk")
            .values("id", "project_id", "category", "description", "amount")
        ),
        "indicators": list(
            Indicator.objects.filter(project__organization=org)
            .order_by("project_id", "position", "pk")
            .values(
                "id",
                "project_id",
                "name",
                "unit",
                "value_type",
                "baseline",
                "target",
                "aggregation",
                "frequency",
            )
        ),
        "decisions": list(
            ProjectDecision.objects.filter(project__organization=org)
            .order_by("project_id", "at", "pk")
            .values("id", "project_id", "from_status", "to_status", "by__full_name", "at", "comment")
        ),
        "progress_updates": list(
            ProgressUpdate.objects.filter(project__organization=org)
            .order_by("project_id", "period_start", "pk")
            .values(
                "id",
                "project_id",
                "period_start",
                "period_end",
                "status",
                "supersedes_id",
                "narrative",
                "volunteer_hours",
                "created_at",
                "submitted_at",
                "reviewed_at",
                "review_comment",
                "quality_score",
                "rating_feedback",
                "rated_at",
            )
        ),
        "indicator_values": list(
            IndicatorValue.objects.filter(update__project__organization=org)
            .order_by("update_id", "indicator__position", "pk")
            .values("id", "update_id", "indicator_id", "indicator__name", "value")
        ),
        "people_reached": list(
            PeopleReached.objects.filter(update__project__organization=org)
            .order_by("update_id", "pk")
            .values("id", "update_id", "sex", "age_band", "special_group", "count")
        ),
        "update_photos": list(
            UpdatePhoto.objects.filter(update__project__organization=org)
            .order_by("update_id", "pk")
            .values("id", "update_id", "image", "caption", "uploaded_at")
        ),
    }


# Results framework: breakdowns, theme roll-ups, ratings ------------------------------------------------


def with_breakdowns(project, progress: list[IndicatorProgress], *, until: date | None = None) -> list:
    """Attach to each IndicatorProgress of `project` its `level` and `breakdowns`: a list of (breakdown
    label, [(part label, amount)]) from the parts of the values that count. Cumulative indicators add the
    parts of every effective approved update; latest-value indicators show the parts of the latest value.
    Two queries, whatever the number of indicators and updates."""
    if until is None:  # the project's page: compiled once (empowerment.querysets.compiled_once)
        values = compiled_once("indicator values counted", _values_counted, project=project.pk)
        parts = compiled_once("indicator parts counted", _parts_counted, project=project.pk)
    else:
        values, parts = _values_counted(project.pk, until), _parts_counted(project.pk, until)
    latest_value: dict[int, int] = {}
    for value_id, indicator_id in values:
        latest_value.setdefault(indicator_id, value_id)
    sums: dict[int, dict[str, dict[str, Decimal]]] = {}
    for value_id, indicator_id, aggregation, dim, cat, amount in parts:
        if aggregation == Indicator.Aggregation.LATEST and latest_value.get(indicator_id) != value_id:
            continue
        by_cat = sums.setdefault(indicator_id, {}).setdefault(dim, {})
        by_cat[cat] = by_cat.get(cat, Decimal(0)) + amount
    order = {d: i for i, d in enumerate(Dimension.values)}
    standards = StandardIndicator.objects.in_bulk(
        {p.indicator.standard_id for p in progress if p.indicator.standard_id}
    )
    for item in progress:
        if item.indicator.standard_id:
            item.indicator.standard = standards[item.indicator.standard_id]
        found = sums.get(item.indicator.pk, {})
        item.breakdowns = [
            (
                Dimension(dim).label,
                [(category_label(dim, cat), amount) for cat, amount in _in_choice_order(dim, found[dim])],
            )
            for dim in sorted(found, key=order.get)
        ]
    return progress


def _values_counted(project: int, until: date | None = None) -> QuerySet:
    """(value, indicator) of the values that count, each indicator's latest first."""
    return (
        IndicatorValue.objects.filter(indicator__project=project, update__in=_updates_counted(project, until))
        .order_by("indicator_id", "-update__period_end", "-update_id")
        .values_list("pk", "indicator_id")
    )


def _parts_counted(project: int, until: date | None = None) -> QuerySet:
    return IndicatorValuePart.objects.filter(
        value__indicator__project=project, value__update__in=_updates_counted(project, until)
    ).values_list(
        "value_id", "value__indicator_id", "value__indicator__aggregation", "dimension", "category", "amount"
    )


def _in_choice_order(dim: str, amounts: dict) -> list:
    values = dimension_categories()[dim].values
    return sorted(amounts.items(), key=lambda kv: values.index(kv[0]) if kv[0] in values else len(values))


def indicators_by_level(progress: list[IndicatorProgress]) -> list[tuple[str, list[IndicatorProgress]]]:
    """Outputs first, then outcomes (each in the indicators' own order); levels without indicators left out."""
    return [
        (label, [p for p in progress if p.indicator.level == level])
        for level, label in IndicatorLevel.choices
        if any(p.indicator.level == level for p in progress)
    ]


@dataclass
class ThemeIndicatorResult:
    standard: StandardIndicator
    total: Decimal
    projects: int
    # [(breakdown label, [(part label, amount)], sum of the parts)]: only the projects whose indicator asks
    # for the breakdown have parts, so their sum may be less than the total.
    breakdowns: list


def theme_results(*, public_only: bool) -> list[tuple[object, list[ThemeIndicatorResult]]]:
    """Theme-level roll-ups of comparable indicators: for each theme indicator (StandardIndicator) with
    values reported, the sum over the project indicators mapped to it of what counts in each project: the
    sum of effective approved values (cumulative; baselines are not added: this is what the projects
    reported) or the latest effective approved value (latest value). With `public_only`, only public
    projects count (public_project_q). Cumulative theme indicators also carry the sums of the parts of
    their breakdowns. Grouped by theme: [(theme, [ThemeIndicatorResult])]. Four queries: the sums
    (theme_result_sums, three) and the theme indicators that name them (theme_results_shown, one)."""
    return theme_results_shown(theme_result_sums(public_only=public_only))


def theme_result_sums(*, public_only: bool) -> dict:
    """The figures of theme_results as plain data (ids, codes and Decimals, no labels; stored as they are in
    the public dashboard's snapshot): {"totals": {standard id: total}, "projects": {standard id: number of
    projects}, "parts": {standard id: ((dimension, ((category, amount), ...)), ...)}}. Three queries."""
    replaced = ProgressUpdate.objects.filter(supersedes=OuterRef("pk"), status=ProgressUpdate.Status.APPROVED)
    counted = ProgressUpdate.objects.filter(status=ProgressUpdate.Status.APPROVED).exclude(Exists(replaced))
    scope = Q(indicator__standard__isnull=False, update__in=counted)
    if public_only:
        scope &= public_project_q("indicator__project__")
    values = IndicatorValue.objects.filter(scope)
    totals: dict[int, Decimal] = {}
    projects: dict[int, set] = {}
    for standard_id, project_id, total in (
        values.filter(indicator__standard__aggregation=Indicator.Aggregation.CUMULATIVE)
        .values("indicator__standard_id", "indicator__project_id")
        .annotate(total=Sum("value"))
        .values_list("indicator__standard_id", "indicator__project_id", "total")
        .order_by()
    ):
        totals[standard_id] = totals.get(standard_id, Decimal(0)) + Decimal(str(total))
        projects.setdefault(standard_id, set()).add(project_id)
    latest = (
        IndicatorValue.objects.filter(indicator=OuterRef("pk"), update__in=counted)
        .order_by("-update__period_end", "-update__pk")
        .values("value")[:1]
    )
    latest_indicators = Indicator.objects.filter(standard__aggregation=Indicator.Aggregation.LATEST)
    if public_only:
        latest_indicators = latest_indicators.filter(public_project_q("project__"))
    for standard_id, project_id, value in (
        latest_indicators.annotate(
            latest=Subquery(latest, output_field=DecimalField(max_digits=14, decimal_places=2))
        )
        .filter(latest__isnull=False)
        .values_list("standard_id", "project_id", "latest")
    ):
        totals[standard_id] = totals.get(standard_id, Decimal(0)) + Decimal(str(value))
        projects.setdefault(standard_id, set()).add(project_id)
    parts: dict[int, dict[str, dict[str, Decimal]]] = {}
    for standard_id, dim, cat, amount in (
        IndicatorValuePart.objects.filter(
            value__in=values.filter(indicator__standard__aggregation=Indicator.Aggregation.CUMULATIVE)
        )
        .values("value__indicator__standard_id", "dimension", "category")
        .annotate(amount=Sum("amount"))
        .values_list("value__indicator__standard_id", "dimension", "category", "amount")
        .order_by()
    ):
        parts.setdefault(standard_id, {}).setdefault(dim, {})[cat] = Decimal(str(amount))
    order = {d: i for i, d in enumerate(Dimension.values)}
    return {
        "totals": {pk: total.quantize(TWO_PLACES) for pk, total in totals.items()},
        "projects": {pk: len(ids) for pk, ids in projects.items()},
        "parts": {
            pk: tuple((dim, tuple(_in_choice_order(dim, found[dim]))) for dim in sorted(found, key=order.get))
            for pk, found in parts.items()
        },
    }


def theme_results_shown(sums: dict) -> list[tuple[object, list[ThemeIndicatorResult]]]:
    """theme_results from its figures (theme_result_sums): the theme indicators and their themes read (one
    query) and the breakdowns labelled in the current language."""
    totals, parts = sums["totals"], sums["parts"]
    grouped: dict[int, tuple[object, list]] = {}
    for standard in StandardIndicator.objects.filter(pk__in=totals).select_related("theme"):
        found = parts.get(standard.pk, ())
        result = ThemeIndicatorResult(
            standard=standard,
            total=totals[standard.pk],
            projects=sums["projects"][standard.pk],
            breakdowns=[
                (
                    Dimension(dim).label,
                    [(category_label(dim, cat), amount) for cat, amount in amounts],
                    sum((amount for _cat, amount in amounts), Decimal(0)),
                )
                for dim, amounts in found
            ],
        )
        grouped.setdefault(standard.theme_id, (standard.theme, []))[1].append(result)
    return [grouped[key] for key in sorted(grouped)]


def updates_to_rate() -> QuerySet[ProgressUpdate]:
    """Approved progress reports not rated yet, the longest waiting first."""
    return (
        ProgressUpdate.objects.filter(status=ProgressUpdate.Status.APPROVED, quality_score__isnull=True)
        .select_related("project__organization")
        .order_by("reviewed_at", "pk")
    )


def rating_history(update: ProgressUpdate) -> list:
    """Each rating the report was given, oldest first (from its history: who, when, score, feedback); a
    save that did not change the rating is not repeated."""
    rows = (
        update.history.filter(quality_score__isnull=False)
        .select_related("rated_by")
        .order_by("history_date", "history_id")
    )
    seen, result = None, []
    for row in rows:
        key = (row.quality_score, row.rating_feedback, row.rated_at)
        if key != seen:
            result.append(row)
            seen = key
    return result
