"""Every write of the training app.

Each service takes keyword-only arguments, runs in one transaction, checks the acting user's permission
(``by``) and validates with ``full_clean()`` before the database's own constraints. History is recorded by
django-simple-history on every model; PDFs are queued through the shared pipeline after commit.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment import freshness
from empowerment.documents.services import document_request
from empowerment.uploads import clean_document

from . import selectors
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
    Participant,
    Session,
    Submission,
)


def _require(user, perm: str, obj=None) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied


def _with_history_user(instance, user):
    instance._history_user = user
    return instance


# Sessions and enrolments -----------------------------------------------------------------------------


@transaction.atomic
def session_schedule(*, cohort: Cohort, by, trainers=(), **fields) -> Session:
    """Schedule a session of a cohort (the session must end after it starts and have a venue or link)."""
    _require(by, "trainings.run_training")
    session = _with_history_user(Session(cohort=cohort, **fields), by)
    session.full_clean()
    session.save()
    session.trainers.set(trainers)
    return session


@transaction.atomic
def participant_enrol(
    *,
    cohort: Cohort,
    by,
    participant: Participant | None = None,
    organization=None,
    name: str = "",
    title: str = "",
    phone: str = "",
    email: str = "",
) -> Enrolment:
    """Enrol a participant (an existing one, or a new person of `organization`) in a cohort.

    Refused when the organization is not in the cohort or the person is already enrolled in it."""
    _require(by, "trainings.run_training")
    if participant is None:
        participant = _with_history_user(
            Participant(organization=organization, name=name.strip(), title=title, phone=phone, email=email),
            by,
        )
        participant.full_clean()
        participant.save()
    if not cohort.organizations.filter(pk=participant.organization_id).exists():
        raise ValidationError(
            {
                "organization": _("%(org)s does not take part in the cohort %(cohort)s.")
                % {"org": participant.organization, "cohort": cohort}
            }
        )
    if Enrolment.objects.filter(cohort=cohort, participant=participant).exists():
        raise ValidationError(
            {
                "participant": _("%(name)s is already enrolled in %(cohort)s.")
                % {"name": participant, "cohort": cohort}
            }
        )
    enrolment = _with_history_user(Enrolment(cohort=cohort, participant=participant), by)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:  # a concurrent request enrolled the same person
        raise ValidationError(
            {
                "participant": _("%(name)s is already enrolled in %(cohort)s.")
                % {"name": participant, "cohort": cohort}
            }
        ) from None
    return enrolment


# Attendance -----------------------------------------------------------------------------------------


@transaction.atomic
def attendance_take(*, session: Session, marks: dict[int, str], by) -> dict[str, int]:
    """Record the attendance of a whole session at once: `marks` maps enrolment ids to a status.

    Refused as a whole (nothing saved) when any id is not an enrolment of the session's cohort or any
    status is unknown. A changed status is saved over the old one; the history keeps the correction.
    Returns counts of created, changed and unchanged records."""
    _require(by, "trainings.take_attendance")
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    enrolled = {
        e.pk: e
        for e in session.cohort.enrolments.filter(withdrawn_at__isnull=True).select_related("participant")
    }
    errors = []
    valid_statuses = set(Attendance.Status.values)
    for enrolment_id, status in marks.items():
        if enrolment_id not in enrolled:
            other = Enrolment.objects.select_related("participant").filter(pk=enrolment_id).first()
            who = str(other.participant) if other else _("participant no. %(id)s") % {"id": enrolment_id}
            errors.append(
                _("%(who)s is not enrolled in the cohort %(cohort)s; attendance was not recorded.")
                % {"who": who, "cohort": session.cohort}
            )
        elif status not in valid_statuses:
            errors.append(
                _("Choose present, late, absent or excused for %(who)s.")
                % {"who": enrolled[enrolment_id].participant}
            )
    if errors:
        raise ValidationError(errors)
    existing = {a.enrolment_id: a for a in session.attendances.select_for_update()}
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    now = timezone.now()
    for enrolment_id, status in marks.items():
        record = existing.get(enrolment_id)
        if record is None:
            record = Attendance(
                session=session, enrolment_id=enrolment_id, status=status, recorded_by=by, recorded_at=now
            )
            counts["created"] += 1
        elif record.status != status:
            record.status, record.recorded_by, record.recorded_at = status, by, now
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
            continue
        _with_history_user(record, by).save()
    return counts


# Exercises and submissions ------------------------------------------------------------------------------


@transaction.atomic
def exercise_set(*, cohort: Cohort, by, **fields) -> Exercise:
    _require(by, "trainings.run_training")
    exercise = _with_history_user(Exercise(cohort=cohort, **fields), by)
    exercise.full_clean()
    exercise.save()
    return exercise


def _org_in_cohort(organization, cohort: Cohort) -> bool:
    return (
        cohort.organizations.filter(pk=organization.pk).exists()
        or cohort.enrolments.filter(participant__organization=organization).exists()
    )


@transaction.atomic
def submission_submit(*, exercise: Exercise, organization, file, by, note: str = "") -> Submission:
    """Upload an organization's answer to an exercise (a PDF, image or Office file within the size limit).

    A returned submission may be submitted again; the new file replaces it and the history keeps the old
    version. Refused for an accepted submission, or an organization outside the exercise's cohort."""
    _require(by, "trainings.submit_exercise", organization)
    if not _org_in_cohort(organization, exercise.cohort):
        raise ValidationError(_("Your organization does not take part in this exercise's cohort."))
    try:
        file = clean_document(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    # The exercise row is locked first: two first submissions of the same exercise at once queue here, so
    # the second finds the first's row and replaces its file (history keeps both) instead of inserting a
    # second row; the unique constraint below stays the last word where rows cannot be locked (SQLite).
    Exercise.objects.select_for_update().filter(pk=exercise.pk).first()
    submission = (
        Submission.objects.select_for_update().filter(exercise=exercise, organization=organization).first()
    )
    if submission is not None and submission.status == Submission.Status.ACCEPTED:
        raise ValidationError(_("This exercise was already accepted; it cannot be submitted again."))
    if submission is None:
        submission = Submission(exercise=exercise, organization=organization)
    submission.file = file
    submission.note = note
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = by
    submission.submitted_at = timezone.now()
    submission.feedback = ""
    submission.reviewed_by = None
    submission.reviewed_at = None
    try:
        with transaction.atomic():
            _with_history_user(submission, by).save()
    except IntegrityError:  # a colleague's first submission was inserted at the same moment
        if submission.file:
            submission.file.delete(save=False)
        raise ValidationError(
            {
                "file": _(
                    "Someone in your organization submitted this exercise at the same moment. "
                    "Reload the page to see their file, then submit yours again if it should replace it."
                )
            }
        ) from None
    return submission


@transaction.atomic
def submission_review(*, submission: Submission, accept: bool, feedback: str, by) -> Submission:
    """Accept a submission, or return it with comments (required) for the organization to revise."""
    _require(by, "trainings.review_submission")
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("This submission has already been reviewed."))
    feedback = (feedback or "").strip()
    if not accept and not feedback:
        raise ValidationError({"feedback": _("Say what to change: the organization reads your comments.")})
    submission.status = Submission.Status.ACCEPTED if accept else Submission.Status.RETURNED
    submission.feedback = feedback
    submission.reviewed_by = by
    submission.reviewed_at = timezone.now()
    _with_history_user(submission, by).save()
    return submission


