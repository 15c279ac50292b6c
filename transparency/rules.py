"""Who may do what with transparency reports and disclosures (see empowerment.authz)."""

import rules

from empowerment.authz import is_finance_officer, is_programme_officer, is_staff_member
from organizations.rules import is_org_editor, is_org_member


@rules.predicate
def is_project_member(user, project) -> bool:
    return project is not None and is_org_member(user, project.organization)


@rules.predicate
def is_project_editor(user, project) -> bool:
    return project is not None and is_org_editor(user, project.organization)


rules.add_perm("transparency.request_project_report", is_project_member | is_staff_member)
rules.add_perm("transparency.write_project_disclosure", is_project_editor | is_programme_officer)
# The annual work report: every staff member reads the drafts; programme and finance officers (and
# administrators) assemble, write and publish them.
rules.add_perm("transparency.view_work_report", is_staff_member)
rules.add_perm("transparency.write_work_report", is_programme_officer | is_finance_officer)
