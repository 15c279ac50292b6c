"""`{% project_budget project %}`: a project's budget against actual per budget line (amount, approved
expenditures, waiting, remaining, % used), for the projects' staff and portal pages. Projects sit below
fundraising, so their templates ask for the figures here instead of their views importing fundraising."""

from django import template

from fundraising.selectors.budget import project_budget_vs_actual

register = template.Library()


# A proposal spends nothing until it is approved: before that its budget is shown by the plan alone.
SPENDING_STATUSES = ("approved", "active", "completed", "closed")


@register.inclusion_tag("fundraising/_budget_vs_actual.html")
def project_budget(project) -> dict:
    if project.status not in SPENDING_STATUSES:
        return {"project": project, "lines": []}
    return {"project": project, **project_budget_vs_actual(project)}
