"""The statements' arithmetic on a year's ledger sums (fundraising.selectors.statements.YearSums): no
database access here, so every line is a sum a test can recompute by hand.

Conventions of the NPO accounting system followed:

- 资产负债表: assets by line at the start and the end of the year; the ledger records no liabilities; net
  assets are what the funds hold, unrestricted (非限定性, funds not restricted) and restricted (限定性).
- 业务活动表: income by kind in the column of the fund it went to; every cost in the unrestricted column;
  restricted net assets used for their purpose during the year are released to unrestricted net assets
  (限定性净资产转为非限定性净资产), less what the foundation moved from unrestricted funds into restricted ones.
- 现金流量表 (direct method): each movement of cash is reported on the cash-flow line of the account on the
  other side of its posting (a donation on its income's line, an advance to an organization as a grant made,
  a platform's payout as the income it collected).

Tie-outs (each shown with both sides): assets = liabilities + net assets at both dates (and the funds' net
assets equal the net of every income, cost and net-assets posting); the change in net assets = income −
costs (the balance sheet's change against the statement of activities); closing cash = the bank accounts'
ledger balances (the cash-flow statement against the entries of the cash accounts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .lines import (
    CASH_FLOW_SECTIONS,
    COST_LINES,
    CURRENT_ASSETS,
    INCOME_LINES,
    INFLOW_LINES,
    LIABILITY_LINES,
    NON_CURRENT_ASSETS,
    StatementLine,
)

ZERO = Decimal("0.00")


@dataclass
class Row:
    label: str
    values: tuple  # one Decimal per column
    kind: str = "line"  # line | subtotal | total | heading
    code: str = ""


@dataclass
class TieOut:
    label: str
    left_label: str
    left: Decimal
    right_label: str
    right: Decimal

    @property
    def ok(self) -> bool:
        return self.left == self.right


def _line_sums(sums: dict, mapping: dict, sign: int) -> dict[str, list[Decimal]]:
    """{line: [unrestricted, restricted]} of the signed amounts by the accounts' lines."""
    out: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for (account_id, restricted), amount in sums.items():
        out[mapping[account_id].line][1 if restricted else 0] += sign * amount
    return out


def _balance_sheet(sums, assets_open, assets_close, na_open, na_close) -> dict:
    rows = [Row(_("Current assets"), (), "heading")]

    def asset_rows(lines):
        for line in lines:
            rows.append(
                Row(str(line.label), (sum(assets_open[line], ZERO), sum(assets_close[line], ZERO)), code=line)
            )
        return (
            sum((sum(assets_open[line], ZERO) for line in lines), ZERO),
            sum((sum(assets_close[line], ZERO) for line in lines), ZERO),
        )

    current = asset_rows(CURRENT_ASSETS)
    rows.append(Row(_("Total current assets"), current, "subtotal"))
    rows.append(Row(_("Non-current assets"), (), "heading"))
    non_current = asset_rows(NON_CURRENT_ASSETS)
    total_assets = (current[0] + non_current[0], current[1] + non_current[1])
    rows.append(Row(_("Total assets"), total_assets, "total"))
    rows.append(Row(_("Liabilities"), (), "heading"))
    for code, label in LIABILITY_LINES:
        rows.append(Row(str(label), (ZERO, ZERO), code=code))
    rows.append(Row(_("Total liabilities"), (ZERO, ZERO), "subtotal"))
    rows.append(Row(_("Net assets"), (), "heading"))
    rows.append(Row(_("Unrestricted net assets"), (na_open[0], na_close[0]), code="na_unrestricted"))
    rows.append(Row(_("Restricted net assets"), (na_open[1], na_close[1]), code="na_restricted"))
    total_na = (na_open[0] + na_open[1], na_close[0] + na_close[1])
    rows.append(Row(_("Total net assets"), total_na, "subtotal"))
    rows.append(Row(_("Total liabilities and net assets"), total_na, "total"))
    return {
        "rows": rows,
        "total_assets": total_assets,
        "total_liabilities": (ZERO, ZERO),
        "total_net_assets": total_na,
    }


