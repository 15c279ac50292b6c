"""Training URLs: staff pages (trainers, programme officers, administrators) and the portal pages."""

from . import Entry, expect


def setup(fx):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tests.factories.trainings import PDF_BYTES, CohortFactory, ExerciseFactory, SessionFactory, enrol
    from trainings.models import AgreedAction, MentoringVisit, Submission

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


TRAINING_STAFF = expect(
    404, anonymous=302, programme_officer=200, finance_officer=403, trainer=200, administrator=200
)
TRAINING_STAFF_POST = expect(
    404, anonymous=302, programme_officer=302, finance_officer=403, trainer=302, administrator=302
)
PORTAL_READ = expect(404, anonymous=302, members_a=200, staff=200)


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
