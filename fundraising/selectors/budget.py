"""Budget against actual per budget line of a project.

Definitions:

- **spent** on a line: its approved expenditures (each posted to the ledger once on approval; a reversed one is
  marked reversed and no longer counts, as its reversal cancels it in the ledger).
- **waiting**: its expenditures submitted and not decided yet.
- **remaining**: the line's amount less what was spent (negative when the line is over its budget).
- **% used**: spent over the line's amount.
- A claim **goes over the line** when what was spent, what is waiting and the claim itself together exceed the
  line's amount. It is then refused unless the claimant states a reason (recorded on the expenditure, shown to
  the approver and kept in its history); `fundraising.services.expenditure_submit` applies the rule and
  `expenditure_approve` checks it again.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Expenditure
from .books import MONEY, ZERO, money

# A line this much used (or more) is shown as near its limit.
NEAR_LIMIT = Decimal("90")

_APPROVED = Q(expenditures__status=Expenditure.Status.APPROVED)
_WAITING = Q(expenditures__status=Expenditure.Status.SUBMITTED)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _state(amount: Decimal, spent: Decimal, waiting: Decimal) -> dict:
    used = _percent(spent, amount)
    return {
        "amount": amount,
        "spent": spent,
        "waiting": waiting,
        "remaining": amount - spent,
        "percent_used": used,
        "over": spent > amount,
        "near": used is not None and used >= NEAR_LIMIT and spent <= amount,
    }


def project_budget_vs_actual(project) -> dict:
    """Each budget line of `project` with its amount, spent, waiting, remaining and % used, and the project's
    totals. One query."""
    lines = list(
        project.budget_lines.annotate(
            spent_sum=Coalesce(
                Sum("expenditures__amount", filter=_APPROVED), Value(ZERO), output_field=MONEY
            ),
            waiting_sum=Coalesce(
                Sum("expenditures__amount", filter=_WAITING), Value(ZERO), output_field=MONEY
            ),
        ).order_by("pk")
    )
    rows = []
    for line in lines:
        row = _state(money(line.amount), money(line.spent_sum), money(line.waiting_sum))
        row["line"] = line
        rows.append(row)
    totals = _state(
        sum((r["amount"] for r in rows), ZERO),
        sum((r["spent"] for r in rows), ZERO),
        sum((r["waiting"] for r in rows), ZERO),
    )
    return {"lines": rows, "totals": totals, "near_limit": NEAR_LIMIT}


def budget_line_position(budget_line, *, exclude_pk: int | None = None) -> dict:
    """What a budget line has spent (approved) and waiting (submitted), leaving out one expenditure."""
    qs = Expenditure.objects.filter(budget_line=budget_line)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    row = qs.aggregate(
        spent=Coalesce(
            Sum("amount", filter=Q(status=Expenditure.Status.APPROVED)), Value(ZERO), output_field=MONEY
        ),
        waiting=Coalesce(
            Sum("amount", filter=Q(status=Expenditure.Status.SUBMITTED)), Value(ZERO), output_field=MONEY
        ),
    )
    return _state(money(budget_line.amount), money(row["spent"]), money(row["waiting"]))


def claim_over_budget(budget_line, amount: Decimal, *, exclude_pk: int | None = None) -> dict | None:
    """None if a claim of `amount` keeps the line within its amount (counting what was spent and what waits);
    otherwise the line's position with `over_by`, how far the claim would take it over."""
    position = budget_line_position(budget_line, exclude_pk=exclude_pk)
    committed = position["spent"] + position["waiting"] + amount
    if committed <= position["amount"]:
        return None
    position["over_by"] = committed - position["amount"]
    position["available"] = max(position["amount"] - position["spent"] - position["waiting"], ZERO)
    return position


def lines_with_position(budget_lines) -> list[dict]:
    """The given budget lines (a queryset, e.g. those a claim form offers), each with spent, waiting and
    `available` (amount less spent and waiting). One query."""
    rows = []
    for line in budget_lines.annotate(
        spent_sum=Coalesce(Sum("expenditures__amount", filter=_APPROVED), Value(ZERO), output_field=MONEY),
        waiting_sum=Coalesce(Sum("expenditures__amount", filter=_WAITING), Value(ZERO), output_field=MONEY),
    ):
        row = _state(money(line.amount), money(line.spent_sum), money(line.waiting_sum))
        row["line"] = line
        row["available"] = row["amount"] - row["spent"] - row["waiting"]
        rows.append(row)
    return rows
