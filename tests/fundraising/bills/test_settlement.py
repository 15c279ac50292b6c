"""A platform whose bill lists no payouts (WeChat Pay settles to the bank by itself): its settlement reaches
the books only through the bank statement. The finance officer records that bank line as the platform's
payout: the money moves from what the platform holds to the bank, the line is matched, and a line the
platform cannot have paid (more than it holds, or money out) is refused with nothing written."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from fundraising import ledger
from fundraising.bills import reconcile
from fundraising.bills.models import BankLine
from fundraising.models import LedgerTransaction
from tests.conftest import requires_postgres

from .conftest import sample
from .test_presets import assert_books_sound, balance
from .test_reconcile import load

pytestmark = pytest.mark.django_db

STATEMENT = (
    "交易日期,摘要,收入金额,支出金额,余额,对方户名,对方账号,流水号\n"
    "2026-11-04,微信支付结算 1900000109,695.80,,695.80,财付通支付科技有限公司,1100605760,W1\n"
    "2026-11-05,微信支付结算 1900000109,900.00,,1595.80,财付通支付科技有限公司,1100605760,W2\n"
    "2026-11-06,手续费,,12.00,1583.80,,,W3\n"
)


@pytest.fixture
def settled(channels, finance):
    """The WeChat trade bill (held after fees and the refund: 695.80 for the general fund) and the bank
    statement with its settlement (695.80), a line WeChat cannot have paid (900.00) and a charge."""
    load(channels["wechat-pay"], finance, sample("wechat_trade_bill.csv", drop="oUpF8uBadRow"))
    load(channels["bank"], finance, STATEMENT.encode("gbk"))
    return {line.external_id: line for line in BankLine.objects.all()}


def test_a_settlement_line_is_recorded_as_the_platforms_payout(settled, channels, finance):
    wechat = channels["wechat-pay"]
    general = ledger.general_fund()
    line = settled["W1"]
    assert line.status == BankLine.Status.UNMATCHED  # the trade bill has no payout to match it to
    assert reconcile.platform_holdings() == {wechat.pk: balance("asset:clearing:wechat-pay")}
    held = balance("asset:clearing:wechat-pay", general)
    assert held == balance("asset:clearing:wechat-pay") == Decimal("695.80")
    bank_before = balance("asset:bank", general)

    reconcile.line_record_payout(line=line, channel=wechat, by=finance)
    line.refresh_from_db()
    assert (line.status, line.method, line.resolved_by) == (
        BankLine.Status.MATCHED,
        BankLine.Method.PAYOUT,
        finance,
    )
    assert balance("asset:clearing:wechat-pay") == held - line.amount
    assert balance("asset:bank", general) == bank_before + line.amount
    assert reconcile.platform_holdings() == {}
    assert_books_sound()

    # Undone and matched again automatically: the payout is in the books, so the line finds it.
    reconcile.line_reopen(line=line, by=finance)
    assert reconcile.match_all() == 1
    line.refresh_from_db()
    assert line.status == BankLine.Status.MATCHED and line.method == BankLine.Method.EXACT


def test_a_line_the_platform_cannot_have_paid_is_refused_with_nothing_written(settled, channels, finance):
    wechat = channels["wechat-pay"]
    transactions = LedgerTransaction.objects.count()
    with pytest.raises(ValidationError) as refused:
        reconcile.line_record_payout(line=settled["W2"], channel=wechat, by=finance)
    assert "holds 695.80" in refused.value.message_dict["channel"][0]
    with pytest.raises(ValidationError) as refused:
        reconcile.line_record_payout(line=settled["W3"], channel=wechat, by=finance)
    assert "money out" in refused.value.message_dict["channel"][0]
    assert LedgerTransaction.objects.count() == transactions
    assert BankLine.objects.filter(status=BankLine.Status.UNMATCHED).count() == 3

    reconcile.line_record_payout(line=settled["W1"], channel=wechat, by=finance)
    with pytest.raises(ValidationError, match="already reconciled"):
        reconcile.line_record_payout(line=settled["W1"], channel=wechat, by=finance)


def test_the_bank_line_screen_records_a_payout_and_shows_a_refusal_at_its_field(
    settled, channels, client, finance, people
):
    client.force_login(finance, backend="django.contrib.auth.backends.ModelBackend")
    wechat = channels["wechat-pay"]
    url = reverse("fundraising:bank_line_detail", args=[settled["W2"].pk])
    page = client.get(url).content.decode()
    assert 'id="payout-form"' in page and "WeChat Pay merchant account (holds ¥695.80)" in page
    response = client.post(url, {"action": "payout", "channel": wechat.pk})
    assert response.status_code == 400
    assert "less than the line" in response.content.decode()
    assert BankLine.objects.get(pk=settled["W2"].pk).status == BankLine.Status.UNMATCHED

    # Money out is never offered as a payout.
    assert (
        'id="payout-form"'
        not in client.get(reverse("fundraising:bank_line_detail", args=[settled["W3"].pk])).content.decode()
    )

    url = reverse("fundraising:bank_line_detail", args=[settled["W1"].pk])
    response = client.post(url, {"action": "payout", "channel": wechat.pk})
    assert response.status_code == 302
    assert BankLine.objects.get(pk=settled["W1"].pk).method == BankLine.Method.PAYOUT

    # Someone without the finance role cannot.
    client.force_login(people["programme_officer"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(
        reverse("fundraising:bank_line_detail", args=[settled["W2"].pk]),
        {"action": "payout", "channel": wechat.pk},
    ).status_code in (302, 403)
    assert BankLine.objects.get(pk=settled["W2"].pk).status == BankLine.Status.UNMATCHED


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_recording_payouts_at_once_never_move_more_than_the_platform_holds(channels, finance):
    """WeChat holds 695.80; two settlement lines of 400.00 recorded at the same moment: one is recorded, the
    other refused at its field with what is left (295.80), and the clearing account never goes below zero."""
    load(channels["wechat-pay"], finance, sample("wechat_trade_bill.csv", drop="oUpF8uBadRow"))
    statement = (
        "交易日期,摘要,收入金额,支出金额,余额,对方户名,对方账号,流水号\n"
        "2026-11-04,微信支付结算,400.00,,400.00,财付通支付科技有限公司,1100605760,P1\n"
        "2026-11-05,微信支付结算,400.00,,800.00,财付通支付科技有限公司,1100605760,P2\n"
    )
    load(channels["bank"], finance, statement.encode("gbk"))
    lines = list(BankLine.objects.order_by("external_id"))
    barrier = threading.Barrier(len(lines))
    outcomes = []

    def record(line):
        try:
            barrier.wait()
            reconcile.line_record_payout(line=line, channel=channels["wechat-pay"], by=finance)
            outcomes.append("recorded")
        except ValidationError as exc:
            outcomes.append("refused")
            messages.extend(exc.messages)
        finally:
            connection.close()

    messages = []
    threads = [threading.Thread(target=record, args=(line,)) for line in lines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["recorded", "refused"]
    # Refused at the field, from what the platform holds once the other payout is in (the channel's row
    # lock orders the two), not by a posting that failed later.
    assert messages and "holds 295.80" in messages[0], messages
    assert balance("asset:clearing:wechat-pay") == Decimal("295.80")
    assert_books_sound()
