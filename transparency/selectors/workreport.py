"""Reads for the annual work report (年度工作报告): the figures each section takes from the year's data, and the
reports themselves (drafts for staff, published ones for everybody).

Every money figure comes from the books (fundraising.selectors): programme_money (raised, spent, balance, by
channel, by category), flow_money (income by funder kind, the fund-flow picture's sources),
spending_by_classification and ratios (the charitable-spending and management-cost ratios). People and
projects come from the public rules (projects.selectors.public_project_q, the effective approved updates);
the disclosure record from the disclosure calendar. Figures are plain data (codes, ids, Decimals, dates), so
one snapshot shows in both languages; labels are added when shown."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from empowerment.translated import both
from fundraising import selectors as books
from fundraising.selectors import statements
from organizations import selectors as org_selectors
from projects import selectors as project_selectors
from projects.models import ProjectDecision
from trainings.models import Attendance, Cohort, MentoringVisit, Session

from ..periods import year as year_period
from ..workreport_models import WorkReport, WorkReportSection
from .common import effective_updates_all, public_projects, valid_certificates

ZERO = Decimal("0.00")
# The report lists this many projects and cohorts by name; the counts always cover all of them.
LISTED = 50


def _bounds(year: int) -> tuple[date, date, datetime, datetime]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    tz = timezone.get_current_timezone()
    return (
        start,
        end,
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=tz),
    )


def basic_figures(year: int) -> dict:
    """The programme as a whole: organizations taking part (all, active, graduated) and the themes served."""
    counts = org_selectors.organization_counts()
    return {
        "organizations": counts["total"],
        "organizations_active": counts["active"],
        "organizations_graduated": counts["graduated"],
        "organizations_public": org_selectors.public_organizations().count(),
        "themes": [both(theme, "name") for theme in org_selectors.themes().order_by("pk")],
    }


def training_figures(year: int) -> dict:
    """Training in the year: cohorts running in it, sessions held, people and organizations that attended
    at least one session, certificates issued (not revoked) and mentoring contacts."""
    start, end, since, until = _bounds(year)
    cohorts = Cohort.objects.filter(starts_on__lte=end, ends_on__gte=start).order_by("starts_on", "name")
    sessions = Session.objects.filter(starts_at__gte=since, starts_at__lt=until)
    attended = Attendance.objects.filter(session__in=sessions, status__in=Attendance.ATTENDED)
    certificates = valid_certificates().filter(issued_at__gte=since, issued_at__lt=until)
    return {
        "cohorts": cohorts.count(),
        "cohort_list": [
            (c.name, c.starts_on, c.ends_on, c.sessions_in_year)
            for c in cohorts.annotate(
                sessions_in_year=Count("sessions", filter=Q(sessions__in=sessions), distinct=True)
            )[:LISTED]
        ],
        "sessions": sessions.count(),
        "participants": attended.values("enrolment__participant").distinct().count(),
        "organizations": attended.values("enrolment__participant__organization").distinct().count(),
        "certificates": certificates.count(),
        "mentoring_contacts": MentoringVisit.objects.filter(date__gte=start, date__lte=end).count(),
    }


def project_figures(year: int) -> dict:
    """Projects in the year: approved for incubation and completed in it (by their recorded decisions),
    running in it (public projects whose dates overlap the year), and what their approved progress
    reports of the year say: people reached (by sex, age and special group), volunteer hours, indicators."""
    start, end, since, until = _bounds(year)
    decisions = ProjectDecision.objects.filter(
        project_selectors.public_project_q("project__"), at__gte=since, at__lt=until
    )
    running = public_projects().filter(start_date__lte=end, end_date__gte=start)
    updates = effective_updates_all().filter(period_end__gte=start, period_end__lte=end)
    people = project_selectors.people_reached_totals(updates)
    per_project = {
        row["project"]: row["n"]
        for row in updates.order_by()
        .values("project")
        .annotate(n=Sum("people__count"))
        .values("project", "n")
    }
    listed = []
    for project in running.select_related("organization", "theme").order_by("title", "pk")[:LISTED]:
        indicators = [
            (p.indicator.name, p.indicator.unit, p.indicator.baseline, p.current, p.indicator.target)
            for p in project_selectors.indicator_progress(project, until=end)
        ]
        listed.append(
            {
                "title": both(project, "title"),
                "slug": project.slug,
                "organization": both(project.organization, "name"),
                "theme": both(project.theme, "name"),
                "status": project.status,
                "people": per_project.get(project.pk) or 0,
                "indicators": indicators,
            }
        )
    return {
        "approved": decisions.filter(to_status="approved").values("project").distinct().count(),
        "completed": decisions.filter(to_status="completed").values("project").distinct().count(),
        "running": running.count(),
        "project_list": listed,
        "people": people["total"],
        "people_by_sex": [(row["sex"], row["n"]) for row in people["by_sex"]],
        "people_by_age": [(row["age_band"], row["n"]) for row in people["by_age"]],
        "people_by_group": [(row["special_group"], row["n"]) for row in people["by_group"]],
        "volunteer_hours": books.money(updates.aggregate(h=Sum("volunteer_hours"))["h"]),
    }


def money_figures(year: int) -> dict:
    """The year's money from the books: raised (by channel, by funder kind), spent (by category, by
    classification), the balance at the year's end and adjustments."""
    period = year_period(year)
    money = books.programme_money(period)
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for funder_kind, _channel, _fund, amount in books.flow_money(period)["income"]:
        by_kind[funder_kind] += amount
    channels = books.channels_by_id(pk for pk, _amount in money["raised_by_channel_id"])
    return {
        "raised": money["raised"],
        "spent": money["spent"],
        "balance": money["balance"],
        "adjustments": money["adjustments"],
        # Names in both languages: the report is kept as it was and read in either language.
        "raised_by_channel": [
            (both(channels.get(pk), "name"), amount) for pk, amount in money["raised_by_channel_id"]
        ],
        "raised_by_funder_kind": sorted(((k, v) for k, v in by_kind.items() if v), key=lambda kv: -kv[1]),
        # Income by kind as the statement of activities gives it (None until every account is mapped).
        "income_by_kind": statements.income_by_kind(year),
        # Gifts in kind: income in the statements, not money raised (the difference between the two totals).
        "in_kind_income": books.in_kind_income(period),
        "spent_by_category": money["spent_by_category"],
        "spent_by_classification": books.spending_by_classification(year),
    }


