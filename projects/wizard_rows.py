"""The proposal wizard's row steps: which formsets a step shows, the activities a milestone row may name, and
the running budget total of the rows on the screen (saved or not). No writes here: see wizard_services."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from .forms import MAX_ROWS, STEP_FORMSETS, MoneyFormField
from .models import BudgetLine, Project
from .wizard_services import NEW_PREFIX

# The steps whose page holds rows, and the formsets (by prefix) each shows.
ROW_STEPS = {
    "activities": ("activities", "milestones"),
    "budget": ("budget",),
    "indicators": ("indicators",),
}
ROW_KINDS = ("activities", "milestones", "budget", "indicators")


def activity_choices(activities) -> list[tuple[str, str]]:
    """The activities a milestone row may name: each activity row on the page with a title, the saved ones
    by id and the new ones as "new-<row>"; a saved activity keeps its title as typed on the page."""
    choices = []
    for index, form in enumerate(activities.forms):
        title = (form["title"].value() or "").strip()
        if not title:
            continue
        key = str(form.instance.pk) if form.instance.pk else f"{NEW_PREFIX}{index}"
        choices.append((key, title))
    return choices


def step_formsets(project: Project, step: str, data=None) -> dict:
    """The bound (data) or unbound formsets of a row step, by prefix. The milestones are bound only when
    their rows were posted (a post of the activities alone leaves them as they are)."""
    formsets = {}
    for kind in ROW_STEPS[step]:
        kwargs = {}
        bound = data
        if kind == "milestones":
            kwargs["form_kwargs"] = {"activity_choices": activity_choices(formsets["activities"])}
            if data is not None and "milestones-TOTAL_FORMS" not in data:
                bound = None
        formsets[kind] = STEP_FORMSETS[kind](bound, instance=project, prefix=kind, **kwargs)
    return formsets


def with_added_row(data, kind: str):
    """A copy of posted data with one more (empty) row of `kind`, up to the step's maximum."""
    data = data.copy()
    key = f"{kind}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(max(total, 0) + 1, MAX_ROWS))
    return data


@dataclass
class BudgetTotals:
    by_category: list[tuple[str, Decimal]] = field(default_factory=list)
    total: Decimal = Decimal("0.00")
    not_counted: int = 0  # rows whose amount is not a valid amount yet


def budget_totals(formset) -> BudgetTotals:
    """Sum the budget rows as they stand on the screen (bound: as typed; unbound: as saved), by category in
    the categories' order; rows marked for removal are left out, unreadable amounts counted apart."""
    amount_field = MoneyFormField(required=False)
    sums: dict[str, Decimal] = {}
    not_counted = 0
    for form in formset.forms:
        if form["DELETE"].value():
            continue
        raw = form["amount"].value()
        if raw in (None, ""):
            continue
        try:
            amount = amount_field.clean(str(raw))
        except ValidationError:
            not_counted += 1
            continue
        category = form["category"].value() or BudgetLine.Category.OTHER
        if category not in BudgetLine.Category.values:
            category = BudgetLine.Category.OTHER
        sums[category] = sums.get(category, Decimal("0.00")) + amount
    rows = [(label, sums[value]) for value, label in BudgetLine.Category.choices if value in sums]
    return BudgetTotals(by_category=rows, total=sum(sums.values(), Decimal("0.00")), not_counted=not_counted)
