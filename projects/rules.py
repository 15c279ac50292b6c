"""Who may do what to needs assessments, projects and progress updates (see empowerment.authz).

Object permissions take the project's (or assessment's) organization as the object."""

import rules

from empowerment.authz import is_programme_officer, is_staff_member
from organizations.rules import is_org_editor, is_org_member

# Portal reads: members of the organization and staff.
rules.add_perm("projects.view_org_projects", is_org_member | is_staff_member)
# Writing assessments, proposals and progress updates, submitting them: organization editors and admins.
rules.add_perm("projects.edit_org_projects", is_org_editor)
# Review moves (return, approve, reject, activate, complete, close) and update reviews.
rules.add_perm("projects.review_project", is_programme_officer)
# Staff pages of the projects app (review queue, overdue list, project detail).
rules.add_perm("projects.view_staff_pages", is_staff_member)
