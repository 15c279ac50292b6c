"""Writes on a cohort's participants beyond enrolling, moving and withdrawing them (trainings.services):
correcting a participant's details and enrolling a withdrawn participant again. History is written by
each model's historical records, with the staff member as its user."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Cohort, Enrolment, Participant
from .services import _require, _with_history_user


def cohort_has_ended(cohort: Cohort) -> bool:
    return cohort.ends_on < timezone.localdate()


@transaction.atomic
def participant_update(
    *, participant: Participant, by, name: str, title="", phone="", email=""
) -> Participant:
    """Correct a participant's name, role, phone or email (their organization stays)."""
    _require(by, "trainings.run_training")
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the participant's name.")})
    participant.name = name
    participant.title = (title or "").strip()
    participant.phone = (phone or "").strip()
    participant.email = (email or "").strip()
    participant.full_clean()
    _with_history_user(participant, by).save(update_fields=["name", "title", "phone", "email"])
    return participant


@transaction.atomic
def enrolment_reenrol(*, enrolment: Enrolment, by) -> Enrolment:
    """Enrol a withdrawn participant in the same cohort again (their attendance so far stays with the
    enrolment). Refused when they are enrolled already, when the cohort has ended, or when their
    organization no longer takes part in it."""
    _require(by, "trainings.run_training")
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("participant", "cohort")
        .get(pk=enrolment.pk)
    )
    names = {"name": enrolment.participant, "cohort": enrolment.cohort}
    if enrolment.withdrawn_at is None:
        raise ValidationError(_("%(name)s is already enrolled in %(cohort)s.") % names)
    if cohort_has_ended(enrolment.cohort):
        raise ValidationError(
            _("%(cohort)s ended on %(date)s: nobody can be enrolled in it any more.")
            % {"cohort": enrolment.cohort, "date": enrolment.cohort.ends_on.isoformat()}
        )
    if not enrolment.cohort.organizations.filter(pk=enrolment.participant.organization_id).exists():
        raise ValidationError(
            _("%(org)s does not take part in the cohort %(cohort)s.")
            % {"org": enrolment.participant.organization, "cohort": enrolment.cohort}
        )
    enrolment.withdrawn_at = None
    enrolment.withdrawn_reason = ""
    enrolment.enrolled_at = timezone.now()
    enrolment.full_clean()
    _with_history_user(enrolment, by).save(update_fields=["withdrawn_at", "withdrawn_reason", "enrolled_at"])
    return enrolment
