"""The bill layouts the platform reads, each recognised from its header, and the money events each row
holds. Files are CSV in UTF-8 (with or without BOM) or GBK (fundraising.importing.detect_encoding).

Layouts followed:

- WeChat Pay merchant trade bill (微信支付 商户平台 / API v2 `pay/downloadbill`, bill_type=ALL, "下载交易账单",
  pay.weixin.qq.com/doc/v2/merchant/4011987833): a header row 交易时间,公众账号ID,商户号,特约商户号,设备号,
  微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,
  商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,
  申请退款金额,费率备注; every detail value prefixed with a backtick (`); then a summary header
  (总交易单数,应结订单总金额,退款总金额,...) and its totals line, which are not events. 交易状态 SUCCESS is a
  payment (a gift at 应结订单金额, or 总金额/订单金额 in older bills), REFUND or REVOKED a refund (退款金额, or
  申请退款金额) of the order 微信订单号, with its own 微信退款单号. 手续费 is the fee (negative on a refund:
  the fee returned). The older layout (总金额, 企业红包金额) is read too.
- Alipay account statement (支付宝 账务明细, the `signcustomer` bill of alipay.data.dataservice.bill.downloadurl
  .query, opendocs.alipay.com/open/204/106262): leading '#' lines (账号, 起始日期 ...), a header 账务流水号,
  业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,
  备注, and trailing '#' lines (账务明细列表结束, 支出合计, 收入合计, 导出时间). Each line is one movement of the
  account, unique by 账务流水号: 业务类型 在线支付/交易/转账 with income is a gift (the trade is 业务流水号),
  交易退款 a refund of the trade 业务流水号, 收费/服务费 the fee on the trade 业务流水号 (income: a fee returned),
  提现 a payout to the bank.
- A charity platform's donation export (腾讯公益 / 支付宝公益 style; no layout is published, so the common
  columns): 订单号,捐赠时间,捐赠金额,项目名称 required; 捐赠人,手续费,交易类型 (捐赠, 退款, 拨付),退款单号,备注
  optional. 项目名称 names the designation (a fund's or project's name, or a fund code).
- A bank statement CSV (the columns Chinese banks' online banking exports share): 交易日期,摘要,收入金额,
  支出金额,余额,对方户名,对方账号,流水号 (or 凭证号 / 交易流水号); money in and out in two columns.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..importing import CONTROL, ImportFileError, _parse_amount, _parse_date, detect_encoding, is_formula
from .models import BillLine, PlatformBill

HEADER_SEARCH_ROWS = 60


@dataclass
class Event:
    """One money event read from a row. `key` is the platform's id of the event (unique per channel and
    kind); `order` the platform's id of the gift a fee or refund belongs to."""

    row: int
    kind: str
    key: str
    occurred_on: date
    amount: Decimal
    order: str = ""
    reference: str = ""
    donor_name: str = ""
    designation: str = ""
    note: str = ""
    # Bank lines only
    balance: Decimal | None = None
    counterparty: str = ""
    counterparty_account: str = ""

    def values(self) -> dict:
        return {
            "row": self.row,
            "kind": self.kind,
            "key": self.key,
            "date": self.occurred_on.isoformat(),
            "amount": f"{self.amount}",
            "order": self.order,
            "reference": self.reference,
            "donor_name": self.donor_name,
            "designation": self.designation,
            "note": self.note,
            "balance": None if self.balance is None else f"{self.balance}",
            "counterparty": self.counterparty,
            "counterparty_account": self.counterparty_account,
        }


BANK = "bank"  # the kind of a bank statement line's event


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class Parsed:
    preset: str
    encoding: str
    events: list[Event] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


def normalise(name: str) -> str:
    """A header cell as compared: NFKC (full-width brackets to ASCII), no spaces, tabs or backticks."""
    return re.sub(r"[\s`'\"]", "", unicodedata.normalize("NFKC", name or ""))


def cell(value: str) -> str:
    """A value as the platforms write it: without the backtick WeChat puts before each detail value, the
    tab Alipay puts after ids, surrounding spaces."""
    return (value or "").strip().lstrip("`").strip()


