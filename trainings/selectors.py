"""Reads of training data, scoped to what the caller may see, with figures computed by the database."""

from dataclasses import dataclass, field
from functools import partial

from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment.querysets import compiled_once

from .models import (
    AgreedAction,
    Attendance,
    CapacityAssessment,
    CapacityDimension,
    CapacityScore,
    Certificate,
    Cohort,
    Enrolment,
    Exercise,
    MentorAssignment,
    MentoringVisit,
    Session,
    Submission,
)

ATTENDED = [s.value for s in Attendance.ATTENDED]
STAFF = CapacityAssessment.Source.STAFF


def _count(queryset, group_field: str):
    """A correlated subquery counting rows of `queryset` (already filtered on OuterRef) as an integer."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


# Completion ---------------------------------------------------------------------------------------


def enrolments_with_progress(queryset: QuerySet[Enrolment] | None = None) -> QuerySet[Enrolment]:
    """Enrolments annotated with what the completion rule needs: sessions attended (present or late),
    sessions of the cohort, required exercises and those the participant's organization has accepted."""
    queryset = Enrolment.objects.all() if queryset is None else queryset
    return queryset.select_related("participant__organization", "cohort").annotate(
        n_attended=_count(
            Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=ATTENDED), "enrolment"
        ),
        n_sessions=_count(Session.objects.filter(cohort=OuterRef("cohort")), "cohort"),
        n_required=_count(Exercise.objects.filter(cohort=OuterRef("cohort"), required=True), "cohort"),
        n_accepted=_count(
            Submission.objects.filter(
                exercise__cohort=OuterRef("cohort"),
                exercise__required=True,
                organization=OuterRef("participant__organization"),
                status=Submission.Status.ACCEPTED,
            ),
            "organization",
        ),
        has_certificate=Exists(Certificate.objects.filter(enrolment=OuterRef("pk"), revoked_at__isnull=True)),
    )


@dataclass
class Progress:
    attended: int
    sessions: int
    required: int
    accepted: int
    min_percent: int
    require_exercises: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.sessions) if self.sessions else None

    @property
    def met(self) -> bool:
        return not self.reasons


def progress(enrolment: Enrolment) -> Progress:
    """Apply the cohort's completion rule to an enrolment annotated by `enrolments_with_progress`.

    Met when attended × 100 ≥ minimum % × sessions of the cohort (present and late count as attended),
    and, if the cohort requires exercises, every required exercise of the cohort was accepted for the
    participant's organization."""
    cohort = enrolment.cohort
    p = Progress(
        attended=enrolment.n_attended,
        sessions=enrolment.n_sessions,
        required=enrolment.n_required,
        accepted=enrolment.n_accepted,
        min_percent=cohort.min_attendance_percent,
        require_exercises=cohort.require_exercises,
    )
    if p.sessions == 0:
        p.reasons.append(_("The cohort has no sessions yet."))
    elif p.attended * 100 < p.min_percent * p.sessions:
        p.reasons.append(
            _("Attended %(attended)s of %(sessions)s sessions (%(percent)s%%); the rule asks for %(min)s%%.")
            % {"attended": p.attended, "sessions": p.sessions, "percent": p.percent, "min": p.min_percent}
        )
    if p.require_exercises and p.accepted < p.required:
        p.reasons.append(
            _("%(accepted)s of %(required)s required exercises accepted.")
            % {"accepted": p.accepted, "required": p.required}
        )
    return p


def enrolment_progress(enrolment: Enrolment) -> Progress:
    return progress(enrolments_with_progress(Enrolment.objects.filter(pk=enrolment.pk)).get())


def cohort_enrolments_progress(cohort: Cohort) -> list[tuple[Enrolment, Progress]]:
    rows = enrolments_with_progress(cohort.enrolments.filter(withdrawn_at__isnull=True)).order_by(
        "participant__organization__name", "participant__name"
    )
    return [(e, progress(e)) for e in rows]


# Staff lists ----------------------------------------------------------------------------------------


def cohorts_for_staff() -> QuerySet[Cohort]:
    return (
        Cohort.objects.select_related("city")
        .annotate(
            n_enrolments=_count(
                Enrolment.objects.filter(cohort=OuterRef("pk"), withdrawn_at__isnull=True), "cohort"
            ),
            n_sessions=_count(Session.objects.filter(cohort=OuterRef("pk")), "cohort"),
            n_organizations=Count("organizations", distinct=True),
        )
        .order_by("-starts_on", "name")
    )