# Mentoring ------------------------------------------------------------------------------------------


@transaction.atomic
def mentoring_visit_log(
    *,
    organization,
    expert,
    by,
    topics: str,
    mode: str = MentoringVisit.Mode.VISIT,
    date: date | None = None,
    notes: str = "",
    cohort: Cohort | None = None,
    actions: list[tuple[str, date]] = (),
) -> MentoringVisit:
    """Log a mentoring visit, call or online meeting with its agreed actions and their due dates."""
    _require(by, "trainings.log_mentoring")
    visit = _with_history_user(
        MentoringVisit(
            organization=organization,
            expert=expert,
            topics=topics,
            mode=mode,
            date=date or timezone.localdate(),
            notes=notes,
            cohort=cohort,
        ),
        by,
    )
    visit.full_clean()
    visit.save()
    for text, due_on in actions:
        action = _with_history_user(AgreedAction(visit=visit, text=text, due_on=due_on), by)
        action.full_clean()
        action.save()
    return visit


@transaction.atomic
def agreed_action_complete(*, action: AgreedAction, by) -> AgreedAction:
    _require(by, "trainings.log_mentoring")
    action = AgreedAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at is None:
        action.done_at = timezone.now()
        _with_history_user(action, by).save(update_fields=["done_at"])
    return action


