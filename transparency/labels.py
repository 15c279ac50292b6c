"""Display names for the codes the selectors return (funder kinds, fund kinds, budget categories, ...),
translated in the current language."""

from django.utils.translation import gettext as _

from fundraising.models import Fund, Funder
from projects.models import BudgetLine, Project


def funder_kinds() -> dict[str, str]:
    return {**{k: str(v) for k, v in Funder.Kind.choices}, "anonymous": _("Anonymous and unnamed donors")}


def fund_kinds() -> dict[str, str]:
    return {k: str(v) for k, v in Fund.Kind.choices}


def categories() -> dict[str, str]:
    return {k: str(v) for k, v in BudgetLine.Category.choices}


def category(code: str) -> str:
    return categories().get(code, code or _("Uncategorised"))


def project_statuses() -> dict[str, str]:
    return {k: str(v) for k, v in Project.Status.choices}


def flow_labels() -> dict[str, str]:
    """Labels of every fund-flow node kind (see selectors.fund_flow)."""
    labels: dict[str, str] = {}
    for key, name in funder_kinds().items():
        labels[f"src:{key}"] = name
    for key, name in fund_kinds().items():
        labels[f"fk:{key}"] = name
        labels[f"src:allocation:{key}"] = _("Allocated from: %(fund)s") % {"fund": name}
    for key, name in categories().items():
        labels[f"cat:{key}"] = _("Spent: %(category)s") % {"category": name}
    labels.update(
        {
            "open": _("Balance at the start of the period"),
            "src:adjustment": _("Adjustments"),
            "src:transfer": _("Transfers between funds"),
            "use:transfer": _("Transfers between funds"),
            "bal:projects": _("Balance held for projects"),
            "bal:general": _("Balance of the general fund"),
            "bal:community": _("Balance of community funds"),
            "bal:project": _("Balance held for projects"),
            "unknown": _("Other channels"),
            "p:unpublished": _("Projects not yet published"),
            "use:reversed_income": _("Gifts of earlier periods reversed"),
            "src:reversed_spending": _("Spending of earlier periods reversed"),
        }
    )
    return labels
