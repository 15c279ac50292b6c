"""Reconciling the bank statement: exact, near and by-reference matches, a line left unmatched, matching and
explaining by hand, the month-close guard, and the state per account and month."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fundraising import ledger
from fundraising.bills import reconcile, services
from fundraising.bills.models import BankLine, BillLine
from fundraising.models import PeriodClose
from fundraising.selectors.reconciliation import reconciliation_state, unsettled_payouts

from .conftest import sample, upload

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)


def load(channel, user, data):
    bill = upload(channel, user, data)
    assert bill.errors == []
    services.bill_import(bill=bill, by=user)
    return bill


@pytest.fixture
def books(channels, finance, elder_fund):
    """The Alipay statement (payout of 994.00 on 11-06), the charity platform's export (payout of 119.28 on
    11-09), then the bank statement: 994.00 on 11-06 (exact), 119.28 on 11-11 (near), −15.00 (nothing)."""
    load(channels["alipay-account"], finance, sample("alipay_account_statement.csv", drop="2026年13月"))
    load(channels["tencent"], finance, sample("charity_platform_export.csv", drop="不存在的项目"))
    load(channels["bank"], finance, sample("bank_statement.csv", drop="abc"))
    return {line.external_id: line for line in BankLine.objects.all()}


def test_exact_near_and_unmatched_lines(books):
    exact, near, charge = books["B2026110600001"], books["B2026110900002"], books["B2026111200003"]
    assert (exact.status, exact.method) == (BankLine.Status.MATCHED, BankLine.Method.EXACT)
    assert exact.matched_transaction.bill_line.kind == BillLine.Kind.PAYOUT
    assert exact.matched_transaction.bill_line.channel.code == "alipay-account"
    assert (near.status, near.method) == (BankLine.Status.MATCHED, BankLine.Method.NEAR)
    assert near.matched_transaction.bill_line.external_id == "BF2026110900001"
    assert charge.status == BankLine.Status.UNMATCHED
    assert not unsettled_payouts().exists()


def test_a_line_outside_the_window_matches_by_the_reference_it_names(channels, finance, elder_fund):
    load(channels["tencent"], finance, sample("charity_platform_export.csv", drop="不存在的项目"))
    statement = (
        "交易日期,摘要,收入金额,支出金额,余额,对方户名,对方账号,流水号\n"
        "2026-11-25,腾讯公益拨付 BF2026110900001,119.28,,119.28,财付通支付科技有限公司,1100605760,R1\n"
        "2026-11-26,退款,119.28,,238.56,某某,1,R2\n"
    )
    load(channels["bank"], finance, statement.encode("gbk"))
    named, other = BankLine.objects.get(external_id="R1"), BankLine.objects.get(external_id="R2")
    assert (named.status, named.method) == (BankLine.Status.MATCHED, BankLine.Method.REFERENCE)
    assert other.status == BankLine.Status.UNMATCHED  # same amount, but far off and naming nothing


def test_a_payout_imported_after_the_statement_is_matched_then(channels, finance, elder_fund):
    load(channels["bank"], finance, sample("bank_statement.csv", drop="abc"))
    assert BankLine.objects.filter(status=BankLine.Status.MATCHED).count() == 0
    load(channels["alipay-account"], finance, sample("alipay_account_statement.csv", drop="2026年13月"))
    assert BankLine.objects.get(external_id="B2026110600001").status == BankLine.Status.MATCHED


def test_match_by_hand_refuses_another_amount_and_a_taken_transaction(books, finance):
    charge = books["B2026111200003"]
    payout_tx = books["B2026110600001"].matched_transaction
    with pytest.raises(ValidationError) as exc:
        reconcile.line_match(line=charge, tx=payout_tx, by=finance)
    assert "transaction" in exc.value.message_dict
    # An expenditure the foundation paid from the bank, recorded in the books: −15.00 on the bank account.
    fee = ledger.ledger_post(
        date=datetime.date(2026, 11, 12),
        memo="Bank account fee",
        kind="adjustment",
        lines=[
            ledger.Line(
                ledger.expense_account("admin", "management"), ledger.general_fund(), Decimal("15.00")
            ),
            ledger.Line(ledger.cash_account(), ledger.general_fund(), Decimal("-15.00")),
        ],
    )
    assert fee in reconcile.candidates(charge)
    line = reconcile.line_match(line=charge, tx=fee, by=finance)
    assert (line.status, line.method, line.resolved_by) == ("matched", "manual", finance)
    with pytest.raises(ValidationError, match="already reconciled"):
        reconcile.line_match(line=line, tx=fee, by=finance)


def test_the_month_closes_only_when_every_bank_line_is_reconciled(books, finance, people):
    with pytest.raises(ValidationError) as exc:
        ledger.period_close(month=NOVEMBER, closed_by=finance)
    assert "1 bank statement line" in exc.value.message_dict["month"][0]
    assert not PeriodClose.objects.exists()
    # Closing October is not held up by November's line.
    ledger.period_close(month=datetime.date(2026, 10, 1), closed_by=finance)

    charge = books["B2026111200003"]
    with pytest.raises(ValidationError) as exc:
        reconcile.line_explain(line=charge, reason="  ", by=finance)
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        reconcile.line_explain(line=charge, reason="Bank fee", by=people["programme_officer"])
    explained = reconcile.line_explain(line=charge, reason="银行账户管理费，已在12月入账", by=finance)
    assert explained.status == BankLine.Status.EXPLAINED
    assert explained.history.first().history_user == finance

    ledger.period_close(month=NOVEMBER, closed_by=finance)
    with pytest.raises(ValidationError, match="closed"):
        reconcile.line_reopen(line=explained, by=finance)


def test_reconciliation_state_per_account_and_month(books):
    rows = {(r["kind"], r["account"]): r for r in reconciliation_state() if r["month"] == NOVEMBER}
    bank = rows[("bank", "Foundation bank account")]
    assert (bank["lines"], bank["matched"], bank["explained"], bank["left"], bank["done"]) == (
        3,
        2,
        0,
        1,
        False,
    )
    assert bank["money_in"] == Decimal("1113.28") and bank["money_out"] == Decimal("-15.00")
    assert bank["statement_balance"] == Decimal("51098.28")
    assert bank["ledger_balance"] == Decimal("1113.28")  # the two payouts are the only bank money
    alipay = rows[("platform", "Alipay merchant account")]
    assert (alipay["lines"], alipay["matched"], alipay["left"], alipay["held"]) == (1, 1, 0, Decimal("0.00"))
