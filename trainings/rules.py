"""Who may do what in training (see empowerment.authz and organizations.rules)."""

import rules

from empowerment.authz import is_programme_officer, is_staff_member, is_trainer
from organizations.rules import is_org_editor, is_org_member

# Staff who run training: trainers, programme officers and administrators.
rules.add_perm("trainings.run_training", is_trainer)
rules.add_perm("trainings.take_attendance", is_trainer)
rules.add_perm("trainings.review_submission", is_trainer)
rules.add_perm("trainings.issue_certificate", is_trainer)
rules.add_perm("trainings.log_mentoring", is_trainer)
rules.add_perm("trainings.assess_capacity", is_trainer)
rules.add_perm("trainings.export_results", is_trainer)
# An organization's own training record (object: the organization).
rules.add_perm("trainings.view_org_training", is_org_member | is_staff_member)
rules.add_perm("trainings.submit_exercise", is_org_editor)


@rules.predicate
def is_assigned_mentor(user, organization) -> bool:
    """A staff member assigned as the organization's expert mentor."""
    if organization is None or not user.is_authenticated:
        return False
    from .models import MentorAssignment  # noqa: PLC0415

    return MentorAssignment.objects.filter(mentor=user, organization=organization).exists()


# Expert mentoring of one organization (object: the organization): its assigned mentors, and programme
# officers and administrators who oversee every organization.
rules.add_perm("trainings.mentor_organization", (is_trainer & is_assigned_mentor) | is_programme_officer)
rules.add_perm("trainings.assign_mentor", is_programme_officer)
# The organization answers its agreed actions and adds its own capacity self-assessment.
rules.add_perm("trainings.answer_action", is_org_editor)
rules.add_perm("trainings.self_assess", is_org_editor)
