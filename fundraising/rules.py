"""Who may do what with money (see empowerment.authz and organizations.rules)."""

import rules

from empowerment.authz import is_finance_officer, is_staff_member
from organizations.rules import is_org_editor, is_org_member


@rules.predicate
def is_expenditure_org_member(user, expenditure) -> bool:
    return expenditure is not None and is_org_member(user, expenditure.organization_id)


@rules.predicate
def is_project_org_editor(user, project) -> bool:
    return project is not None and is_org_editor(user, project.organization_id)


# Recording donations, grants, allocations, disbursements; approving expenditures; imports; closing months.
rules.add_perm("fundraising.manage_money", is_finance_officer)
# The staff finance dashboard and its export.
rules.add_perm("fundraising.view_dashboard", is_staff_member)
# An organization's money pages in the portal (its own records only).
rules.add_perm("fundraising.view_org_finance", is_org_member | is_staff_member)
# Recording an expenditure of a project: editors of the project's organization, or finance officers.
rules.add_perm("fundraising.record_expenditure", is_project_org_editor | is_finance_officer)
# Invoices and receipts are private: the organization's members and staff.
rules.add_perm("fundraising.view_expenditure_document", is_expenditure_org_member | is_staff_member)