def session_for_attendance(session_id: int) -> Session | None:
    return Session.objects.select_related("cohort", "module").filter(pk=session_id).first()


def attendance_sheet(session: Session) -> list[tuple[Enrolment, str]]:
    """Every enrolled participant of the session's cohort with their recorded status ('' if none)."""
    recorded = dict(session.attendances.values_list("enrolment_id", "status"))
    enrolments = (
        session.cohort.enrolments.filter(withdrawn_at__isnull=True)
        .select_related("participant__organization")
        .order_by("participant__organization__name", "participant__organization_id", "participant__name")
    )
    return [(e, recorded.get(e.pk, "")) for e in enrolments]


def review_queue() -> QuerySet[Submission]:
    return (
        Submission.objects.filter(status=Submission.Status.SUBMITTED)
        .select_related("exercise__cohort", "organization", "submitted_by")
        .order_by("submitted_at")
    )


def submission_for_staff(pk: int) -> Submission | None:
    return (
        Submission.objects.select_related("exercise__cohort", "organization", "submitted_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )


def overdue_actions() -> QuerySet[AgreedAction]:
    return (
        AgreedAction.objects.filter(done_at__isnull=True, due_on__lt=timezone.localdate())
        .select_related("visit__organization", "visit__expert")
        .order_by("due_on")
    )


# Cohort dashboard -----------------------------------------------------------------------------------


def _rate(attended: int, recorded: int) -> float | None:
    return round(100 * attended / recorded, 1) if recorded else None


def session_attendance(cohort: Cohort) -> list[dict]:
    """Per session: records taken, attended (present or late) and the rate among those recorded."""
    sessions = (
        cohort.sessions.select_related("module")
        .annotate(
            recorded=Count("attendances"),
            attended=Count("attendances", filter=Q(attendances__status__in=ATTENDED)),
            excused=Count("attendances", filter=Q(attendances__status=Attendance.Status.EXCUSED)),
        )
        .order_by("starts_at")
    )
    return [
        {
            "session": s,
            "recorded": s.recorded,
            "attended": s.attended,
            "excused": s.excused,
            "rate": _rate(s.attended, s.recorded),
        }
        for s in sessions
    ]


def organization_attendance(cohort: Cohort) -> list[dict]:
    """Per organization: participants enrolled, attendance records and the rate of present or late."""
    rows = (
        Enrolment.objects.filter(cohort=cohort)
        .values("participant__organization_id")
        .annotate(
            participants=Count("pk", distinct=True),
            recorded=Count("attendances"),
            attended=Count("attendances", filter=Q(attendances__status__in=ATTENDED)),
        )
        .order_by()
    )
    # Grouped by organization id and named in the reader's language (the other one where it is missing).
    from organizations.models import Organization  # noqa: PLC0415

    rows = list(rows)
    names = {
        org.pk: org.name
        for org in Organization.objects.filter(pk__in=[r["participant__organization_id"] for r in rows])
    }
    rows.sort(
        key=lambda r: (names.get(r["participant__organization_id"], ""), r["participant__organization_id"])
    )
    return [
        {
            "organization_id": r["participant__organization_id"],
            "name": names.get(r["participant__organization_id"], ""),
            "participants": r["participants"],
            "recorded": r["recorded"],
            "attended": r["attended"],
            "rate": _rate(r["attended"], r["recorded"]),
        }
        for r in rows
    ]


def cohort_organization_ids(cohort: Cohort):
    """Organizations of a cohort: those named on it and those with participants enrolled."""
    named = cohort.organizations.values("pk")
    enrolled = Enrolment.objects.filter(cohort=cohort).values("participant__organization_id")
    from organizations.models import Organization  # noqa: PLC0415

    return Organization.objects.filter(Q(pk__in=named) | Q(pk__in=enrolled)).values("pk")


def exercise_status(cohort: Cohort) -> list[dict]:
    """Per exercise: submissions awaiting review, accepted, returned, and organizations yet to submit."""
    n_orgs = len(cohort_organization_ids(cohort))
    exercises = cohort.exercises.annotate(
        submitted=Count("submissions", filter=Q(submissions__status=Submission.Status.SUBMITTED)),
        accepted=Count("submissions", filter=Q(submissions__status=Submission.Status.ACCEPTED)),
        returned=Count("submissions", filter=Q(submissions__status=Submission.Status.RETURNED)),
        total=Count("submissions"),
    ).order_by("due_on", "pk")
    return [
        {
            "exercise": e,
            "submitted": e.submitted,
            "accepted": e.accepted,
            "returned": e.returned,
            "missing": max(n_orgs - e.total, 0),
            "outstanding": max(n_orgs - e.accepted, 0),
        }
        for e in exercises
    ]


def mentoring_coverage(cohort: Cohort) -> dict:
    """How many of the cohort's organizations had mentoring (visits for the cohort, or unattached visits
    since the cohort started), and their open and overdue agreed actions."""
    org_ids = cohort_organization_ids(cohort)
    visits = MentoringVisit.objects.filter(organization_id__in=org_ids).filter(
        Q(cohort=cohort) | Q(cohort__isnull=True, date__gte=cohort.starts_on)
    )
    today = timezone.localdate()
    figures = visits.aggregate(
        visits=Count("pk", distinct=True), covered=Count("organization", distinct=True)
    )
    actions = AgreedAction.objects.filter(visit__in=visits).aggregate(
        open=Count("pk", filter=Q(done_at__isnull=True)),
        overdue=Count("pk", filter=Q(done_at__isnull=True, due_on__lt=today)),
        done=Count("pk", filter=Q(done_at__isnull=False)),
    )
    total = len(org_ids)
    return {
        **figures,
        **actions,
        "organizations": total,
        "percent": round(100 * figures["covered"] / total) if total else None,
    }


def cohort_summary(cohort: Cohort) -> dict:
    rows = cohort_enrolments_progress(cohort)
    return {
        "enrolments": len(rows),
        "organizations": len({e.participant.organization_id for e, _p in rows}),
        "completed": sum(1 for _e, p in rows if p.met),
        "certificates": sum(1 for e, _p in rows if e.has_certificate),
        "rows": rows,
    }


# Capacity growth ------------------------------------------------------------------------------------


def _first_assessment(kind: str, *, cohort=None, latest: bool):
    qs = CapacityAssessment.objects.filter(
        kind=kind, source=STAFF, organization=OuterRef("assessment__organization")
    )
    if cohort is not None:
        qs = qs.filter(cohort=cohort)
    order = ["-assessed_on", "-pk"] if latest else ["assessed_on", "pk"]
    return Subquery(qs.order_by(*order).values("pk")[:1])


def capacity_growth(*, cohort: Cohort | None = None, organization=None) -> dict:
    """Baseline (the earliest baseline) against the latest follow-up, per dimension and organization,
    and the mean before and after per dimension over organizations that have both.

    Scoped to a cohort's assessments, or to one organization's (all cohorts), or both. Staff scores only:
    self-assessments are shown beside them, never mixed into growth."""
    scores = CapacityScore.objects.filter(assessment__source=STAFF)
    if cohort is not None:
        scores = scores.filter(assessment__cohort=cohort)
    if organization is not None:
        scores = scores.filter(assessment__organization=organization)
    baseline = scores.filter(assessment=_first_assessment("baseline", cohort=cohort, latest=False))
    follow_up = scores.filter(assessment=_first_assessment("follow_up", cohort=cohort, latest=True))
    paired_follow = CapacityAssessment.objects.filter(
        kind="follow_up", source=STAFF, organization=OuterRef("assessment__organization")
    )
    paired_base = CapacityAssessment.objects.filter(
        kind="baseline", source=STAFF, organization=OuterRef("assessment__organization")
    )
    if cohort is not None:
        paired_follow = paired_follow.filter(cohort=cohort)
        paired_base = paired_base.filter(cohort=cohort)
    means_before = dict(
        baseline.filter(Exists(paired_follow))
        .values("dimension")
        .annotate(m=Avg("score"))
        .values_list("dimension", "m")
    )
    means_after = dict(
        follow_up.filter(Exists(paired_base))
        .values("dimension")
        .annotate(m=Avg("score"))
        .values_list("dimension", "m")
    )
    per_org: dict = {}
    for kind, qs in (("before", baseline), ("after", follow_up)):
        for org_id, org_name, dim_id, score in qs.values_list(
            "assessment__organization_id", "assessment__organization__name", "dimension_id", "score"
        ):
            entry = per_org.setdefault(org_id, {"name": org_name, "scores": {}})
            entry["scores"].setdefault(dim_id, {})[kind] = score
    dimensions = list(CapacityDimension.objects.filter(Q(active=True) | Q(scores__in=scores)).distinct())
    rows = []
    for dim in dimensions:
        before, after = means_before.get(dim.pk), means_after.get(dim.pk)
        rows.append(
            {
                "dimension": dim,
                "before": round(before, 2) if before is not None else None,
                "after": round(after, 2) if after is not None else None,
                "growth": round(after - before, 2) if before is not None and after is not None else None,
            }
        )
    organizations = []
    for org_id, entry in sorted(per_org.items(), key=lambda kv: kv[1]["name"]):
        cells = []
        for dim in dimensions:
            s = entry["scores"].get(dim.pk, {})
            b, a = s.get("before"), s.get("after")
            cells.append(
                {"before": b, "after": a, "growth": a - b if a is not None and b is not None else None}
            )
        organizations.append({"id": org_id, "name": entry["name"], "cells": cells})
    return {
        "dimensions": rows,
        "organizations": organizations,
        "scale_max": max((d.scale_max for d in dimensions), default=5),
    }


# Portal ---------------------------------------------------------------------------------------------


def org_enrolments_progress(organization) -> list[tuple[Enrolment, Progress]]:
    """Each enrolment of the organization's participants with its progress and certificate (the training
    overview of the portal: both reads compiled once, as every portal visit makes them)."""
    rows = compiled_once("organization enrolments", _org_enrolments, organization=organization.pk)
    certificates = compiled_once("organization certificates", _org_certificates, organization=organization.pk)
    by_enrolment = {c.enrolment_id: c for c in certificates}
    result = []
    for e in rows:
        e.certificate = by_enrolment.get(e.pk)
        result.append((e, progress(e)))
    return result


def _org_enrolments(organization) -> QuerySet[Enrolment]:
    return enrolments_with_progress(
        Enrolment.objects.filter(participant__organization=organization)
    ).order_by("-cohort__starts_on", "participant__name")


def _org_certificates(organization) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrolment__participant__organization=organization).select_related(
        "document"
    )


def org_attendance(organization, *, limit: int = 200) -> list[Attendance]:
    """The organization's latest attendance records, at most `limit` (compiled once)."""
    build = partial(_org_attendance, limit=limit)
    return compiled_once(f"organization attendance, {limit}", build, organization=organization.pk)


def _org_attendance(organization, *, limit: int) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(enrolment__participant__organization=organization)
        .select_related("session__module", "enrolment__participant")
        .order_by("-session__starts_at", "enrolment__participant__name")[:limit]
    )


