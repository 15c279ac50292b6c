"""The reconciliation state on the finance dashboard (fundraising.selectors.reconciliation)."""

from django import template

from ..selectors.reconciliation import reconciliation_state

register = template.Library()


@register.inclusion_tag("fundraising/staff/bills/_dashboard_state.html", takes_context=True)
def reconciliation_overview(context, months: int = 3):
    return {"state": reconciliation_state(months=months), "can_manage": context.get("can_manage", False)}