# Capacity assessments --------------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    organization,
    kind: str,
    by,
    scores: dict[CapacityDimension, tuple[int, str]],
    assessed_on: date | None = None,
    cohort: Cohort | None = None,
    notes: str = "",
) -> CapacityAssessment:
    """Record a capacity assessment with a score (and evidence note) per dimension. Every score is checked
    against its dimension's scale; any error refuses the whole assessment."""
    _require(by, "trainings.assess_capacity")
    assessment = _with_history_user(
        CapacityAssessment(
            organization=organization,
            kind=kind,
            cohort=cohort,
            assessed_on=assessed_on or timezone.localdate(),
            assessor=by,
            notes=notes,
        ),
        by,
    )
    assessment.full_clean()
    errors = []
    rows = []
    for dimension, (score, evidence) in scores.items():
        row = CapacityScore(assessment=assessment, dimension=dimension, score=score, evidence=evidence)
        try:
            row.full_clean(exclude=["assessment"])
        except ValidationError as exc:
            errors.extend(exc.messages)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    assessment.save()
    for row in rows:
        row.assessment = assessment
        _with_history_user(row, by).save()
    return assessment


# Certificates ---------------------------------------------------------------------------------------


def _request_pdf(certificate: Certificate, by) -> None:
    document = document_request(
        kind="certificate", subject=certificate, language=certificate.language, requested_by=by
    )
    certificate.document = document
    certificate.save(update_fields=["document"])


@transaction.atomic
def certificate_issue(
    *, enrolment: Enrolment, by, language: str = Certificate.Language.ZH, render: bool = True
) -> Certificate:
    """Issue a certificate to a participant who meets the cohort's completion rule, and queue its PDF.

    Refused (with the reasons) when the rule is not met or a valid certificate already exists."""
    _require(by, "trainings.issue_certificate")
    enrolment = (
        Enrolment.objects.select_for_update().select_related("participant", "cohort").get(pk=enrolment.pk)
    )
    if Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("%(name)s already has a certificate for this cohort.") % {"name": enrolment.participant}
        )
    progress = selectors.enrolment_progress(enrolment)
    if not progress.met:
        raise ValidationError(
            [
                _("%(name)s has not met the completion rule of %(cohort)s.")
                % {"name": enrolment.participant, "cohort": enrolment.cohort}
            ]
            + progress.reasons
        )
    if language not in Certificate.Language.values:
        raise ValidationError({"language": _("Choose English or Simplified Chinese.")})
    certificate = _with_history_user(Certificate(enrolment=enrolment, issued_by=by, language=language), by)
    certificate.full_clean()
    certificate.save()
    transaction.on_commit(lambda: freshness.touch("trainings"))
    if render:
        _request_pdf(certificate, by)
    return certificate


def certificates_issue_for_cohort(*, cohort: Cohort, by, language: str = Certificate.Language.ZH):
    """Issue certificates to every participant of the cohort who meets the rule and has none yet.

    Returns (issued certificates, [(enrolment, reasons)] for those refused). Each certificate is issued in
    its own transaction, so one refusal does not undo the others."""
    _require(by, "trainings.issue_certificate")
    issued, refused = [], []
    for enrolment, progress in selectors.cohort_enrolments_progress(cohort):
        if enrolment.has_certificate:
            continue
        if not progress.met:
            refused.append((enrolment, progress.reasons))
            continue
        try:
            issued.append(certificate_issue(enrolment=enrolment, by=by, language=language))
        except ValidationError as exc:
            refused.append((enrolment, exc.messages))
    return issued, refused


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    """Revoke a certificate; /verify/<code>/ then says it was revoked and why."""
    _require(by, "trainings.issue_certificate")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate was already revoked."))
    if not (reason or "").strip():
        raise ValidationError({"revoked_reason": _("Give the reason for revoking the certificate.")})
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    _with_history_user(certificate, by).save()
    transaction.on_commit(lambda: freshness.touch("trainings"))
    return certificate