def org_exercises(organization) -> list[Exercise]:
    """Exercises of the cohorts the organization is in, each with the organization's submission (or None)."""
    cohort_ids = Cohort.objects.filter(
        Q(organizations=organization) | Q(enrolments__participant__organization=organization)
    ).values("pk")
    exercises = (
        Exercise.objects.filter(cohort_id__in=cohort_ids)
        .select_related("cohort")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=Submission.objects.filter(organization=organization),
                to_attr="own_submissions",
            )
        )
        .order_by("due_on", "pk")
    )
    result = list(exercises)
    for e in result:
        e.submission = e.own_submissions[0] if e.own_submissions else None
    return result


def org_exercise(organization, pk: int) -> Exercise | None:
    for exercise in org_exercises(organization):
        if exercise.pk == pk:
            return exercise
    return None


def org_visits(organization) -> QuerySet[MentoringVisit]:
    return (
        MentoringVisit.objects.filter(organization=organization)
        .select_related("expert", "cohort")
        .prefetch_related("actions")
        .order_by("-date", "-pk")
    )


def org_open_actions(organization) -> QuerySet[AgreedAction]:
    return (
        AgreedAction.objects.filter(visit__organization=organization, done_at__isnull=True)
        .select_related("visit")
        .order_by("due_on")
    )


