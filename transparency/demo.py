"""Demo transparency data: a few published disclosures (one with a dated correction note), public questions
with published answers, confirmed followers, and the programme's latest monthly and quarterly reports
(requested through the report service: rendered by the worker, or in-process when there is no broker).
Idempotent: what exists is left as it is, and the report service never makes a report twice."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from empowerment.demo import DemoContext

from . import disclosure_calendar, selectors, services
from .models import Follower, Question

OFFICER = "officer@demo.example"
CORRECTION = (
    "更正：第二个月的入户探访为 46 户，不是 64 户。Correction: 46 home visits in the second month, not 64."
)
NARRATIVES = {
    "progress": "本季度按计划开展服务，资金按预算使用，详见收支明细。"
    "Services ran as planned this quarter; funds were spent within the budget (see the figures).",
}
QUESTIONS = [
    (
        "question",
        "市民刘女士",
        "demo-asker1@example.org",
        "项目的志愿者如何招募？可以报名吗？",
        "可以。请联系社区服务中心登记，我们每月初安排志愿者培训。",
    ),
    (
        "concern",
        "Resident",
        "demo-asker2@example.org",
        "Are the receipts for the purchased materials published anywhere?",
        "Yes: every expenditure with its receipt is listed in the open data (expenditures) and in the "
        "quarterly disclosures beside the project.",
    ),
]
FOLLOWERS = ["demo-follower1@example.org", "demo-follower2@example.org"]


def seed(ctx: DemoContext) -> None:
    officer = get_user_model().objects.filter(email=OFFICER).first()
    if officer is None:
        return
    today = timezone.localdate()
    _disclosures(officer, today)
    projects = list(selectors.public_projects().order_by("pk")[:3])
    _questions(officer, projects)
    _followers(projects)
    reports = services.reports_schedule(today=today)
    ctx.stdout.write(f"  transparency: {len(reports)} programme reports requested (latest month and quarter)")
    figures = selectors.programme_figures()
    ctx.stdout.write(
        f"  dashboard: {figures['organizations_trained']} organizations trained, "
        f"{figures['projects_incubated']} projects incubated, ¥{figures['raised']:,.2f} raised, "
        f"¥{figures['spent']:,.2f} spent"
    )


def _disclosures(officer, today) -> None:
    owed = [
        item
        for item in disclosure_calendar.obligations(today=today)
        if item.kind == "progress" and item.period_end < today and item.project is not None
    ]
    published = [item.disclosure for item in owed if item.state == "done" and item.disclosure]
    for item in [item for item in owed if item.state != "done"][: max(0, 3 - len(published))]:
        published.append(
            services.disclosure_publish(
                kind=item.kind,
                period_start=item.period_start,
                period_end=item.period_end,
                due_on=item.due_on,
                narrative=NARRATIVES["progress"],
                project=item.project,
                by=officer,
            )
        )
    if published and not any(d.corrections.exists() for d in published):
        services.disclosure_correct(disclosure=published[0], note=CORRECTION, by=officer)


def _questions(officer, projects) -> None:
    for project, (kind, name, email, body, answer) in zip(projects, QUESTIONS, strict=False):
        if Question.objects.filter(email=email, body=body).exists():
            continue
        question = services.question_ask(
            data={"kind": kind, "name": name, "email": email, "body": body},
            client=f"demo-{email}",
            project=project,
        )
        services.question_answer(question=question, answer=answer, publish=True, by=officer)


def _followers(projects) -> None:
    now = timezone.now()
    for project in projects[:2]:
        for email in FOLLOWERS:
            Follower.objects.get_or_create(
                project=project, email=email, defaults={"confirmed_at": now, "language": "zh-hans"}
            )