@transaction.atomic
def certificate_request_pdf(*, certificate: Certificate, by) -> Certificate:
    """Queue (again) the PDF of a certificate, e.g. one issued without rendering."""
    _require(by, "trainings.issue_certificate")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _request_pdf(certificate, by)
    return certificate


# Staff screens: expert mentoring --------------------------------------------------------------------


def _require_obj(user, perm: str, obj) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def mentor_assign(*, mentor, organization, by) -> MentorAssignment:
    """Assign an expert mentor (a trainer, programme officer or administrator) to an organization."""
    _require(by, "trainings.assign_mentor")
    if mentor is None or not mentor.has_perm("trainings.log_mentoring"):
        raise ValidationError({"mentor": _("Choose a member of staff who mentors organizations.")})
    if MentorAssignment.objects.filter(mentor=mentor, organization=organization).exists():
        raise ValidationError(
            {"mentor": _("%(mentor)s already mentors %(org)s.") % {"mentor": mentor, "org": organization}}
        )
    assignment = _with_history_user(MentorAssignment(mentor=mentor, organization=organization), by)
    assignment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        raise ValidationError(
            {"mentor": _("%(mentor)s already mentors %(org)s.") % {"mentor": mentor, "org": organization}}
        ) from None
    return assignment


def _clean_actions(actions, visit_date) -> list[AgreedAction]:
    """Agreed actions as unsaved rows; every row's problems, numbered, or none at all."""
    rows, errors = [], []
    for number, item in enumerate(actions, start=1):
        text = (item.get("text") or "").strip()
        owner = (item.get("owner") or "").strip()
        due_on = item.get("due_on")
        if not text:
            errors.append(_("Action %(n)d: say what was agreed.") % {"n": number})
        if due_on is None:
            errors.append(_("Action %(n)d: give a due date.") % {"n": number})
        elif visit_date and due_on < visit_date:
            errors.append(_("Action %(n)d: it cannot be due before the visit.") % {"n": number})
        rows.append(AgreedAction(text=text, owner=owner, due_on=due_on))
    if errors:
        raise ValidationError({"actions": errors})
    return rows


@transaction.atomic
def mentoring_visit_record(
    *,
    organization,
    by,
    topics: str,
    mode: str = MentoringVisit.Mode.VISIT,
    date: date | None = None,
    notes: str = "",
    cohort: Cohort | None = None,
    actions: list[dict] = (),
) -> MentoringVisit:
    """A mentor logs their own visit, call or online meeting with an organization they mentor, with the
    agreed actions (text, owner, due date). Refused as a whole (nothing saved) for any bad row, a cohort
    the organization is not in, or a visit dated in the future."""
    _require_obj(by, "trainings.mentor_organization", organization)
    visit_date = date or timezone.localdate()
    if visit_date > timezone.localdate():
        raise ValidationError({"date": _("A visit cannot be logged before it happened.")})
    if cohort is not None and not _org_in_cohort(organization, cohort):
        raise ValidationError(
            {
                "cohort": _("%(org)s does not take part in %(cohort)s.")
                % {"org": organization, "cohort": cohort}
            }
        )
    visit = _with_history_user(
        MentoringVisit(
            organization=organization,
            expert=by,
            topics=(topics or "").strip(),
            mode=mode,
            date=visit_date,
            notes=notes,
            cohort=cohort,
        ),
        by,
    )
    visit.full_clean()
    rows = _clean_actions(actions, visit_date)
    visit.save()
    for row in rows:
        row.visit = visit
        row.full_clean()
        _with_history_user(row, by).save()
    return visit