def ratio_figures(year: int) -> dict:
    """The charitable-spending and management-cost ratios of the year with their limits (books.ratios)."""
    return books.ratios(year)


def disclosure_figures(year: int, *, today: date | None = None) -> dict:
    """The disclosures due in the year (the disclosure calendar as of `today`): what was published when and
    how late, and what is still owed. The year's own annual report is left out (it is this report)."""
    from .. import disclosure_calendar  # noqa: PLC0415 - the calendar reads these selectors

    start, end = date(year, 1, 1), date(year, 12, 31)
    items = []
    for item in disclosure_calendar.obligations(today=today):
        if not start <= item.due_on <= end:
            continue
        published_on = timezone.localdate(item.disclosure.published_at) if item.disclosure else None
        items.append(
            {
                "kind": item.kind,
                "key": item.key,
                "target": both(item.target, "title") if item.target is not None else "",
                "period_start": item.period_start,
                "period_end": item.period_end,
                "due_on": item.due_on,
                "published_on": published_on,
                "days_late": max(0, (published_on - item.due_on).days) if published_on else None,
                "state": item.state,
            }
        )
    items.sort(key=lambda i: (i["due_on"], i["kind"], i["key"]))
    published = [i for i in items if i["published_on"]]
    return {
        "due": len(items),
        "published": len(published),
        "on_time": sum(1 for i in published if not i["days_late"]),
        "late": sum(1 for i in published if i["days_late"]),
        "outstanding": len(items) - len(published),
        "items": items,
    }


SECTION_FIGURES: dict[str, Callable[[int], dict]] = {
    WorkReportSection.Key.BASIC: basic_figures,
    WorkReportSection.Key.TRAINING: training_figures,
    WorkReportSection.Key.PROJECTS: project_figures,
    WorkReportSection.Key.MONEY: money_figures,
    WorkReportSection.Key.RATIOS: ratio_figures,
    WorkReportSection.Key.DISCLOSURE: disclosure_figures,
}


def year_figures(year: int) -> dict[str, dict]:
    """Every section's figures for the year, in the sections' order."""
    return {key: compute(year) for key, compute in SECTION_FIGURES.items()}


# The reports ------------------------------------------------------------------------------------------


def _with_sections(qs: QuerySet[WorkReport]) -> QuerySet[WorkReport]:
    return qs.prefetch_related(Prefetch("sections", queryset=WorkReportSection.objects.order_by("position")))


def work_reports_for_staff() -> QuerySet[WorkReport]:
    return WorkReport.objects.select_related("disclosure", "created_by", "published_by").order_by("-year")


def work_report_for_staff(year: int) -> WorkReport | None:
    return _with_sections(work_reports_for_staff()).filter(year=year).first()


def published_work_reports() -> QuerySet[WorkReport]:
    return WorkReport.objects.filter(status=WorkReport.Status.PUBLISHED).order_by("-year")


def published_work_report(year: int) -> WorkReport | None:
    return (
        _with_sections(published_work_reports())
        .select_related("disclosure")
        .prefetch_related("disclosure__corrections")
        .filter(year=year)
        .first()
    )


def section_history(section: WorkReportSection, limit: int = 20) -> list:
    """The section's earlier versions, newest first, with who changed it and when."""
    return list(
        section.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    )


def work_report_documents(report: WorkReport) -> dict[str, object]:
    """The report's PDFs by language (the newest of each), ready or not."""
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    from empowerment.models import Document  # noqa: PLC0415

    documents = Document.objects.filter(
        kind="work_report",
        subject_type=ContentType.objects.get_for_model(WorkReport),
        subject_id=str(report.pk),
    ).order_by("language", "-created_at")
    found: dict[str, object] = {}
    for document in documents:
        found.setdefault(document.language, document)
    return found
