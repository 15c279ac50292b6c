"""The chart-of-accounts mapping: the default line of each ledger account (rules for the programme's accounts)
and the writes that set a line or apply the defaults.

Default rules:

- assets: `asset:bank*` and `asset:cash*` are cash (货币资金); `asset:advances` (money advanced to the
  organizations running projects) is a prepayment (预付账款); `asset:clearing:<channel>` (money a platform
  holds for the programme until it pays out) is a receivable (应收款项); any other asset is another current
  asset. Cash paid to an organization as an advance is a grant made; a platform's payout is the income of its
  channel received in cash.
- income: in-kind gifts are donations; a government service contract channel's income is income from
  services provided (政府购买服务 is an exchange, not a gift); a channel whose every known funder is a
  government department gives government grants (政府补助收入); every other channel gives donations; an
  income account without a channel is other income.
- costs: by the account's classification: programme → programme activity costs (业务活动成本), management →
  management expenses (管理费用), fundraising → fundraising expenses (筹资费用); in-kind goods and services
  used are programme costs; an account without a classification is another expense. Paid in cash,
  personnel costs are cash paid to and for employees, platform fees and fundraising costs other operating
  cash, the rest goods and services.
- direct postings to net assets are adjustments of net assets.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Account, Channel, Donation, Funder, Grant
from .lines import LINES_FOR_TYPE, CashFlowLine, StatementLine
from .models import AccountMapping

MANAGE = "fundraising.manage_money"

INCOME_CASH_FLOW = {
    StatementLine.DONATIONS: CashFlowLine.DONATIONS,
    StatementLine.MEMBERSHIP: CashFlowLine.MEMBERSHIP,
    StatementLine.SERVICES: CashFlowLine.SERVICES,
    StatementLine.SALES: CashFlowLine.SALES,
    StatementLine.GOVERNMENT: CashFlowLine.GOVERNMENT,
    StatementLine.INVESTMENT: CashFlowLine.INVESTMENT_INCOME,
    StatementLine.OTHER_INCOME: CashFlowLine.OTHER_OPERATING_IN,
}
ASSET_CASH_FLOW = {
    StatementLine.SHORT_INVESTMENTS: CashFlowLine.INVESTMENTS_MADE,
    StatementLine.LONG_INVESTMENTS: CashFlowLine.INVESTMENTS_MADE,
    StatementLine.FIXED_ASSETS: CashFlowLine.FIXED_ASSETS,
    StatementLine.INTANGIBLES: CashFlowLine.FIXED_ASSETS,
    StatementLine.PREPAYMENTS: CashFlowLine.GRANTS_PAID,
    StatementLine.INVENTORIES: CashFlowLine.PURCHASES,
}


def _channel_line(channel: Channel | None, government_channels: set[int]) -> str:
    if channel is None:
        return StatementLine.OTHER_INCOME
    if channel.kind == Channel.Kind.CONTRACT:
        return StatementLine.SERVICES
    if channel.pk in government_channels:
        return StatementLine.GOVERNMENT
    return StatementLine.DONATIONS


def government_channels() -> set[int]:
    """Channels whose every known funder (of their donations and their grants) is a government department."""
    kinds: dict[int, set[str]] = {}
    for channel_id, kind in (
        Donation.objects.filter(funder__isnull=False).values_list("channel_id", "funder__kind").distinct()
    ):
        kinds.setdefault(channel_id, set()).add(kind)
    for channel_id, kind in Grant.objects.values_list("channel_id", "funder__kind").distinct():
        kinds.setdefault(channel_id, set()).add(kind)
    return {pk for pk, found in kinds.items() if found == {Funder.Kind.GOVERNMENT}}


def _clearing_channel(account: Account) -> Channel | None:
    if account.channel_id:
        return account.channel
    code = account.code.removeprefix("asset:clearing:")
    return Channel.objects.filter(code=code).first()


def default_mapping(account: Account, *, government: set[int] | None = None) -> tuple[str, str]:
    """(statement line, cash-flow line) the rules give the account (see the module's docstring)."""
    government = government_channels() if government is None else government
    t = Account.Type
    if account.type == t.ASSET:
        code = account.code
        if code.startswith(("asset:bank", "asset:cash")) and not account.in_kind:
            return StatementLine.CASH, ""
        if code == "asset:advances" or code.startswith("asset:advances:"):
            return StatementLine.PREPAYMENTS, CashFlowLine.GRANTS_PAID
        if code.startswith("asset:clearing:"):
            income = _channel_line(_clearing_channel(account), government)
            return StatementLine.RECEIVABLES, INCOME_CASH_FLOW[income]
        return StatementLine.OTHER_CURRENT, CashFlowLine.OTHER_OPERATING_OUT
    if account.type == t.INCOME:
        line = StatementLine.DONATIONS if account.in_kind else _channel_line(account.channel, government)
        return line, INCOME_CASH_FLOW[line]
    if account.type == t.EXPENSE:
        c = Account.Classification
        line = {
            c.PROGRAMME: StatementLine.PROGRAMME,
            c.MANAGEMENT: StatementLine.MANAGEMENT,
            c.FUNDRAISING: StatementLine.FUNDRAISING,
        }.get(account.classification, StatementLine.OTHER_EXPENSES)
        if account.in_kind:
            line = StatementLine.PROGRAMME
        if account.category == "personnel":
            flow = CashFlowLine.STAFF
        elif line in (StatementLine.FUNDRAISING, StatementLine.OTHER_EXPENSES):
            flow = CashFlowLine.OTHER_OPERATING_OUT
        else:
            flow = CashFlowLine.PURCHASES
        return line, flow
    return StatementLine.NET_ASSETS_ADJUSTMENT, CashFlowLine.OTHER_OPERATING_IN


def allowed_lines(account: Account) -> list:
    return LINES_FOR_TYPE.get(account.type, [])


def check_mapping(account: Account, line: str, cash_flow: str) -> None:
    """Refuse (ValidationError at the field) a line that does not fit the account's type, and a cash-flow line
    where there must be none (a cash account) or a missing one."""
    if line not in {choice.value for choice in allowed_lines(account)}:
        raise ValidationError(
            {"line": _("This line does not fit a %(type)s account.") % {"type": account.get_type_display()}}
        )
    if line == StatementLine.CASH and cash_flow:
        raise ValidationError(
            {"cash_flow": _("A cash account has no cash-flow line: its movements are the flows.")}
        )
    if line != StatementLine.CASH and cash_flow not in CashFlowLine.values:
        raise ValidationError(
            {"cash_flow": _("Choose the cash-flow line for cash paid or received against it.")}
        )


def _require(by) -> None:
    if by is None or not by.has_perm(MANAGE):
        raise PermissionDenied


@transaction.atomic
def mapping_set(*, account: Account, line: str, cash_flow: str, by) -> AccountMapping:
    """Map an account to a statement line and cash-flow line (finance officers). History keeps who and when."""
    _require(by)
    cash_flow = cash_flow or ""
    check_mapping(account, line, cash_flow)
    mapping = AccountMapping.objects.select_for_update().filter(account=account).first()
    if mapping is None:
        mapping = AccountMapping(account=account)
    mapping.line, mapping.cash_flow, mapping.updated_by = line, cash_flow, by
    mapping.full_clean()
    mapping._history_user = by
    mapping.save()
    return mapping


@transaction.atomic
def mapping_apply_defaults(*, by, overwrite: bool = False) -> int:
    """Map every account without a mapping (every account with `overwrite`) to its default line; returns
    how many mappings were written. `by` None is the demo seeder and the tests' set-up."""
    if by is not None:
        _require(by)
    government = government_channels()
    existing = {m.account_id: m for m in AccountMapping.objects.select_for_update()}
    written = 0
    for account in Account.objects.select_related("channel").order_by("code"):
        mapping = existing.get(account.pk)
        if mapping is not None and not overwrite:
            continue
        line, cash_flow = default_mapping(account, government=government)
        if mapping is not None and (mapping.line, mapping.cash_flow) == (line, cash_flow):
            continue
        mapping = mapping or AccountMapping(account=account)
        mapping.line, mapping.cash_flow, mapping.updated_by = line, cash_flow, by
        mapping.full_clean()
        mapping._history_user = by
        mapping.save()
        written += 1
    return written