@transaction.atomic
def agreed_action_close(*, action: AgreedAction, by) -> AgreedAction:
    """The organization's mentor (or a programme officer) closes an agreed action as done."""
    action = AgreedAction.objects.select_for_update().select_related("visit__organization").get(pk=action.pk)
    _require_obj(by, "trainings.mentor_organization", action.visit.organization)
    if action.done_at is not None:
        raise ValidationError(_("This action was already closed."))
    action.done_at = timezone.now()
    _with_history_user(action, by).save(update_fields=["done_at"])
    return action


@transaction.atomic
def agreed_action_answer(*, action: AgreedAction, organization, reply: str, by) -> AgreedAction:
    """The organization answers one of its agreed actions (what it did, or why not yet). A new answer
    replaces the previous one; the history keeps both. Refused once the mentor has closed the action."""
    _require_obj(by, "trainings.answer_action", organization)
    action = AgreedAction.objects.select_for_update().select_related("visit").get(pk=action.pk)
    if action.visit.organization_id != organization.pk:
        raise PermissionDenied
    if action.done_at is not None:
        raise ValidationError(_("The mentor has closed this action; it can no longer be answered."))
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write your answer to the mentor.")})
    action.reply = reply
    action.replied_at = timezone.now()
    action.replied_by = by
    action.full_clean()
    _with_history_user(action, by).save(update_fields=["reply", "replied_at", "replied_by"])
    return action


# Staff screens: capacity self-assessment ------------------------------------------------------------


@transaction.atomic
def self_assessment_record(
    *,
    organization,
    kind: str,
    by,
    scores: dict[CapacityDimension, tuple[int, str]],
    assessed_on: date | None = None,
    notes: str = "",
) -> CapacityAssessment:
    """The organization scores itself on every dimension in use; shown beside the staff scores, never
    counted in them. Every score is checked against its scale; any error refuses the whole of it."""
    _require_obj(by, "trainings.self_assess", organization)
    missing = [str(d) for d in CapacityDimension.objects.filter(active=True) if d not in scores]
    if missing:
        raise ValidationError(
            _("Score every dimension (missing: %(names)s).") % {"names": ", ".join(missing)}
        )
    assessment = _with_history_user(
        CapacityAssessment(
            organization=organization,
            kind=kind,
            source=CapacityAssessment.Source.SELF,
            assessed_on=assessed_on or timezone.localdate(),
            assessor=by,
            notes=notes,
        ),
        by,
    )
    assessment.full_clean()
    if assessment.assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    rows, errors = [], {}
    for dimension, (score, evidence) in scores.items():
        row = CapacityScore(assessment=assessment, dimension=dimension, score=score, evidence=evidence)
        try:
            row.full_clean(exclude=["assessment"])
        except ValidationError as exc:
            errors[f"score_{dimension.pk}"] = exc.messages
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    assessment.save()
    for row in rows:
        row.assessment = assessment
        _with_history_user(row, by).save()
    return assessment


# Staff screens: cohort set-up and enrolment -----------------------------------------------------------


COHORT_FIELDS = (
    "name",
    "city",
    "starts_on",
    "ends_on",
    "min_attendance_percent",
    "require_exercises",
    "description",
)


@transaction.atomic
def cohort_save(*, by, cohort: Cohort | None = None, organizations=(), modules=(), **fields) -> Cohort:
    """Create a cohort, or edit one: its modules, period, city, completion rule and the organizations
    taking part.

    Refused when an organization with participants still enrolled would be taken out of the cohort."""
    _require(by, "trainings.run_training")
    unknown = set(fields) - set(COHORT_FIELDS)
    if unknown:
        raise TypeError(f"cohort_save() got unexpected fields {sorted(unknown)}")
    if cohort is None:
        cohort = Cohort()
    else:
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.full_clean()
    organizations = list(organizations)
    if cohort.pk:
        kept = {o.pk for o in organizations}
        removed_with_people = (
            cohort.enrolments.filter(withdrawn_at__isnull=True)
            .exclude(participant__organization_id__in=kept)
            .values_list("participant__organization_id", flat=True)
            .distinct()
        )
        from organizations.models import Organization  # noqa: PLC0415

        names = sorted({org.name for org in Organization.objects.filter(pk__in=list(removed_with_people))})
        if names:
            raise ValidationError(
                {
                    "organizations": _(
                        "%(names)s still have participants enrolled; withdraw or move them before taking "
                        "the organization out of the cohort."
                    )
                    % {"names": ", ".join(names)}
                }
            )
    _with_history_user(cohort, by).save()
    cohort.organizations.set(organizations)
    cohort.modules.set(modules)
    return cohort