def org_assessments(organization) -> QuerySet[CapacityAssessment]:
    return (
        CapacityAssessment.objects.filter(organization=organization)
        .select_related("cohort", "assessor")
        .prefetch_related(Prefetch("scores", queryset=CapacityScore.objects.select_related("dimension")))
        .order_by("assessed_on", "pk")
    )


# Verification ---------------------------------------------------------------------------------------


def certificate_by_code(code: str) -> Certificate | None:
    return (
        Certificate.objects.select_related(
            "enrolment__participant__organization", "enrolment__cohort__city", "document"
        )
        .filter(verification_code=code.strip().upper())
        .first()
    )


# Organization data export -------------------------------------------------------------------------------


def organization_export_tables(organization) -> dict[str, list[dict]]:
    """Every training row of one organization, as plain rows for its data export (a fixed number of
    queries, whatever the number of rows)."""
    org = organization
    return {
        "participants": list(org.participants.order_by("pk").values("id", "name", "title", "phone", "email")),
        "enrolments": list(
            Enrolment.objects.filter(participant__organization=org)
            .order_by("pk")
            .values("id", "cohort__name", "participant_id", "participant__name", "enrolled_at")
        ),
        "attendance": list(
            Attendance.objects.filter(enrolment__participant__organization=org)
            .order_by("session__starts_at", "pk")
            .values(
                "id",
                "session__cohort__name",
                "session__module__name",
                "session__title",
                "session__starts_at",
                "enrolment_id",
                "enrolment__participant__name",
                "status",
                "recorded_at",
            )
        ),
        "submissions": list(
            Submission.objects.filter(organization=org)
            .order_by("pk")
            .values(
                "id",
                "exercise__cohort__name",
                "exercise__title",
                "file",
                "note",
                "status",
                "submitted_at",
                "feedback",
                "reviewed_at",
            )
        ),
        "mentoring_visits": list(
            MentoringVisit.objects.filter(organization=org)
            .order_by("date", "pk")
            .values("id", "date", "mode", "cohort__name", "expert__full_name", "topics", "notes")
        ),
        "agreed_actions": list(
            AgreedAction.objects.filter(visit__organization=org)
            .order_by("visit_id", "due_on", "pk")
            .values("id", "visit_id", "text", "due_on", "done_at")
        ),
        "capacity_assessments": list(
            CapacityAssessment.objects.filter(organization=org)
            .order_by("assessed_on", "pk")
            .values("id", "kind", "assessed_on", "cohort__name", "assessor__full_name", "notes")
        ),
        "capacity_scores": list(
            CapacityScore.objects.filter(assessment__organization=org)
            .order_by("assessment_id", "dimension__position", "pk")
            .values(
                "id",
                "assessment_id",
                "dimension__slug",
                "dimension__name",
                "score",
                "scale_min",
                "scale_max",
                "evidence",
            )
        ),
        "certificates": list(
            Certificate.objects.filter(enrolment__participant__organization=org)
            .order_by("issued_at", "pk")
            .values(
                "id",
                "verification_code",
                "enrolment_id",
                "enrolment__participant__name",
                "enrolment__cohort__name",
                "issued_at",
                "language",
                "revoked_at",
                "revoked_reason",
            )
        ),
    }


