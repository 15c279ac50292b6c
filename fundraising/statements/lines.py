"""The lines of the three statements of the NPO accounting system (民间非营利组织会计制度: 资产负债表 会民非01表,
业务活动表 会民非02表, 现金流量表 会民非03表) that ledger accounts map to, and the layout each statement prints.

A ledger account maps to ONE statement line (a balance-sheet asset line, an income or cost line of the statement
of activities, or a direct adjustment of net assets) and, unless it is itself cash, to ONE cash-flow line: the
line a movement of cash against that account is reported on. The English labels are translations of the
official Chinese names (the Chinese catalogue carries the official names).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementLine(models.TextChoices):
    # 资产负债表: assets (the ledger has no liability accounts: those lines print as zero)
    CASH = "bs_cash", _("Cash and bank deposits")
    SHORT_INVESTMENTS = "bs_short_investments", _("Short-term investments")
    RECEIVABLES = "bs_receivables", _("Receivables (incl. other receivables)")
    PREPAYMENTS = "bs_prepayments", _("Prepayments (incl. advances to partner organizations)")
    INVENTORIES = "bs_inventories", _("Inventories")
    OTHER_CURRENT = "bs_other_current", _("Other current assets")
    LONG_INVESTMENTS = "bs_long_investments", _("Long-term investments")
    FIXED_ASSETS = "bs_fixed_assets", _("Fixed assets")
    INTANGIBLES = "bs_intangibles", _("Intangible assets")
    ENTRUSTED = "bs_entrusted", _("Entrusted agency assets")
    # 净资产: postings straight to net assets (opening balances, corrections)
    NET_ASSETS_ADJUSTMENT = "na_adjustment", _("Direct adjustment of net assets")
    # 业务活动表: income
    DONATIONS = "in_donations", _("Donation income")
    MEMBERSHIP = "in_membership", _("Membership fee income")
    SERVICES = "in_services", _("Income from services provided")
    SALES = "in_sales", _("Income from sales of goods")
    GOVERNMENT = "in_government", _("Government grant income")
    INVESTMENT = "in_investment", _("Investment income")
    OTHER_INCOME = "in_other", _("Other income")
    # 业务活动表: costs
    PROGRAMME = "ex_programme", _("Programme activity costs")
    MANAGEMENT = "ex_management", _("Management expenses")
    FUNDRAISING = "ex_fundraising", _("Fundraising expenses")
    OTHER_EXPENSES = "ex_other", _("Other expenses")


ASSET_LINES = [line for line in StatementLine if line.value.startswith("bs_")]
INCOME_LINES = [line for line in StatementLine if line.value.startswith("in_")]
COST_LINES = [line for line in StatementLine if line.value.startswith("ex_")]
NET_ASSET_LINES = [StatementLine.NET_ASSETS_ADJUSTMENT]

# Which lines an account of each ledger type may map to.
LINES_FOR_TYPE = {
    "asset": ASSET_LINES,
    "income": INCOME_LINES,
    "expense": COST_LINES,
    "net_assets": NET_ASSET_LINES,
}

# The balance sheet's current assets (流动资产) and the rest, in the official order.
CURRENT_ASSETS = [
    StatementLine.CASH,
    StatementLine.SHORT_INVESTMENTS,
    StatementLine.RECEIVABLES,
    StatementLine.PREPAYMENTS,
    StatementLine.INVENTORIES,
    StatementLine.OTHER_CURRENT,
]
NON_CURRENT_ASSETS = [
    StatementLine.LONG_INVESTMENTS,
    StatementLine.FIXED_ASSETS,
    StatementLine.INTANGIBLES,
    StatementLine.ENTRUSTED,
]

# Liability lines of the balance sheet (no ledger account maps to them: printed as zero).
LIABILITY_LINES = [
    ("li_short_loans", _("Short-term loans")),
    ("li_payables", _("Payables")),
    ("li_wages", _("Wages payable")),
    ("li_taxes", _("Taxes payable")),
    ("li_advances_received", _("Advances received")),
    ("li_accrued", _("Accrued expenses")),
    ("li_long_loans", _("Long-term loans")),
    ("li_entrusted", _("Entrusted agency liabilities")),
]


class CashFlowLine(models.TextChoices):
    # 一、业务活动产生的现金流量
    DONATIONS = "cf_donations", _("Cash received from donations")
    MEMBERSHIP = "cf_membership", _("Cash received from membership fees")
    SERVICES = "cf_services", _("Cash received from services provided")
    SALES = "cf_sales", _("Cash received from sales of goods")
    GOVERNMENT = "cf_government", _("Cash received from government grants")
    OTHER_OPERATING_IN = "cf_other_in", _("Other cash received relating to operating activities")
    GRANTS_PAID = "cf_grants_paid", _("Cash paid for donations and grants made")
    STAFF = "cf_staff", _("Cash paid to and for employees")
    PURCHASES = "cf_purchases", _("Cash paid for goods and services")
    OTHER_OPERATING_OUT = "cf_other_out", _("Other cash paid relating to operating activities")
    # 二、投资活动产生的现金流量
    INVESTMENTS_RECOVERED = "cf_inv_recovered", _("Cash received from recovery of investments")
    INVESTMENT_INCOME = "cf_inv_income", _("Cash received from investment income")
    ASSET_DISPOSALS = "cf_disposals", _("Net cash received from disposal of fixed and intangible assets")
    FIXED_ASSETS = "cf_fixed_assets", _("Cash paid to acquire fixed and intangible assets")
    INVESTMENTS_MADE = "cf_investments", _("Cash paid for investments")
    OTHER_INVESTING = "cf_other_investing", _("Other cash relating to investing activities")
    # 三、筹资活动产生的现金流量
    BORROWING = "cf_borrowing", _("Cash received from borrowing")
    REPAYMENTS = "cf_repayments", _("Cash paid to repay debts")
    INTEREST = "cf_interest", _("Cash paid for interest")
    OTHER_FINANCING = "cf_other_financing", _("Other cash relating to financing activities")


# The sections of the cash-flow statement: (key, title, inflow lines, outflow lines). An account mapped to an
# inflow line reports the net cash received against it there (a refund makes it smaller); an outflow line the
# net cash paid.
CASH_FLOW_SECTIONS = [
    (
        "operating",
        _("Cash flows from operating activities"),
        [
            CashFlowLine.DONATIONS,
            CashFlowLine.MEMBERSHIP,
            CashFlowLine.SERVICES,
            CashFlowLine.SALES,
            CashFlowLine.GOVERNMENT,
            CashFlowLine.OTHER_OPERATING_IN,
        ],
        [
            CashFlowLine.GRANTS_PAID,
            CashFlowLine.STAFF,
            CashFlowLine.PURCHASES,
            CashFlowLine.OTHER_OPERATING_OUT,
        ],
    ),
    (
        "investing",
        _("Cash flows from investing activities"),
        [
            CashFlowLine.INVESTMENTS_RECOVERED,
            CashFlowLine.INVESTMENT_INCOME,
            CashFlowLine.ASSET_DISPOSALS,
            CashFlowLine.OTHER_INVESTING,
        ],
        [CashFlowLine.FIXED_ASSETS, CashFlowLine.INVESTMENTS_MADE],
    ),
    (
        "financing",
        _("Cash flows from financing activities"),
        [CashFlowLine.BORROWING, CashFlowLine.OTHER_FINANCING],
        [CashFlowLine.REPAYMENTS, CashFlowLine.INTEREST],
    ),
]
INFLOW_LINES = {line for _key, _title, ins, _outs in CASH_FLOW_SECTIONS for line in ins}
