"""The training services: attendance, submissions and reviews, the completion rule, certificates,
capacity assessments and growth, and the database constraints behind them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories.core import OrganizationFactory
from tests.factories.trainings import (
    PDF_BYTES,
    CohortFactory,
    ExerciseFactory,
    SessionFactory,
    enrol,
    module,
)
from trainings import selectors, services
from trainings.models import (
    Attendance,
    CapacityAssessment,
    CapacityDimension,
    CapacityScore,
    Certificate,
    Enrolment,
    Session,
    Submission,
)

pytestmark = pytest.mark.django_db


def pdf(name="plan.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def mark_all(session_ids, marks, trainer):
    for session in Session.objects.filter(pk__in=session_ids).order_by("starts_at"):
        services.attendance_take(session=session, marks=marks, by=trainer)


# Constraints ------------------------------------------------------------------------------------------


def test_a_session_ending_before_it_starts_is_refused_by_the_form_rule_and_the_database(cohort, people):
    start = cohort.sessions.first().starts_at
    with pytest.raises(ValidationError) as exc:
        services.session_schedule(
            cohort=cohort,
            by=people["trainer"],
            module=module(),
            starts_at=start,
            ends_at=start - timedelta(hours=1),
            venue="A",
        )
    assert "ends_at" in exc.value.message_dict
    assert cohort.sessions.count() == 4
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(cohort=cohort, starts_at=start, ends_at=start)


def test_a_session_needs_a_venue_or_an_online_link(cohort, people):
    start = cohort.sessions.first().starts_at
    with pytest.raises(ValidationError) as exc:
        services.session_schedule(
            cohort=cohort,
            by=people["trainer"],
            module=module(),
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
    assert "venue" in exc.value.message_dict
    session = services.session_schedule(
        cohort=cohort,
        by=people["trainer"],
        module=module(),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        online_url="https://meeting.example.org/abc",
        trainers=[people["trainer"]],
    )
    assert list(session.trainers.all()) == [people["trainer"]]


def test_a_person_cannot_be_enrolled_twice_in_the_same_cohort(cohort, wang, people):
    with pytest.raises(ValidationError) as exc:
        services.participant_enrol(cohort=cohort, participant=wang.participant, by=people["trainer"])
    assert "already enrolled" in str(exc.value)
    assert Enrolment.objects.filter(participant=wang.participant).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(cohort=cohort, participant=wang.participant)


def test_enrolment_is_refused_for_an_organization_outside_the_cohort(cohort, people):
    outsider = OrganizationFactory()
    with pytest.raises(ValidationError) as exc:
        services.participant_enrol(cohort=cohort, organization=outsider, name="张敏", by=people["trainer"])
    assert "organization" in exc.value.message_dict
    assert not Enrolment.objects.filter(participant__organization=outsider).exists()


def test_enrolment_creates_a_participant_who_needs_no_account(cohort, org_a, people):
    enrolment = services.participant_enrol(
        cohort=cohort,
        organization=org_a,
        name=" 赵磊 ",
        title="社工",
        phone="13800000000",
        by=people["trainer"],
    )
    assert enrolment.participant.name == "赵磊"
    assert enrolment.participant.organization == org_a


def test_a_score_outside_its_scale_is_refused_and_nothing_is_saved(org_a, people):
    dims = list(CapacityDimension.objects.order_by("position")[:2])
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(
            organization=org_a,
            kind="baseline",
            by=people["trainer"],
            scores={dims[0]: (3, ""), dims[1]: (6, "")},
        )
    assert "must be from 1 to 5" in str(exc.value)
    assert not CapacityAssessment.objects.exists()
    assert not CapacityScore.objects.exists()


def test_the_database_refuses_a_score_outside_the_scale(org_a):
    dim = CapacityDimension.objects.first()
    assessment = CapacityAssessment.objects.create(organization=org_a, kind="baseline")
    with pytest.raises(IntegrityError), transaction.atomic():
        CapacityScore.objects.create(assessment=assessment, dimension=dim, score=0, scale_min=1, scale_max=5)


def test_the_five_modules_and_seven_dimensions_are_seeded():
    from trainings.models import Module

    assert Module.objects.count() == 5
    assert set(CapacityDimension.objects.values_list("slug", flat=True)) >= {
        "needs-identification",
        "problem-definition",
        "methods-countermeasures",
        "sustainability",
        "governance",
        "finance",
        "volunteers",
    }


# Attendance -------------------------------------------------------------------------------------------


def test_attendance_is_taken_for_a_whole_session_and_corrections_keep_history(cohort, wang, li, people):
    session = cohort.sessions.first()
    counts = services.attendance_take(
        session=session, marks={wang.pk: "present", li.pk: "absent"}, by=people["trainer"]
    )
    assert counts == {"created": 2, "changed": 0, "unchanged": 0}
    counts = services.attendance_take(
        session=session, marks={wang.pk: "present", li.pk: "excused"}, by=people["trainer"]
    )
    assert counts == {"created": 0, "changed": 1, "unchanged": 1}
    record = Attendance.objects.get(session=session, enrolment=li)
    assert record.status == "excused"
    assert [h.status for h in record.history.order_by("history_date")] == ["absent", "excused"]
    assert record.history.first().history_user == people["trainer"]


def test_attendance_for_someone_not_enrolled_refuses_the_whole_sheet(cohort, wang, people, org_a):
    other_cohort = CohortFactory(organizations=[org_a])
    stranger = enrol(other_cohort, org_a, "陈静")
    session = cohort.sessions.first()
    with pytest.raises(ValidationError) as exc:
        services.attendance_take(
            session=session, marks={wang.pk: "present", stranger.pk: "present"}, by=people["trainer"]
        )
    assert "陈静 is not enrolled in the cohort" in str(exc.value)
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.attendance_take(session=session, marks={999999: "present"}, by=people["trainer"])
    assert "999999" in str(exc.value)


def test_an_unknown_attendance_status_is_refused(cohort, wang, people):
    with pytest.raises(ValidationError):
        services.attendance_take(
            session=cohort.sessions.first(), marks={wang.pk: "asleep"}, by=people["trainer"]
        )
    assert not Attendance.objects.exists()


def test_only_training_staff_take_attendance(cohort, wang, people):
    for role in ("finance_officer", "a_admin"):
        with pytest.raises(PermissionDenied):
            services.attendance_take(
                session=cohort.sessions.first(), marks={wang.pk: "present"}, by=people[role]
            )
    assert not Attendance.objects.exists()


# Submissions ------------------------------------------------------------------------------------------


def test_an_editor_uploads_a_submission_and_the_trainer_returns_then_accepts_it(cohort, org_a, people):
    exercise = cohort.exercises.get()
    sub = services.submission_submit(exercise=exercise, organization=org_a, file=pdf(), by=people["a_editor"])
    assert sub.status == Submission.Status.SUBMITTED
    with pytest.raises(ValidationError) as exc:
        services.submission_review(submission=sub, accept=False, feedback="  ", by=people["trainer"])
    assert "feedback" in exc.value.message_dict
    services.submission_review(submission=sub, accept=False, feedback="请补充样本量。", by=people["trainer"])
    sub.refresh_from_db()
    assert (sub.status, sub.feedback, sub.reviewed_by) == ("returned", "请补充样本量。", people["trainer"])
    sub = services.submission_submit(
        exercise=exercise, organization=org_a, file=pdf("v2.pdf"), by=people["a_admin"]
    )
    assert sub.status == "submitted" and sub.reviewed_at is None
    services.submission_review(submission=sub, accept=True, feedback="", by=people["trainer"])
    with pytest.raises(ValidationError):
        services.submission_submit(
            exercise=exercise, organization=org_a, file=pdf("v3.pdf"), by=people["a_admin"]
        )
    assert Submission.objects.get().status == "accepted"
    assert Submission.objects.get().history.count() == 4


def test_a_forbidden_file_type_or_size_is_refused_at_the_file_field(cohort, org_a, people, settings):
    exercise = cohort.exercises.get()
    script = SimpleUploadedFile("plan.pdf", b"#!/bin/sh\necho pwned\n", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(exercise=exercise, organization=org_a, file=script, by=people["a_editor"])
    assert "file" in exc.value.message_dict
    settings.UPLOAD_MAX_DOCUMENT_BYTES = 50
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(exercise=exercise, organization=org_a, file=pdf(), by=people["a_editor"])
    assert "too large" in str(exc.value)
    assert not Submission.objects.exists()


def test_viewers_and_other_organizations_cannot_submit(cohort, org_a, people):
    exercise = cohort.exercises.get()
    with pytest.raises(PermissionDenied):
        services.submission_submit(exercise=exercise, organization=org_a, file=pdf(), by=people["a_viewer"])
    with pytest.raises(PermissionDenied):
        services.submission_submit(exercise=exercise, organization=org_a, file=pdf(), by=people["b_admin"])
    outsider_exercise = ExerciseFactory()
    with pytest.raises(ValidationError):
        services.submission_submit(
            exercise=outsider_exercise, organization=org_a, file=pdf(), by=people["a_admin"]
        )
    assert not Submission.objects.exists()


# Completion rule and certificates -------------------------------------------------------------------------


def test_completion_rule_on_a_hand_computed_example(cohort, wang, li, org_a, people):
    """4 sessions, rule 75% and the one required exercise accepted.
    王芳: present, late, absent, present → 3/4 = 75% ≥ 75%, exercise accepted → met.
    李强: present, excused, absent, present → 2/4 = 50% < 75%, and org B submitted nothing → not met."""
    trainer = people["trainer"]
    s1, s2, s3, s4 = cohort.sessions.order_by("starts_at")
    services.attendance_take(session=s1, marks={wang.pk: "present", li.pk: "present"}, by=trainer)
    services.attendance_take(session=s2, marks={wang.pk: "late", li.pk: "excused"}, by=trainer)
    services.attendance_take(session=s3, marks={wang.pk: "absent", li.pk: "absent"}, by=trainer)
    services.attendance_take(session=s4, marks={wang.pk: "present", li.pk: "present"}, by=trainer)
    p = selectors.enrolment_progress(wang)
    assert (p.attended, p.sessions, p.percent, p.required, p.accepted) == (3, 4, 75, 1, 0)
    assert not p.met  # exercise not accepted yet
    sub = services.submission_submit(
        exercise=cohort.exercises.get(), organization=org_a, file=pdf(), by=people["a_editor"]
    )
    services.submission_review(submission=sub, accept=True, feedback="", by=trainer)
    assert selectors.enrolment_progress(wang).met
    q = selectors.enrolment_progress(li)
    assert (q.attended, q.percent, q.accepted) == (2, 50, 0)
    assert len(q.reasons) == 2 and "75%" in q.reasons[0]


def test_a_certificate_is_refused_to_someone_who_has_not_met_the_rule(cohort, li, people):
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(enrolment=li, by=people["trainer"], render=False)
    assert "has not met the completion rule" in str(exc.value)
    assert not Certificate.objects.exists()


def _complete(cohort, enrolment, org, people):
    for session in cohort.sessions.all():
        services.attendance_take(session=session, marks={enrolment.pk: "present"}, by=people["trainer"])
    sub = services.submission_submit(
        exercise=cohort.exercises.get(), organization=org, file=pdf(), by=people["a_admin"]
    )
    services.submission_review(submission=sub, accept=True, feedback="", by=people["trainer"])


def test_bulk_issue_gives_certificates_only_to_those_who_qualify(cohort, wang, li, org_a, people):
    _complete(cohort, wang, org_a, people)
    issued, refused = services.certificates_issue_for_cohort(
        cohort=cohort, by=people["trainer"], language="en"
    )
    assert [c.enrolment for c in issued] == [wang]
    assert [e for e, _reasons in refused] == [li]
    assert issued[0].document is not None and issued[0].document.kind == "certificate"
    # A second run issues nothing new and does not duplicate.
    issued, refused = services.certificates_issue_for_cohort(cohort=cohort, by=people["trainer"])
    assert issued == [] and Certificate.objects.count() == 1
    with pytest.raises(ValidationError):
        services.certificate_issue(enrolment=wang, by=people["trainer"], render=False)


def test_revoking_needs_a_reason_and_allows_a_new_certificate(cohort, wang, org_a, people):
    _complete(cohort, wang, org_a, people)
    cert = services.certificate_issue(enrolment=wang, by=people["trainer"], render=False)
    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=cert, reason="", by=people["trainer"])
    services.certificate_revoke(certificate=cert, reason="Issued to the wrong person", by=people["trainer"])
    cert.refresh_from_db()
    assert cert.is_revoked
    again = services.certificate_issue(enrolment=wang, by=people["trainer"], render=False)
    assert again.verification_code != cert.verification_code


def test_only_trainers_officers_and_administrators_issue_certificates(cohort, wang, people):
    for role in ("finance_officer", "a_admin"):
        with pytest.raises(PermissionDenied):
            services.certificate_issue(enrolment=wang, by=people[role], render=False)


# Capacity growth ----------------------------------------------------------------------------------------


def test_growth_per_dimension_and_cohort_mean_on_a_hand_computed_example(cohort, org_a, org_b, people):
    """Org A: needs 2 → 4, governance 3 → 3 (a later follow-up replaces an earlier one: 3 → 4 → 3).
    Org B: needs 1 → 2, governance 2 → 4.  Org C: baseline only (needs 5): left out of the cohort means.
    Means over A and B: needs 1.5 → 3.0 (+1.5); governance 2.5 → 3.5 (+1.0)."""
    trainer = people["trainer"]
    needs = CapacityDimension.objects.get(slug="needs-identification")
    gov = CapacityDimension.objects.get(slug="governance")

    def record(org, kind, day, n, g):
        services.assessment_record(
            organization=org, kind=kind, by=trainer, cohort=cohort, assessed_on=date(2024, day, 1),
            scores={needs: (n, "访谈记录"), gov: (g, "")},
        )  # fmt: skip

    record(org_a, "baseline", 3, 2, 3)
    record(org_a, "follow_up", 6, 3, 4)
    record(org_a, "follow_up", 9, 4, 3)
    record(org_b, "baseline", 3, 1, 2)
    record(org_b, "follow_up", 9, 2, 4)
    org_c = OrganizationFactory()
    cohort.organizations.add(org_c)
    services.assessment_record(
        organization=org_c, kind="baseline", by=trainer, cohort=cohort, scores={needs: (5, "")}
    )

    growth = selectors.capacity_growth(cohort=cohort)
    by_dim = {r["dimension"].slug: r for r in growth["dimensions"]}
    assert (by_dim["needs-identification"]["before"], by_dim["needs-identification"]["after"]) == (1.5, 3.0)
    assert by_dim["needs-identification"]["growth"] == 1.5
    assert (
        by_dim["governance"]["before"],
        by_dim["governance"]["after"],
        by_dim["governance"]["growth"],
    ) == (2.5, 3.5, 1.0)
    assert by_dim["finance"]["before"] is None
    orgs = {o["id"]: o for o in growth["organizations"]}
    dims = [r["dimension"].slug for r in growth["dimensions"]]
    a_needs = orgs[org_a.pk]["cells"][dims.index("needs-identification")]
    assert (a_needs["before"], a_needs["after"], a_needs["growth"]) == (2, 4, 2)
    assert orgs[org_c.pk]["cells"][dims.index("needs-identification")] == {
        "before": 5,
        "after": None,
        "growth": None,
    }
    own = selectors.capacity_growth(organization=org_b)
    own_gov = next(r for r in own["dimensions"] if r["dimension"].slug == "governance")
    assert (own_gov["before"], own_gov["after"], own_gov["growth"]) == (2.0, 4.0, 2.0)


# Mentoring ---------------------------------------------------------------------------------------------


def test_mentoring_actions_become_overdue_and_can_be_completed(org_a, people, cohort):
    today = timezone.localdate()
    visit = services.mentoring_visit_log(
        organization=org_a,
        expert=people["trainer"],
        by=people["trainer"],
        topics="需求评估方法",
        mode="call",
        cohort=cohort,
        actions=[("完成20户入户访谈", today - timedelta(days=3)), ("提交项目书", today + timedelta(days=10))],
    )
    overdue = list(selectors.overdue_actions())
    assert [a.text for a in overdue] == ["完成20户入户访谈"]
    services.agreed_action_complete(action=overdue[0], by=people["trainer"])
    assert not selectors.overdue_actions().exists()
    coverage = selectors.mentoring_coverage(cohort)
    assert (coverage["covered"], coverage["organizations"], coverage["open"], coverage["done"]) == (
        1,
        2,
        1,
        1,
    )
    assert visit.actions.count() == 2


def test_dashboard_figures_per_session_and_organization(cohort, wang, li, people):
    s1 = cohort.sessions.order_by("starts_at").first()
    services.attendance_take(session=s1, marks={wang.pk: "late", li.pk: "absent"}, by=people["trainer"])
    rows = selectors.session_attendance(cohort)
    assert (rows[0]["recorded"], rows[0]["attended"], rows[0]["rate"]) == (2, 1, 50.0)
    assert rows[1]["rate"] is None
    per_org = {r["name"]: r for r in selectors.organization_attendance(cohort)}
    assert per_org[wang.participant.organization.name]["rate"] == 100.0
    assert per_org[li.participant.organization.name]["rate"] == 0.0
    ex = selectors.exercise_status(cohort)[0]
    assert (ex["missing"], ex["outstanding"]) == (2, 2)