# Staff screens: expert mentoring --------------------------------------------------------------------


def mentor_organizations(user):
    """The organizations assigned to a mentor, each with its last visit and its open and overdue actions."""
    from organizations.models import Organization  # noqa: PLC0415

    today = timezone.localdate()
    open_actions = AgreedAction.objects.filter(visit__organization=OuterRef("pk"), done_at__isnull=True)
    return (
        Organization.objects.filter(mentor_assignments__mentor=user)
        .annotate(
            last_visit=Subquery(
                MentoringVisit.objects.filter(organization=OuterRef("pk"))
                .order_by("-date", "-pk")
                .values("date")[:1]
            ),
            n_open=_count(open_actions, "visit__organization"),
            n_overdue=_count(open_actions.filter(due_on__lt=today), "visit__organization"),
            n_answered=_count(open_actions.exclude(reply=""), "visit__organization"),
        )
        .order_by("name")
    )


def mentor_open_actions(user) -> QuerySet[AgreedAction]:
    """Open agreed actions of every organization the mentor is assigned to, the most pressing first."""
    return (
        AgreedAction.objects.filter(
            done_at__isnull=True, visit__organization__mentor_assignments__mentor=user
        )
        .select_related("visit__organization", "visit__expert", "replied_by")
        .distinct()
        .order_by("due_on", "pk")
    )