@transaction.atomic
def members_enrol(*, cohort: Cohort, organization, users, by) -> list[Enrolment]:
    """Enrol members of an organization's portal account as participants (one participant per person,
    found again by e-mail). All or nothing: refused when a person is not a member of the organization,
    the organization is not in the cohort, or anyone is already enrolled."""
    _require(by, "trainings.run_training")
    from organizations.models import Membership  # noqa: PLC0415

    users = list(users)
    if not users:
        raise ValidationError({"members": _("Tick at least one member.")})
    member_ids = set(
        Membership.objects.filter(organization=organization, user__in=users).values_list("user_id", flat=True)
    )
    strangers = [str(u) for u in users if u.pk not in member_ids]
    if strangers:
        raise ValidationError(
            {
                "members": _("Not members of %(org)s: %(names)s.")
                % {"org": organization, "names": ", ".join(strangers)}
            }
        )
    enrolments = []
    for user in users:
        participant = (
            Participant.objects.filter(organization=organization, email__iexact=user.email).first()
            if user.email
            else None
        )
        if participant is None:
            enrolments.append(
                participant_enrol(
                    cohort=cohort,
                    by=by,
                    organization=organization,
                    name=user.get_full_name() or user.email,
                    email=user.email,
                )
            )
        else:
            enrolments.append(participant_enrol(cohort=cohort, by=by, participant=participant))
    return enrolments


def _import_errors(cohort: Cohort, rows: list[dict]) -> dict[int, list[str]]:
    """Problems per row number of an enrolment spreadsheet (rows are dicts of organization, name, title,
    phone, email, with their line number as `line`)."""
    from django.core.validators import validate_email  # noqa: PLC0415

    orgs = {}
    for org in cohort.organizations.all():
        for key in (org.name_zh_hans, org.name_en, org.slug):  # the name in either language
            if key:
                orgs[key.strip().casefold()] = org
    enrolled = {
        (org_id, name.casefold())
        for org_id, name in cohort.enrolments.values_list("participant__organization_id", "participant__name")
    }
    seen = set()
    errors: dict[int, list[str]] = {}
    for row in rows:
        problems = []
        org = orgs.get((row.get("organization") or "").strip().casefold())
        name = (row.get("name") or "").strip()
        if not row.get("organization"):
            problems.append(_("The organization is missing."))
        elif org is None:
            problems.append(
                _("%(org)s does not take part in this cohort.") % {"org": row["organization"].strip()}
            )
        if not name:
            problems.append(_("The name is missing."))
        elif len(name) > 100:
            problems.append(_("The name is longer than 100 characters."))
        if row.get("email"):
            try:
                validate_email(row["email"].strip())
            except ValidationError:
                problems.append(_("%(email)s is not an e-mail address.") % {"email": row["email"].strip()})
        if len((row.get("phone") or "").strip()) > 30:
            problems.append(_("The phone number is longer than 30 characters."))
        if len((row.get("title") or "").strip()) > 100:
            problems.append(_("The role or title is longer than 100 characters."))
        if org is not None and name:
            key = (org.pk, name.casefold())
            if key in enrolled:
                problems.append(_("%(name)s is already enrolled in this cohort.") % {"name": name})
            elif key in seen:
                problems.append(_("%(name)s appears twice in the file.") % {"name": name})
            seen.add(key)
        row["organization_obj"] = org
        if problems:
            errors[row["line"]] = problems
    return errors


def enrolment_import_check(*, cohort: Cohort, rows: list[dict]) -> dict[int, list[str]]:
    """The preview of a spreadsheet import: every row's problems by line number (empty when all good)."""
    return _import_errors(cohort, [dict(r) for r in rows])


