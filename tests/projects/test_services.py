"""Ranking, indicator computations, the review workflow by role, progress updates and reminders."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from empowerment.models import Email
from projects import selectors, services
from projects.models import (
    IndicatorValue,
    ProgressUpdate,
    Project,
    ProjectDecision,
    ScoringCriterion,
)
from tests.factories.projects import (
    AssessmentFactory,
    IndicatorFactory,
    NeedFactory,
    ProjectFactory,
    UpdateFactory,
    complete_proposal,
    score,
)

pytestmark = pytest.mark.django_db


# Ranking ------------------------------------------------------------------------------------------


def test_needs_are_ranked_by_weighted_score_computed_by_hand():
    # Default weights: severity 3, people affected 2, urgency 2, feasibility 1 (Σ = 8).
    assessment = AssessmentFactory()
    a = NeedFactory(assessment=assessment, title="Loneliness")
    b = NeedFactory(assessment=assessment, title="Undetected illness")
    c = NeedFactory(assessment=assessment, title="Unsafe stairs")
    score(a, severity=3, people_affected=5, urgency=2, feasibility=4)  # 9+10+4+4 = 27 → 3.38
    score(b, severity=5, people_affected=4, urgency=5, feasibility=3)  # 15+8+10+3 = 36 → 4.50
    score(c, severity=4, urgency=3)  # 12+0+6+0 = 18 → 2.25 (missing scores count 0)
    ranked = selectors.ranked_needs(assessment)
    assert [(n.title, n.rank, n.weighted_score) for n in ranked] == [
        ("Undetected illness", 1, Decimal("4.50")),
        ("Loneliness", 2, Decimal("3.38")),
        ("Unsafe stairs", 3, Decimal("2.25")),
    ]


def test_changing_a_weight_changes_the_ranking():
    assessment = AssessmentFactory()
    a = NeedFactory(assessment=assessment, title="A")
    b = NeedFactory(assessment=assessment, title="B")
    score(a, severity=5, people_affected=1, urgency=1, feasibility=1)
    score(b, severity=1, people_affected=5, urgency=1, feasibility=1)
    assert selectors.ranked_needs(assessment)[0].title == "A"  # 15+2+2+1 vs 3+10+2+1
    ScoringCriterion.objects.filter(key="people_affected").update(weight=5)
    assert selectors.ranked_needs(assessment)[0].title == "B"  # 15+5+2+1 vs 3+25+2+1


def test_priority_matrix_draws_each_scored_need(org_a, people):
    assessment = AssessmentFactory(organization=org_a)
    need = NeedFactory(assessment=assessment, title="Falls <at> night")
    score(need, severity=5, urgency=4, people_affected=3, feasibility=2)
    from projects.charts import priority_matrix

    svg = priority_matrix(selectors.ranked_needs(assessment))
    assert svg.count("<circle") == 1
    assert "Falls &lt;at&gt; night" in svg


def test_choosing_a_need_requires_a_reason_and_an_editor(org_a, people):
    need = NeedFactory(assessment=AssessmentFactory(organization=org_a))
    with pytest.raises(ValidationError):
        services.need_choose(need=need, by=people["a_editor"], reason="  ")
    with pytest.raises(PermissionDenied):
        services.need_choose(need=need, by=people["a_viewer"], reason="Most urgent")
    need.refresh_from_db()
    assert not need.chosen
    services.need_choose(need=need, by=people["a_editor"], reason="Most urgent")
    need.refresh_from_db()
    assert need.chosen and need.chosen_reason == "Most urgent" and need.chosen_by == people["a_editor"]


# Survey import -------------------------------------------------------------------------------------


def _csv(text: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("kobo.csv", text.encode(encoding), content_type="text/csv")


def test_survey_import_reads_gbk_semicolons_and_summarises_answers(org_a, people):
    assessment = AssessmentFactory(organization=org_a)
    text = "_id;start;最担心的问题;需要的服务\n1;x;看病难;上门体检 送餐\n2;x;孤独;上门体检\n3;x;看病难;\n"
    survey = services.survey_import(assessment=assessment, by=people["a_editor"], file=_csv(text, "gbk"))
    assert survey.encoding == "gbk" and survey.respondents == 3
    assert survey.mapping == {
        "_id": "ignore",
        "start": "ignore",
        "最担心的问题": "single",
        "需要的服务": "single",
    }
    mapping = {**survey.mapping, "需要的服务": "multiple"}
    services.survey_map(survey=survey, by=people["a_editor"], mapping=mapping)
    survey.refresh_from_db()
    assert survey.summary == [
        {"question": "最担心的问题", "kind": "single", "options": [["看病难", 2], ["孤独", 1]]},
        {"question": "需要的服务", "kind": "multiple", "options": [["上门体检", 2], ["—", 1], ["送餐", 1]]},
    ]


def test_survey_import_reads_utf8_with_bom_and_refuses_a_broken_file(org_a, people):
    assessment = AssessmentFactory(organization=org_a)
    survey = services.survey_import(
        assessment=assessment, by=people["a_editor"], file=_csv("\ufeffq1,q2\nyes,no\n", "utf-8")
    )
    assert survey.columns == ["q1", "q2"]
    with pytest.raises(ValidationError) as exc:
        services.survey_import(assessment=assessment, by=people["a_editor"], file=_csv("q1,q1\na,b\n"))
    assert "same name" in str(exc.value)
    with pytest.raises(ValidationError):
        services.survey_import(assessment=assessment, by=people["a_editor"], file=_csv("a,b\n1,2,3\n"))
    assert assessment.survey_imports.count() == 1


# Workflow --------------------------------------------------------------------------------------------

ROLES = [
    "a_admin",
    "a_editor",
    "a_viewer",
    "b_admin",
    "programme_officer",
    "finance_officer",
    "trainer",
    "administrator",
]
# action → (starting status, roles allowed)
MOVES = {
    "submit": ("draft", {"a_admin", "a_editor"}),
    "return": ("submitted", {"programme_officer", "administrator"}),
    "approve": ("submitted", {"programme_officer", "administrator"}),
    "reject": ("submitted", {"programme_officer", "administrator"}),
    "activate": ("approved", {"programme_officer", "administrator"}),
    "complete": ("active", {"programme_officer", "administrator"}),
    "close": ("completed", {"programme_officer", "administrator"}),
}


@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("role", ROLES)
def test_each_workflow_move_is_allowed_only_to_its_roles(
    action, role, org_a, people, django_capture_on_commit_callbacks
):
    start, allowed = MOVES[action]
    project = complete_proposal(ProjectFactory(organization=org_a, status=start))
    user = people[role]
    if role in allowed:
        with django_capture_on_commit_callbacks(execute=True):
            services.project_transition(project=project, action=action, by=user, comment="Reason given")
        project.refresh_from_db()
        assert project.status == services.TRANSITIONS[action][1]
        decision = ProjectDecision.objects.get(project=project)
        assert (decision.from_status, decision.to_status, decision.by) == (start, project.status, user)
        # One email to each admin and editor of the organization.
        assert sorted(m.to[0] for m in mail.outbox) == ["a-admin@example.org", "a-editor@example.org"]
    else:
        with pytest.raises(PermissionDenied):
            services.project_transition(project=project, action=action, by=user, comment="Reason given")
        project.refresh_from_db()
        assert project.status == start
        assert not ProjectDecision.objects.exists() and not mail.outbox


def test_full_cycle_with_return_and_resubmission(org_a, people):
    project = complete_proposal(ProjectFactory(organization=org_a))
    officer, editor = people["programme_officer"], people["a_editor"]
    services.project_transition(project=project, action="submit", by=editor)
    services.project_transition(
        project=project, action="return", by=officer, comment="Add a budget for transport."
    )
    project.refresh_from_db()
    assert project.is_editable
    services.project_transition(project=project, action="submit", by=editor)
    for action in ("approve", "activate", "complete", "close"):
        services.project_transition(project=project, action=action, by=officer)
    assert list(project.decisions.values_list("to_status", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
        "active",
        "completed",
        "closed",
    ]
    assert project.decisions.get(to_status="returned").comment == "Add a budget for transport."


def test_a_move_from_the_wrong_status_or_without_a_comment_is_refused(org_a, people):
    project = complete_proposal(ProjectFactory(organization=org_a, status="submitted"))
    officer = people["programme_officer"]
    with pytest.raises(ValidationError):
        services.project_transition(project=project, action="activate", by=officer)
    with pytest.raises(ValidationError):
        services.project_transition(project=project, action="return", by=officer, comment=" ")
    with pytest.raises(ValidationError):
        services.project_transition(project=project, action="reject", by=officer)
    project.refresh_from_db()
    assert project.status == "submitted" and not project.decisions.exists()


def test_an_incomplete_proposal_cannot_be_submitted(org_a, people):
    project = ProjectFactory(organization=org_a, problem_statement="")
    with pytest.raises(ValidationError) as exc:
        services.project_transition(project=project, action="submit", by=people["a_editor"])
    text = " ".join(exc.value.messages)
    assert "problem statement" in text and "budget line" in text and "indicator" in text and "need" in text
    project.refresh_from_db()
    assert project.status == "draft"


def test_a_submitted_proposal_cannot_be_edited(org_a, people):
    project = ProjectFactory(organization=org_a, status="submitted")
    with pytest.raises(ValidationError):
        services.project_update(project=project, by=people["a_editor"], data={"title": "Changed"})
    project.refresh_from_db()
    assert project.title != "Changed"


# Indicators ------------------------------------------------------------------------------------


def _approved(project, start, end, **values):
    update = UpdateFactory(project=project, period_start=start, period_end=end, status="approved")
    for indicator, value in values.items():
        IndicatorValue.objects.create(
            update=update, indicator=project.indicators.get(name=indicator), value=Decimal(value)
        )
    return update


def test_indicator_progress_cumulative_and_latest_computed_by_hand(org_a):
    project = ProjectFactory(organization=org_a, status="active")
    IndicatorFactory(
        project=project,
        name="checked",
        baseline=Decimal("10"),
        target=Decimal("200"),
        aggregation="cumulative",
    )
    IndicatorFactory(
        project=project,
        name="coverage",
        value_type="percentage",
        baseline=Decimal("20"),
        target=Decimal("80"),
        aggregation="latest",
    )
    _approved(project, date(2025, 1, 1), date(2025, 1, 31), checked="30", coverage="35")
    _approved(project, date(2025, 2, 1), date(2025, 2, 28), checked="45.5", coverage="50")
    # A draft and a submitted update do not count.
    draft = UpdateFactory(
        project=project, period_start=date(2025, 3, 1), period_end=date(2025, 3, 31), status="submitted"
    )
    IndicatorValue.objects.create(
        update=draft, indicator=project.indicators.get(name="checked"), value=Decimal("1000")
    )
    progress = {p.indicator.name: p for p in selectors.indicator_progress(project)}
    assert progress["checked"].current == Decimal("85.50")  # 10 + 30 + 45.5
    assert progress["checked"].percent == 39  # (85.5 − 10) / (200 − 10) = 39.7 %
    assert progress["coverage"].current == Decimal("50.00")  # latest period's value
    assert progress["coverage"].percent == 50  # (50 − 20) / (80 − 20)
    until_january = {
        p.indicator.name: p.current for p in selectors.indicator_progress(project, until=date(2025, 1, 31))
    }
    assert until_january == {"checked": Decimal("40.00"), "coverage": Decimal("35.00")}


def test_an_approved_correction_replaces_the_update_it_corrects(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    IndicatorFactory(project=project, name="checked")
    old = _approved(project, date(2025, 1, 1), date(2025, 1, 31), checked="30")
    correction = services.update_correct(update=old, by=people["a_editor"])
    assert correction.supersedes == old and correction.status == "draft"
    assert selectors.indicator_progress(project)[0].current == Decimal("30.00")  # still the approved one
    services.update_save(
        project=project,
        by=people["a_editor"],
        update=correction,
        data={},
        values={project.indicators.get().pk: "25"},
        people=[],
    )
    services.update_submit(update=correction, by=people["a_editor"])
    services.update_review(update=correction, by=people["programme_officer"], approve=True)
    assert selectors.indicator_progress(project)[0].current == Decimal("25.00")
    old.refresh_from_db()
    assert old.status == "approved" and old.values.get().value == Decimal("30.00")  # never edited


# Progress updates --------------------------------------------------------------------------------


def test_update_values_are_type_checked_and_nothing_is_saved_on_error(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    count = IndicatorFactory(project=project, name="checked", value_type="count")
    pct = IndicatorFactory(project=project, name="coverage", value_type="percentage", target=Decimal("80"))
    with pytest.raises(ValidationError) as exc:
        services.update_save(
            project=project,
            by=people["a_editor"],
            data={"period_start": date(2025, 1, 1), "period_end": date(2025, 1, 31), "narrative": "x"},
            values={count.pk: "2.5", pct.pk: "120"},
            people=[],
        )
    assert set(exc.value.message_dict) == {f"indicator_{count.pk}", f"indicator_{pct.pk}"}
    assert not ProgressUpdate.objects.exists()


def test_update_period_must_be_within_the_project(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    with pytest.raises(ValidationError) as exc:
        services.update_save(
            project=project,
            by=people["a_editor"],
            data={"period_start": date(2024, 12, 1), "period_end": date(2026, 1, 31), "narrative": "x"},
            values={},
            people=[],
        )
    assert set(exc.value.message_dict) == {"period_start", "period_end"}
    assert not ProgressUpdate.objects.exists()


def test_updates_only_for_active_projects_and_by_editors(org_a, people):
    data = {"period_start": date(2025, 1, 1), "period_end": date(2025, 1, 31), "narrative": "x"}
    with pytest.raises(ValidationError):
        services.update_save(
            project=ProjectFactory(organization=org_a, status="approved"),
            by=people["a_editor"],
            data=data,
            values={},
            people=[],
        )
    active = ProjectFactory(organization=org_a, status="active")
    for role in ("a_viewer", "b_admin", "programme_officer"):
        with pytest.raises(PermissionDenied):
            services.update_save(project=active, by=people[role], data=data, values={}, people=[])
    assert not ProgressUpdate.objects.exists()


def test_update_review_by_role_and_an_approved_update_is_not_edited(org_a, people):
    update = UpdateFactory(project=ProjectFactory(organization=org_a, status="active"), status="submitted")
    for role in ("a_admin", "a_editor", "finance_officer", "trainer"):
        with pytest.raises(PermissionDenied):
            services.update_review(update=update, by=people[role], approve=True)
    with pytest.raises(ValidationError):
        services.update_review(update=update, by=people["programme_officer"], approve=False, comment="")
    services.update_review(update=update, by=people["programme_officer"], approve=True)
    update.refresh_from_db()
    assert update.status == "approved"
    with pytest.raises(ValidationError):
        services.update_save(
            project=update.project,
            by=people["a_editor"],
            update=update,
            data={"narrative": "edited"},
            values={},
            people=[],
        )
    update.refresh_from_db()
    assert update.narrative != "edited"


def test_people_reached_are_counts_merged_by_group(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    update = services.update_save(
        project=project,
        by=people["a_editor"],
        data={"period_start": date(2025, 1, 1), "period_end": date(2025, 1, 31), "narrative": "x"},
        values={},
        people=[
            {"sex": "female", "age_band": "80+", "special_group": "living_alone", "count": 4},
            {"sex": "female", "age_band": "80+", "special_group": "living_alone", "count": 3},
            {"sex": "male", "age_band": "60-79", "special_group": "none", "count": 5},
        ],
    )
    totals = selectors.people_reached_totals([update])
    assert totals["total"] == 12
    assert {r["sex"]: r["n"] for r in totals["by_sex"]} == {"female": 7, "male": 5}


# Schedule and reminders ----------------------------------------------------------------------------


def test_next_due_date_and_overdue_grades(org_a):
    monthly = ProjectFactory(
        organization=org_a, status="active", title="Monthly", reporting_frequency="monthly"
    )
    quarterly = ProjectFactory(
        organization=org_a, status="active", title="Quarterly", reporting_frequency="quarterly"
    )
    UpdateFactory(
        project=monthly, period_start=date(2025, 1, 1), period_end=date(2025, 1, 31), status="approved"
    )
    assert selectors.next_report_period(monthly, covered_until=date(2025, 1, 31)) == (
        date(2025, 2, 1),
        date(2025, 2, 28),
    )
    assert selectors.next_due_date(quarterly, covered_until=None) == date(
        2025, 4, 10
    )  # Q1 ends 31 March + 10 days
    late = {p.title: (p.days_late, p.grade) for p in selectors.overdue_projects(today=date(2025, 5, 1))}
    # Monthly: February was due on 10 March → 52 days late; quarterly: due 10 April → 21 days late.
    assert late == {"Monthly": (52, "seriously_late"), "Quarterly": (21, "very_late")}
    assert selectors.overdue_projects(today=date(2025, 3, 10)) == []


def test_reminders_are_sent_once_before_the_due_date(org_a, people, django_capture_on_commit_callbacks):
    ProjectFactory(organization=org_a, status="active", reporting_frequency="monthly")  # Jan due 10 Feb
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=date(2025, 2, 1)) == 0  # 9 days before: too early
        assert services.reminders_send(today=date(2025, 2, 4)) == 1
        assert services.reminders_send(today=date(2025, 2, 5)) == 0  # already sent
    # One email to each admin and editor of the organization, each marked sent once it was sent.
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["a-admin@example.org", "a-editor@example.org"]
    assert all("2025-02-10" in m.subject for m in mail.outbox)
    emails = Email.objects.filter(key__startswith="project-reminder:")
    assert sorted(emails.values_list("status", flat=True)) == ["sent", "sent"]


def test_the_beat_task_runs_the_reminders(org_a, people):
    from projects.tasks import send_update_reminders

    assert send_update_reminders.apply().get() == 0
    from django.conf import settings

    assert (
        settings.CELERY_BEAT_SCHEDULE["projects-update-reminders"]["task"]
        == "projects.tasks.send_update_reminders"
    )


def test_public_projects_exclude_drafts_and_reviews(org_a):
    for status in Project.Status.values:
        ProjectFactory(organization=org_a, status=status, title=status)
    assert sorted(selectors.public_projects().values_list("title", flat=True)) == [
        "active",
        "approved",
        "closed",
        "completed",
    ]
