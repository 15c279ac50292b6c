"""Who may do what in training (see empowerment.authz and organizations.rules)."""

import rules

from empowerment.authz import is_staff_member, is_trainer
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