def mentored_organization(pk: int):
    from organizations.models import Organization  # noqa: PLC0415

    return Organization.objects.filter(pk=pk).first()


def organization_mentors(organization):
    return [
        a.mentor for a in MentorAssignment.objects.filter(organization=organization).select_related("mentor")
    ]


def org_cohorts(organization) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(
            Q(organizations=organization) | Q(enrolments__participant__organization=organization)
        )
        .distinct()
        .order_by("-starts_on")
    )


def org_action(organization, pk: int) -> AgreedAction | None:
    return (
        AgreedAction.objects.filter(pk=pk, visit__organization=organization).select_related("visit").first()
    )


# Staff screens: capacity ----------------------------------------------------------------------------


def _latest_scores(organization, source: str) -> dict[int, CapacityScore]:
    """The latest score of each dimension from the organization's assessments of one source."""
    latest = {}
    for score in (
        CapacityScore.objects.filter(assessment__organization=organization, assessment__source=source)
        .select_related("assessment")
        .order_by("assessment__assessed_on", "assessment_id")
    ):
        latest[score.dimension_id] = score
    return latest


def capacity_sheet(organization) -> list[dict]:
    """One row per dimension in use: the dimension with its scale's level descriptions, the latest staff
    score (the previous score when scoring again) and the latest self-assessment, side by side."""
    staff = _latest_scores(organization, CapacityAssessment.Source.STAFF)
    own = _latest_scores(organization, CapacityAssessment.Source.SELF)
    rows = []
    for dim in CapacityDimension.objects.filter(active=True).prefetch_related("levels"):
        s, o = staff.get(dim.pk), own.get(dim.pk)
        rows.append(
            {
                "dimension": dim,
                "levels": {level.score: level.label for level in dim.levels.all()},
                "staff": s,
                "self": o,
                "gap": (o.score - s.score) if s and o else None,
            }
        )
    return rows


def capacity_organizations():
    """Organizations taking part in training (in a cohort, or with a mentor), with their latest staff
    and self-assessment dates."""
    from organizations.models import Organization  # noqa: PLC0415

    def latest(source):
        return Subquery(
            CapacityAssessment.objects.filter(organization=OuterRef("pk"), source=source)
            .order_by("-assessed_on", "-pk")
            .values("assessed_on")[:1]
        )

    return (
        Organization.objects.filter(
            Q(cohorts__isnull=False)
            | Q(mentor_assignments__isnull=False)
            | Q(capacity_assessments__isnull=False)
        )
        .distinct()
        .annotate(
            last_staff=latest(CapacityAssessment.Source.STAFF),
            last_self=latest(CapacityAssessment.Source.SELF),
        )
        .order_by("name")
    )


# Staff screens: cohort set-up -----------------------------------------------------------------------


def cohort_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    """Every enrolment of the cohort, withdrawn ones included (shown apart), by organization and name."""
    return cohort.enrolments.select_related("participant__organization").order_by(
        "withdrawn_at", "participant__organization__name", "participant__name"
    )


def cohort_members_to_enrol(cohort: Cohort, organization):
    """The organization's portal members, each marked when already enrolled in the cohort (by e-mail)."""
    from organizations.models import Membership  # noqa: PLC0415

    enrolled = {
        e.lower()
        for e in cohort.enrolments.filter(participant__organization=organization).values_list(
            "participant__email", flat=True
        )
        if e
    }
    members = list(
        Membership.objects.filter(organization=organization).select_related("user").order_by("user__email")
    )
    return [(m.user, (m.user.email or "").lower() in enrolled) for m in members]


def trainer_choices():
    """Active staff who may teach sessions: trainers, programme officers, administrators, superusers."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from empowerment.authz import ADMINISTRATOR, PROGRAMME_OFFICER, TRAINER  # noqa: PLC0415

    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[TRAINER, PROGRAMME_OFFICER, ADMINISTRATOR]))
        .distinct()
        .order_by("email")
    )


def mentor_assignments():
    """Every organization taking part in training with its assigned mentors (for programme officers)."""
    return capacity_organizations().prefetch_related(
        Prefetch("mentor_assignments", queryset=MentorAssignment.objects.select_related("mentor"))
    )
