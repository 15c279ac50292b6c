"""Demo bills: an Alipay merchant account statement (gifts, the platform's fees, a refund with its fee
returned, a payout to the bank), a WeChat Pay trade bill (gifts with fees; WeChat lists no payouts) and the
bank statement of the same days: the Alipay payout (matched), WeChat's settlement of what it held (recorded
as WeChat's payout from the bank line, as a finance officer does on the bank line's screen) and an account
fee that matches nothing in the books and waits on the reconciliation screen. Dated in the first open
month, up to today. Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .. import ledger
from ..models import Channel
from . import reconcile, services
from .models import BankLine, PlatformBill

MARKER = "demo-alipay-statement.csv"


def _days() -> list[datetime.date]:
    """Four days in the first open month, none after today."""
    today = timezone.localdate()
    last = ledger.closed_through()
    start = ledger._next_month(last) if last else today.replace(day=1)
    start = max(start, today.replace(day=1) - datetime.timedelta(days=27))
    return [min(start + datetime.timedelta(days=n), today) for n in (2, 3, 4, 5)]


def _alipay(days) -> str:
    d = [f"{day:%Y-%m-%d}" for day in days]
    n = f"{days[0]:%Y%m%d}"
    rows = [
        (
            f"{n}0001",
            f"{n}22001400001",
            f"ALI{n}001",
            "公益捐赠",
            f"{d[0]} 10:20:30",
            "ch***@163.com",
            "300.00",
            "",
            "在线支付",
            "",
        ),
        (
            f"{n}0002",
            f"{n}22001400001",
            f"ALI{n}001",
            "服务费",
            f"{d[0]} 10:20:30",
            "",
            "",
            "-1.80",
            "收费",
            f"服务费[{n}22001400001]",
        ),
        (
            f"{n}0003",
            f"{n}22001400002",
            f"ALI{n}002",
            "公益捐赠",
            f"{d[0]} 15:01:12",
            "wa***@qq.com",
            "1000.00",
            "",
            "在线支付",
            "",
        ),
        (
            f"{n}0004",
            f"{n}22001400002",
            f"ALI{n}002",
            "服务费",
            f"{d[0]} 15:01:12",
            "",
            "",
            "-6.00",
            "收费",
            f"服务费[{n}22001400002]",
        ),
        (
            f"{n}0005",
            f"{n}22001400003",
            f"ALI{n}003",
            "公益捐赠",
            f"{d[1]} 09:12:00",
            "li***@126.com",
            "200.00",
            "",
            "在线支付",
            "",
        ),
        (
            f"{n}0006",
            f"{n}22001400003",
            f"ALI{n}003",
            "服务费",
            f"{d[1]} 09:12:00",
            "",
            "",
            "-1.20",
            "收费",
            f"服务费[{n}22001400003]",
        ),
        (
            f"{n}0007",
            f"{n}22001400003",
            f"ALI{n}003",
            "退款",
            f"{d[1]} 18:30:00",
            "li***@126.com",
            "",
            "-200.00",
            "交易退款",
            "捐赠人申请退款",
        ),
        (
            f"{n}0008",
            f"{n}22001400003",
            f"ALI{n}003",
            "服务费退回",
            f"{d[1]} 18:30:00",
            "",
            "1.20",
            "",
            "收费",
            f"退服务费[{n}22001400003]",
        ),
        (f"{n}0009", "", "", "提现", f"{d[2]} 10:00:00", "", "", "-1292.20", "提现", "提现到银行卡"),
    ]
    balance = 0
    lines = [
        "#支付宝账务明细查询",
        "#账号：[20881234567890120156]",
        f"#起始日期：[{days[0]:%Y年%m月%d日} 00:00:00]   终止日期：[{days[3]:%Y年%m月%d日} 00:00:00]",
        "#-----------------------------------------账务明细列表----------------------------------------",
        "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注",
    ]
    from decimal import Decimal  # noqa: PLC0415

    balance = Decimal(0)
    for key, trade, ref, name, when, other, income, outgo, kind, note in rows:
        balance += Decimal(income or 0) + Decimal(outgo or 0)
        cells = [key, trade, ref, name, when, other, income, outgo, f"{balance:.2f}", "支付宝", kind, note]
        lines.append(",".join(f"{c}\t" for c in cells))
    lines += [
        "#-----------------------------------------账务明细列表结束------------------------------------",
        "#支出合计：5笔，共-1500.20元",
        "#收入合计：4笔，共1501.20元",
        f"#导出时间：[{days[3]:%Y年%m月%d日} 11:13:45]",
    ]
    return "\n".join(lines) + "\n"


def _wechat(days) -> str:
    header = (
        "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
        "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
        "手续费,费率,订单金额,申请退款金额,费率备注"
    )
    n = f"{days[1]:%Y%m%d}"
    rows = []
    for i, (amount, fee) in enumerate([("100.00", "0.60"), ("500.00", "3.00"), ("50.00", "0.30")], start=1):
        cells = [
            f"{days[1]:%Y-%m-%d} 1{i}:00:00",
            "wx2421b1c4370ec43b",
            "1900000109",
            "0",
            "",
            f"42000{n}{i:05d}",
            f"WX{n}{i:03d}",
            f"oUpF8uDemo{i:019d}",
            "JSAPI",
            "SUCCESS",
            "CMB_DEBIT",
            "CNY",
            amount,
            "0.00",
            "0",
            "0",
            "0.00",
            "0.00",
            "",
            "",
            "社区慈善捐赠",
            "",
            f"{fee}000",
            "0.60%",
            amount,
            "0.00",
            "",
        ]
        rows.append(",".join(f"`{c}" for c in cells))
    return (
        "\n".join(
            [
                header,
                *rows,
                "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
                "`3,`650.00,`0.00,`0.00,`3.90000,`650.00,`0.00",
            ]
        )
        + "\n"
    )


def _bank(days) -> str:
    return (
        "\n".join(
            [
                "交易日期,摘要,收入金额,支出金额,余额,对方户名,对方账号,流水号",
                f"{days[2]:%Y-%m-%d},支付宝提现,1292.20,,81292.20,支付宝（中国）网络技术有限公司,215500690,DEMO{days[2]:%Y%m%d}01",
                f"{days[2]:%Y-%m-%d},微信支付结算 1900000109,646.10,,81938.30,财付通支付科技有限公司,1100605760,DEMO{days[2]:%Y%m%d}03",
                f"{days[3]:%Y-%m-%d},账户管理费,,15.00,81923.30,,,DEMO{days[3]:%Y%m%d}02",
            ]
        )
        + "\n"
    )


def _load(channel, name: str, text: str, encoding: str, finance) -> None:
    data = text.encode(encoding)
    bill = services.bill_upload(
        channel=channel, upload=SimpleUploadedFile(name, data, content_type="text/csv"), by=finance
    )
    if bill.errors or not bill.summary.get("new"):
        return
    services.bill_import(bill=bill, by=finance)


def seed(ctx) -> None:
    if PlatformBill.objects.filter(filename=MARKER).exists():
        return
    finance = get_user_model().objects.filter(email="finance@demo.example").first()
    if finance is None:
        return
    days = _days()
    alipay, _ = Channel.objects.get_or_create(
        code="alipay-merchant", defaults={"name": "Alipay merchant account", "kind": Channel.Kind.ONLINE}
    )
    wechat, _ = Channel.objects.get_or_create(
        code="wechat-pay", defaults={"name": "WeChat Pay merchant account", "kind": Channel.Kind.ONLINE}
    )
    bank, _ = Channel.objects.get_or_create(
        code="bank", defaults={"name": "Foundation bank account", "kind": Channel.Kind.BANK}
    )
    _load(alipay, MARKER, _alipay(days), "gbk", finance)
    _load(wechat, "demo-wechat-trade-bill.csv", _wechat(days), "utf-8-sig", finance)
    _load(bank, "demo-bank-statement.csv", _bank(days), "gbk", finance)
    settlement = BankLine.objects.filter(
        channel=bank, external_id=f"DEMO{days[2]:%Y%m%d}03", status=BankLine.Status.UNMATCHED
    ).first()
    if settlement is not None and reconcile.platform_holdings().get(wechat.pk, 0) >= settlement.amount:
        reconcile.line_record_payout(line=settlement, channel=wechat, by=finance)
    ctx.stdout.write(
        "  bills: an Alipay statement, a WeChat Pay bill and a bank statement with one line to reconcile"
    )