def build(sums) -> dict:
    """The three statements, notes and tie-outs of a year from its sums (see the module's docstring)."""
    mapping = sums.mapping
    accounts = sums.accounts
    asset_sums = {k: v for k, v in sums.opening.items() if accounts[k[0]].type == "asset"}
    asset_sums_close = {k: v for k, v in sums.closing.items() if accounts[k[0]].type == "asset"}
    assets_open = _line_sums(asset_sums, mapping, 1)
    assets_close = _line_sums(asset_sums_close, mapping, 1)

    def by_column(values: dict) -> tuple[Decimal, Decimal]:
        u = sum((v for (_a, restricted), v in values.items() if not restricted), ZERO)
        r = sum((v for (_a, restricted), v in values.items() if restricted), ZERO)
        return u, r

    na_open = by_column(asset_sums)
    na_close = by_column(asset_sums_close)
    balance = _balance_sheet(sums, assets_open, assets_close, na_open, na_close)

    # Statement of activities ------------------------------------------------------------------------------
    income_moves = {k: v for k, v in sums.movements.items() if accounts[k[0]].type == "income"}
    cost_moves = {k: v for k, v in sums.movements.items() if accounts[k[0]].type == "expense"}
    na_moves = {k: v for k, v in sums.movements.items() if accounts[k[0]].type == "net_assets"}
    income = _line_sums(income_moves, mapping, -1)
    costs = _line_sums(cost_moves, mapping, 1)
    income_u, income_r = (-x for x in by_column(income_moves))
    costs_u, costs_r = by_column(cost_moves)
    costs_total = costs_u + costs_r
    adjust_u, adjust_r = (-x for x in by_column(na_moves))
    designated = sums.allocations_to_restricted  # net moved from unrestricted into restricted funds
    released = costs_r
    reclass = released - designated  # restricted → unrestricted (the unrestricted column's sign)
    change_u = income_u - costs_total + reclass
    change_r = income_r - reclass
    activity_rows = [Row(_("Income"), (), "heading")]
    for line in INCOME_LINES:
        u, r = income[line]
        activity_rows.append(Row(str(line.label), (u, r, u + r), code=line))
    activity_rows.append(Row(_("Total income"), (income_u, income_r, income_u + income_r), "subtotal"))
    activity_rows.append(Row(_("Costs"), (), "heading"))
    for line in COST_LINES:
        total = sum(costs[line], ZERO)
        activity_rows.append(Row(str(line.label), (total, ZERO, total), code=line))
    activity_rows.append(Row(_("Total costs"), (costs_total, ZERO, costs_total), "subtotal"))
    activity_rows.append(
        Row(_("Restricted net assets released to unrestricted"), (reclass, -reclass, ZERO), code="reclass")
    )
    activity_rows.append(
        Row(_("Change in net assets"), (change_u, change_r, change_u + change_r), "total", code="change")
    )
    if adjust_u or adjust_r:
        activity_rows.append(
            Row(
                str(StatementLine.NET_ASSETS_ADJUSTMENT.label),
                (adjust_u, adjust_r, adjust_u + adjust_r),
                code=StatementLine.NET_ASSETS_ADJUSTMENT,
            )
        )
    activity = {
        "rows": activity_rows,
        "income": (income_u, income_r, income_u + income_r),
        "costs": costs_total,
        "change": (change_u, change_r, change_u + change_r),
        "adjustments": (adjust_u, adjust_r, adjust_u + adjust_r),
        "released": released,
        "designated": designated,
    }

    # Cash flows ----------------------------------------------------------------------------------------
    flows: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account_id, amount in sums.cash_counterparts.items():
        line = mapping[account_id].cash_flow
        flows[line] += -amount if line in INFLOW_LINES else amount
    cash_rows = []
    net_increase = ZERO
    sections = []
    for key, title, ins, outs in CASH_FLOW_SECTIONS:
        cash_rows.append(Row(str(title), (), "heading"))
        total_in = sum((flows[line] for line in ins), ZERO)
        total_out = sum((flows[line] for line in outs), ZERO)
        for line in ins:
            cash_rows.append(Row(str(line.label), (flows[line],), code=line))
        cash_rows.append(Row(_("Cash inflows, subtotal"), (total_in,), "subtotal"))
        for line in outs:
            cash_rows.append(Row(str(line.label), (flows[line],), code=line))
        cash_rows.append(Row(_("Cash outflows, subtotal"), (total_out,), "subtotal"))
        cash_rows.append(Row(_("Net cash flow"), (total_in - total_out,), "subtotal", code=f"net_{key}"))
        sections.append((key, total_in - total_out))
        net_increase += total_in - total_out
    opening_cash = sum(assets_open[StatementLine.CASH], ZERO)
    closing_cash = opening_cash + net_increase
    cash_rows.append(Row(_("Effect of exchange rate changes on cash"), (ZERO,), code="cf_exchange"))
    cash_rows.append(Row(_("Net increase in cash"), (net_increase,), "total", code="net_increase"))
    cash_rows.append(Row(_("Cash at the start of the year"), (opening_cash,), code="opening_cash"))
    cash_rows.append(Row(_("Cash at the end of the year"), (closing_cash,), "total", code="closing_cash"))
    cash = {
        "rows": cash_rows,
        "net_increase": net_increase,
        "opening": opening_cash,
        "closing": closing_cash,
        "sections": dict(sections),
    }

    # Tie-outs -------------------------------------------------------------------------------------------
    total_na_close = balance["total_net_assets"][1]
    total_na_open = balance["total_net_assets"][0]
    tie_outs = [
        TieOut(
            _("Balance sheet at the end of the year"),
            _("Total assets"),
            balance["total_assets"][1],
            _("Liabilities + net assets"),
            balance["total_liabilities"][1] + total_na_close,
        ),
        TieOut(
            _("Balance sheet at the start of the year"),
            _("Total assets"),
            balance["total_assets"][0],
            _("Liabilities + net assets"),
            balance["total_liabilities"][0] + total_na_open,
        ),
        TieOut(
            _("Net assets held by the funds and net assets from every income, cost and net-assets posting"),
            _("Net assets of the funds"),
            total_na_close,
            _("Income − costs + adjustments, all time"),
            -sums.nominal_closing,
        ),
        TieOut(
            _("Change in net assets = income − costs"),
            _("Change in the balance sheet's net assets (less direct adjustments)"),
            total_na_close - total_na_open - activity["adjustments"][2],
            _("Income − costs (statement of activities)"),
            activity["income"][2] - costs_total,
        ),
        TieOut(
            _("Restricted net assets"),
            _("Change in the balance sheet's restricted net assets"),
            na_close[1] - na_open[1],
            _("Change in the restricted column (with its adjustments)"),
            change_r + adjust_r,
        ),
        TieOut(
            _("Closing cash = the bank accounts' ledger balances"),
            _("Cash at the end of the year (cash-flow statement)"),
            closing_cash,
            _("Bank and cash accounts' ledger balance"),
            sums.bank_balance_closing,
        ),
        TieOut(
            _("Cash in the balance sheet"),
            _("Cash and bank deposits (balance sheet)"),
            sum(assets_close[StatementLine.CASH], ZERO),
            _("Bank and cash accounts' ledger balance"),
            sums.bank_balance_closing,
        ),
    ]

    # Notes: what each line is made of, restricted funds, the basis -------------------------------------------
    composition = defaultdict(list)
    for (account_id, _restricted), amount in sorted(sums.closing.items()):
        if accounts[account_id].type == "asset":
            composition[mapping[account_id].line].append((accounts[account_id], amount))
    for (account_id, _restricted), amount in sorted(sums.movements.items()):
        account = accounts[account_id]
        if account.type in ("income", "expense"):
            composition[mapping[account_id].line].append(
                (account, -amount if account.type == "income" else amount)
            )
    lines = {choice.value: choice.label for choice in StatementLine}
    notes_lines = []
    for line, items in composition.items():
        merged: dict[int, list] = {}
        for account, amount in items:
            merged.setdefault(account.pk, [account, ZERO])[1] += amount
        rows = [(a, amt) for a, amt in sorted(merged.values(), key=lambda x: x[0].code) if amt]
        if rows:
            notes_lines.append({"line": str(lines[line]), "code": line, "accounts": rows})
    order = [choice.value for choice in StatementLine]
    notes_lines.sort(key=lambda n: order.index(n["code"]))
    in_kind_income = sum((-v for (a, _r), v in income_moves.items() if accounts[a].in_kind), ZERO)
    in_kind_costs = sum((v for (a, _r), v in cost_moves.items() if accounts[a].in_kind), ZERO)
    year_closed = (
        sums.closed_through is not None
        and sums.closed_through.year * 12 + sums.closed_through.month >= (sums.year * 12 + 12)
    )
    return {
        "year": sums.year,
        "balance_sheet": balance,
        "activity": activity,
        "cash_flow": cash,
        "tie_outs": tie_outs,
        "tied": all(t.ok for t in tie_outs),
        "notes": {
            "lines": notes_lines,
            "funds": sums.funds,
            "released": released,
            "designated": designated,
            "in_kind_income": in_kind_income,
            "in_kind_costs": in_kind_costs,
            "prior_period": sums.prior_period,
            "year_closed": year_closed,
            "closed_through": sums.closed_through,
        },
    }