class RowProblem(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class Preset:
    code: str
    # Columns that must all be in the header for the layout to be recognised (normalised names).
    required: tuple[str, ...] = ()

    def __init__(self, header: list[str]):
        self.index = {}
        for i, name in enumerate(header):
            self.index.setdefault(normalise(name), i)

    @classmethod
    def recognises(cls, header: list[str]) -> bool:
        names = {normalise(h) for h in header}
        return all(normalise(r) in names for r in cls.required)

    def get(self, cells: list[str], *names: str) -> str:
        for name in names:
            i = self.index.get(normalise(name))
            if i is not None and i < len(cells):
                return cell(cells[i])
        return ""

    def has(self, *names: str) -> bool:
        return any(normalise(n) in self.index for n in names)

    def column(self, *names: str) -> str:
        for name in names:
            if normalise(name) in self.index:
                return name
        return names[0]

    def text(self, cells, *names: str, limit: int = 100, required: bool = False) -> str:
        value = self.get(cells, *names)
        column = self.column(*names)
        if required and not value:
            raise RowProblem(column, _("This cell is empty."))
        if CONTROL.search(value):
            raise RowProblem(column, _("The cell holds control characters."))
        if is_formula(value):
            raise RowProblem(column, _("The cell would run as a formula in a spreadsheet; it is refused."))
        if len(value) > limit:
            raise RowProblem(column, _("At most %(n)s characters.") % {"n": limit})
        return value

    def amount(self, cells, *names: str, required: bool = True, signed: bool = False) -> Decimal | None:
        value = self.get(cells, *names)
        column = self.column(*names)
        if not value:
            if required:
                raise RowProblem(column, _("Enter an amount in yuan, such as 1250.50."))
            return None
        try:
            amount = _parse_amount(value.rstrip("%"))
        except ValidationError as exc:
            raise RowProblem(column, " ".join(exc.messages)) from None
        if not signed and amount < 0:
            raise RowProblem(column, _("The amount cannot be negative here."))
        return amount

    def fee(self, cells, *names: str) -> Decimal:
        """A fee cell: WeChat writes five decimals (0.06000); the fen is what is charged."""
        value = self.get(cells, *names)
        if not value:
            return Decimal("0.00")
        try:
            fee = Decimal(value.replace(",", ""))
        except ArithmeticError:
            raise RowProblem(self.column(*names), _("Enter an amount in yuan, such as 1250.50.")) from None
        if not fee.is_finite() or fee != fee.quantize(Decimal("0.01")):
            raise RowProblem(self.column(*names), _("Amounts have at most two decimal places (fen)."))
        return fee.quantize(Decimal("0.01"))

    def day(self, cells, *names: str) -> date:
        value = self.get(cells, *names)
        try:
            return _parse_date(value)
        except ValueError:
            raise RowProblem(
                self.column(*names), _("Enter a date such as 2026-03-31 (or 2026/03/31 10:20:00).")
            ) from None

    def is_end(self, cells: list[str]) -> bool:
        return False

    def events(self, row: int, cells: list[str]) -> list[Event]:
        raise NotImplementedError


class WeChatTradeBill(Preset):
    code = PlatformBill.Preset.WECHAT
    required = ("交易时间", "微信订单号", "商户订单号", "交易状态", "手续费")

    def is_end(self, cells):
        return normalise(cells[0] if cells else "").startswith("总交易单数")

    def events(self, row, cells):
        state = self.text(cells, "交易状态", required=True).upper()
        order = self.text(cells, "微信订单号", required=True)
        day = self.day(cells, "交易时间")
        reference = self.text(cells, "商户订单号")
        name = self.text(cells, "商品名称", limit=255)
        fee = self.fee(cells, "手续费")
        if state == "SUCCESS":
            amount = self.amount(cells, "应结订单金额", "总金额", "订单金额")
            if amount <= 0:
                raise RowProblem(
                    self.column("应结订单金额", "总金额", "订单金额"), _("A gift must be more than zero.")
                )
            out = [
                Event(
                    row, BillLine.Kind.GIFT, order, day, amount, order=order, reference=reference, note=name
                )
            ]
            if fee > 0:
                out.append(Event(row, BillLine.Kind.FEE, order, day, fee, order=order, reference=reference))
            elif fee < 0:
                raise RowProblem(self.column("手续费"), _("The fee on a payment cannot be negative."))
            return out
        if state in ("REFUND", "REVOKED"):
            refund_id = self.text(cells, "微信退款单号") or (order if state == "REVOKED" else "")
            if not refund_id:
                raise RowProblem(self.column("微信退款单号"), _("A refund needs its refund number."))
            amount = self.amount(cells, "退款金额", "申请退款金额", required=False)
            if not amount:
                amount = self.amount(cells, "应结订单金额", "总金额", "订单金额")
            out = [
                Event(
                    row,
                    BillLine.Kind.REFUND,
                    refund_id,
                    day,
                    amount,
                    order=order,
                    reference=reference,
                    note=name,
                )
            ]
            if fee:
                out.append(Event(row, BillLine.Kind.FEE_REFUND, refund_id, day, abs(fee), order=order))
            return out
        raise RowProblem(
            self.column("交易状态"),
            _("Unknown trade state “%(state)s”: SUCCESS, REFUND or REVOKED were expected.")
            % {"state": state},
        )


class AlipayAccountStatement(Preset):
    code = PlatformBill.Preset.ALIPAY
    required = ("账务流水号", "业务流水号", "发生时间", "收入金额（+元）", "支出金额（-元）", "业务类型")
    GIFT = {"在线支付", "交易", "交易付款", "转账", "收款", "即时到账"}
    REFUND = {"交易退款", "退款"}
    FEE = {"收费", "服务费", "交易服务费", "手续费"}
    PAYOUT = {"提现", "提现到银行卡"}

    def is_end(self, cells):
        return (cells[0] if cells else "").strip().startswith("#")

    def events(self, row, cells):
        key = self.text(cells, "账务流水号", required=True)
        trade = self.text(cells, "业务流水号")
        reference = self.text(cells, "商户订单号")
        day = self.day(cells, "发生时间")
        kind = self.text(cells, "业务类型", required=True)
        income = self.amount(cells, "收入金额（+元）", required=False, signed=True) or Decimal(0)
        outgo = self.amount(cells, "支出金额（-元）", required=False, signed=True) or Decimal(0)
        if income and outgo:
            raise RowProblem(self.column("支出金额（-元）"), _("A line has money in or money out, not both."))
        if not income and not outgo:
            raise RowProblem(self.column("收入金额（+元）"), _("The line moves no money."))
        name = self.text(cells, "商品名称", limit=255)
        counterparty = self.text(cells, "对方账号")
        if income > 0:
            if kind in self.GIFT:
                if not trade:
                    raise RowProblem(self.column("业务流水号"), _("This cell is empty."))
                return [
                    Event(
                        row,
                        BillLine.Kind.GIFT,
                        key,
                        day,
                        income,
                        order=trade,
                        reference=reference,
                        donor_name=counterparty,
                        note=name,
                    )
                ]
            if kind in self.FEE:
                return [
                    Event(row, BillLine.Kind.FEE_REFUND, key, day, income, order=trade, reference=reference)
                ]
        else:
            amount = abs(outgo)
            if kind in self.REFUND:
                return [
                    Event(
                        row,
                        BillLine.Kind.REFUND,
                        key,
                        day,
                        amount,
                        order=trade,
                        reference=reference,
                        note=name,
                    )
                ]
            if kind in self.FEE:
                return [Event(row, BillLine.Kind.FEE, key, day, amount, order=trade, reference=reference)]
            if kind in self.PAYOUT:
                return [Event(row, BillLine.Kind.PAYOUT, key, day, amount, reference=reference or trade)]
        message = (
            _("The business type “%(kind)s” with money in is not one the statement's import knows.")
            if income > 0
            else _("The business type “%(kind)s” with money out is not one the statement's import knows.")
        )
        raise RowProblem(self.column("业务类型"), message % {"kind": kind})


class CharityPlatformExport(Preset):
    code = PlatformBill.Preset.CHARITY
    required = ("订单号", "捐赠时间", "捐赠金额", "项目名称")

    def events(self, row, cells):
        order = self.text(cells, "订单号", required=True)
        day = self.day(cells, "捐赠时间")
        kind = self.text(cells, "交易类型") or "捐赠"
        amount = self.amount(cells, "捐赠金额")
        if amount <= 0:
            raise RowProblem(self.column("捐赠金额"), _("The amount must be more than zero."))
        fee = self.fee(cells, "手续费")
        if fee < 0:
            raise RowProblem(self.column("手续费"), _("The amount cannot be negative here."))
        note = self.text(cells, "备注", limit=255)
        if kind == "捐赠":
            designation = self.text(cells, "项目名称", limit=200)
            donor = self.text(cells, "捐赠人", limit=120)
            out = [
                Event(
                    row,
                    BillLine.Kind.GIFT,
                    order,
                    day,
                    amount,
                    order=order,
                    donor_name=donor,
                    designation=designation,
                    note=note,
                )
            ]
            if fee:
                out.append(Event(row, BillLine.Kind.FEE, order, day, fee, order=order))
            return out
        if kind == "退款":
            refund_id = self.text(cells, "退款单号", required=True)
            out = [Event(row, BillLine.Kind.REFUND, refund_id, day, amount, order=order, note=note)]
            if fee:
                out.append(Event(row, BillLine.Kind.FEE_REFUND, refund_id, day, fee, order=order))
            return out
        if kind in ("拨付", "结算", "提现"):
            return [Event(row, BillLine.Kind.PAYOUT, order, day, amount, reference=order, note=note)]
        raise RowProblem(
            self.column("交易类型"),
            _("Unknown kind “%(kind)s”: 捐赠, 退款 or 拨付 were expected.") % {"kind": kind},
        )


class BankStatement(Preset):
    code = PlatformBill.Preset.BANK
    required = ("交易日期", "摘要", "收入金额", "支出金额")
    SERIAL = ("流水号", "凭证号", "交易流水号")

    @classmethod
    def recognises(cls, header):
        names = {normalise(h) for h in header}
        return super().recognises(header) and any(s in names for s in cls.SERIAL)

    def events(self, row, cells):
        key = self.text(cells, *self.SERIAL, required=True)
        day = self.day(cells, "交易日期")
        income = self.amount(cells, "收入金额", required=False) or Decimal(0)
        outgo = self.amount(cells, "支出金额", required=False) or Decimal(0)
        if income and outgo:
            raise RowProblem(self.column("支出金额"), _("A line has money in or money out, not both."))
        if not income and not outgo:
            raise RowProblem(self.column("收入金额"), _("The line moves no money."))
        return [
            Event(
                row,
                BANK,
                key,
                day,
                income or -outgo,
                reference=self.text(cells, "摘要", limit=200),
                balance=self.amount(cells, "余额", "账户余额", required=False, signed=True),
                counterparty=self.text(cells, "对方户名", "对方名称", limit=200),
                counterparty_account=self.text(cells, "对方账号", limit=100),
            )
        ]


PRESETS: dict[str, type[Preset]] = {
    p.code: p for p in (WeChatTradeBill, AlipayAccountStatement, CharityPlatformExport, BankStatement)
}


def _decode(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise ImportFileError(_("The file is empty."), code="empty")
    if data.startswith(b"PK\x03\x04") or data.count(b"\x00") > len(data) // 10:
        raise ImportFileError(
            _("A bill is read from its CSV file: save it as CSV (UTF-8 or GBK)."), code="type"
        )
    encoding = detect_encoding(data[:65536])
    try:
        return encoding, data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "gb18030"
        try:
            return encoding, data.decode(encoding)
        except UnicodeDecodeError:
            raise ImportFileError(
                _("The file's text encoding was not recognised: save it as UTF-8 or GBK."), code="encoding"
            ) from None


def parse(data: bytes, *, preset: str = "") -> Parsed:
    """Read a bill: find its layout's header in the first lines (or check the one asked for), then every
    row's events or the row's problem (row = the line number in the file)."""
    encoding, text = _decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFileError(
            _("The file cannot be read as CSV: %(error)s") % {"error": exc}, code="csv"
        ) from None
    found = None
    for number, cells in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        if cells and cells[0].strip().startswith("#"):
            continue
        for code, cls in PRESETS.items():
            if (not preset or preset == code) and cls.recognises(cells):
                found = (number, cls(cells), code)
                break
        if found:
            break
    if found is None:
        if preset:
            raise ImportFileError(
                _("This file's header is not the header of a %(layout)s (columns %(columns)s).")
                % {
                    "layout": PlatformBill.Preset(preset).label,
                    "columns": ", ".join(PRESETS[preset].required),
                },
                code="header",
            )
        raise ImportFileError(
            _(
                "No bill layout recognised from the file's header (WeChat Pay trade bill, Alipay account "
                "statement, charity platform export, bank statement). Use the column-mapping import for other "
                "files."
            ),
            code="header",
        )
    header_row, reader, code = found
    parsed = Parsed(preset=code, encoding=encoding)
    for number, cells in enumerate(rows[header_row:], start=header_row + 1):
        if not any(c.strip() for c in cells):
            continue
        if reader.is_end(cells):
            break
        parsed.rows += 1
        try:
            parsed.events.extend(reader.events(number, cells))
        except RowProblem as problem:
            parsed.errors.append(RowError(number, problem.column, problem.message))
    return parsed