@transaction.atomic
def enrolment_import(*, cohort: Cohort, rows: list[dict], by) -> list[Enrolment]:
    """Enrol every row of a checked spreadsheet, all or nothing: any row's problem (checked again here,
    as the cohort may have changed since the preview) refuses the whole file."""
    _require(by, "trainings.run_training")
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    rows = [dict(r) for r in rows]
    if not rows:
        raise ValidationError({"file": _("The file has no participant rows.")})
    errors = _import_errors(cohort, rows)
    if errors:
        raise ValidationError(
            {
                "file": [
                    _("Row %(line)d: %(problems)s") % {"line": line, "problems": " ".join(problems)}
                    for line, problems in sorted(errors.items())
                ]
            }
        )
    enrolments = []
    for row in rows:
        org = row["organization_obj"]
        name = row["name"].strip()
        email = (row.get("email") or "").strip()
        existing = Participant.objects.filter(organization=org, name=name)
        if email:
            existing = existing.filter(email__iexact=email)
        participant = existing.first()
        if participant is not None:
            enrolments.append(participant_enrol(cohort=cohort, by=by, participant=participant))
        else:
            enrolments.append(
                participant_enrol(
                    cohort=cohort,
                    by=by,
                    organization=org,
                    name=name,
                    title=(row.get("title") or "").strip(),
                    phone=(row.get("phone") or "").strip(),
                    email=email,
                )
            )
    return enrolments


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, reason: str, by) -> Enrolment:
    """Withdraw a participant from a cohort (the enrolment, its attendance and its history stay)."""
    _require(by, "trainings.run_training")
    enrolment = Enrolment.objects.select_for_update().select_related("participant").get(pk=enrolment.pk)
    if enrolment.withdrawn_at is not None:
        raise ValidationError(_("%(name)s was already withdrawn.") % {"name": enrolment.participant})
    if Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("%(name)s holds a certificate of this cohort; revoke it first.")
            % {"name": enrolment.participant}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for withdrawing the participant.")})
    enrolment.withdrawn_at = timezone.now()
    enrolment.withdrawn_reason = reason[:255]
    enrolment.full_clean()
    _with_history_user(enrolment, by).save(update_fields=["withdrawn_at", "withdrawn_reason"])
    return enrolment


@transaction.atomic
def enrolment_move(*, enrolment: Enrolment, to_cohort: Cohort, by) -> Enrolment:
    """Move a participant to another cohort: withdrawn from this one (its attendance stays with it) and
    enrolled in the other. Refused as a whole when either step is refused."""
    _require(by, "trainings.run_training")
    enrolment = Enrolment.objects.select_related("participant", "cohort").get(pk=enrolment.pk)
    if to_cohort.pk == enrolment.cohort_id:
        raise ValidationError({"to_cohort": _("Choose another cohort.")})
    try:
        moved = participant_enrol(cohort=to_cohort, by=by, participant=enrolment.participant)
    except ValidationError as exc:
        raise ValidationError({"to_cohort": exc.messages}) from None
    enrolment_withdraw(enrolment=enrolment, reason=_("Moved to %(cohort)s") % {"cohort": to_cohort}, by=by)
    return moved


@transaction.atomic
def mentor_unassign(*, assignment: MentorAssignment, by) -> None:
    """End a mentor's assignment to an organization (its visits stay; the history keeps the assignment)."""
    _require(by, "trainings.assign_mentor")
    assignment = MentorAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if assignment is None:
        raise ValidationError(_("This assignment was already ended."))
    _with_history_user(assignment, by).delete()


SESSION_FIELDS = ("module", "title", "starts_at", "ends_at", "venue", "online_url")


@transaction.atomic
def session_update(*, session: Session, by, trainers=(), **fields) -> Session:
    """Reschedule a session: its module, time, venue or link and trainers (the history keeps the old)."""
    _require(by, "trainings.run_training")
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_update() got unexpected fields {sorted(unknown)}")
    session = Session.objects.select_for_update().get(pk=session.pk)
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean()
    _with_history_user(session, by).save()
    session.trainers.set(trainers)
    return session
