"""Training URLs: staff pages (trainers, programme officers, administrators) and the portal pages."""

from . import Entry, expect


def setup(fx):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tests.factories.trainings import PDF_BYTES, CohortFactory, ExerciseFactory, SessionFactory, enrol
    from trainings.models import AgreedAction, MentorAssignment, MentoringVisit, Submission

    fx.cohort = CohortFactory(organizations=[fx.org_a, fx.org_b])
    fx.session = SessionFactory(cohort=fx.cohort)
    enrol(fx.cohort, fx.org_a, "王芳")
    enrol(fx.cohort, fx.org_b, "李强")
    fx.exercise = ExerciseFactory(cohort=fx.cohort)
    fx.submission = Submission.objects.create(
        exercise=fx.exercise, organization=fx.org_a, file=ContentFile(PDF_BYTES, name="plan.pdf")
    )
    visit = MentoringVisit.objects.create(
        organization=fx.org_a, expert=fx.people["trainer"], topics="需求评估"
    )
    fx.action = AgreedAction.objects.create(
        visit=visit, text="完成入户访谈", due_on=timezone.localdate() - timedelta(days=2)
    )
    # The matrix's trainer is org A's expert mentor.
    MentorAssignment.objects.create(mentor=fx.people["trainer"], organization=fx.org_a)
    fx.trainings_answerable = AgreedAction.objects.create(
        visit=visit, text="整理志愿者名册", due_on=timezone.localdate() + timedelta(days=10)
    )


TRAINING_STAFF = expect(
    404, anonymous=302, programme_officer=200, finance_officer=403, trainer=200, administrator=200
)
TRAINING_STAFF_POST = expect(
    404, anonymous=302, programme_officer=302, finance_officer=403, trainer=302, administrator=302
)
PORTAL_READ = expect(404, anonymous=302, members_a=200, staff=200)
PORTAL_EDITOR = expect(404, anonymous=302, a_admin=200, a_editor=200, a_viewer=403, staff=403)
PORTAL_EDITOR_POST = expect(404, anonymous=302, a_admin=302, a_editor=302, a_viewer=403, staff=403)


def _cohort(fx):
    return {"pk": fx.cohort.pk}


def _org(fx):
    return {"org_slug": fx.org_a.slug}


ENTRIES = {
    "trainings:cohort_list": Entry(TRAINING_STAFF),
    "trainings:cohort_dashboard": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:cohort_certificates": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:export_attendance": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:export_results": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:attendance_take": Entry(TRAINING_STAFF, kwargs=lambda fx: {"pk": fx.session.pk}),
    "trainings:review_queue": Entry(TRAINING_STAFF),
    "trainings:submission_review": Entry(TRAINING_STAFF, kwargs=lambda fx: {"pk": fx.submission.pk}),
    "trainings:submission_file": Entry(TRAINING_STAFF, kwargs=lambda fx: {"pk": fx.submission.pk}),
    "trainings:overdue_actions": Entry(TRAINING_STAFF),
    "trainings:action_done": Entry(
        TRAINING_STAFF_POST, method="post", kwargs=lambda fx: {"pk": fx.action.pk}
    ),
    "trainings:cohort_create": Entry(TRAINING_STAFF),
    "trainings:cohort_edit": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:session_create": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:session_edit": Entry(TRAINING_STAFF, kwargs=lambda fx: {"pk": fx.session.pk}),
    "trainings:cohort_participants": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:enrol_members": Entry(
        TRAINING_STAFF, kwargs=lambda fx: {"pk": fx.cohort.pk, "org_pk": fx.org_a.pk}
    ),
    "trainings:enrol_import": Entry(TRAINING_STAFF, kwargs=_cohort),
    "trainings:enrolment_change": Entry(
        TRAINING_STAFF, kwargs=lambda fx: {"pk": fx.cohort.enrolments.first().pk}
    ),
    "trainings:mentor_home": Entry(TRAINING_STAFF),
    "trainings:mentor_actions": Entry(TRAINING_STAFF),
    "trainings:mentor_assignments": Entry(
        expect(404, anonymous=302, programme_officer=200, finance_officer=403, trainer=403, administrator=200)
    ),
    "trainings:mentor_organization": Entry(TRAINING_STAFF, kwargs=lambda fx: {"org_pk": fx.org_a.pk}),
    "trainings:visit_log": Entry(TRAINING_STAFF, kwargs=lambda fx: {"org_pk": fx.org_a.pk}),
    "trainings:action_close": Entry(
        TRAINING_STAFF_POST, method="post", kwargs=lambda fx: {"pk": fx.action.pk}
    ),
    "trainings:capacity_index": Entry(TRAINING_STAFF),
    "trainings:capacity_organization": Entry(TRAINING_STAFF, kwargs=lambda fx: {"org_pk": fx.org_a.pk}),
    "trainings:capacity_assess": Entry(TRAINING_STAFF, kwargs=lambda fx: {"org_pk": fx.org_a.pk}),
    "trainings:portal_self_assessment": Entry(PORTAL_EDITOR, kwargs=_org),
    "trainings:portal_action_answer": Entry(
        PORTAL_EDITOR_POST,
        method="post",
        kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.trainings_answerable.pk},
        data=lambda fx: {f"a{fx.trainings_answerable.pk}-reply": "已完成名册整理"},
    ),
    "trainings:portal_overview": Entry(PORTAL_READ, kwargs=_org),
    "trainings:portal_exercises": Entry(PORTAL_READ, kwargs=_org),
    "trainings:portal_exercise": Entry(
        PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.exercise.pk}
    ),
    "trainings:portal_submission_file": Entry(
        PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.exercise.pk}
    ),
    "trainings:portal_mentoring": Entry(PORTAL_READ, kwargs=_org),
    "trainings:portal_capacity": Entry(PORTAL_READ, kwargs=_org),
}
