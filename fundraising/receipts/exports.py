"""The register as a file for the financial receipt system (财政票据管理系统) import: one row per receipt, voided
ones included, under the fixed Chinese column names such an import expects (they are a file format, not
interface text, so they are not translated). 状态 is 正常 for a live receipt and 作废 for a voided one; a
reissued receipt names the receipt it replaces in 原票据代码/原票据号码. CSV in UTF-8 with a byte-order mark
(so spreadsheet programs read the Chinese) and XLSX with the amount as a number.

`register_sync_csv` writes the same register in the field layout of the published public-welfare e-receipt
synchronisation interface (Alipay's `alipay.fund.trans.invoice.syncdata.modify`, as its SDKs document it):
one row per receipt with invoice_code, invoice_number, invoice_name, amount, payer_name, invoice_type
(person / enterprise), status (1 normal, 2 voided, 4 voided and replaced by another receipt: 已换开), type (2
donation), time (the issue day's start as a Unix timestamp in seconds), party_name (the foundation), and
trade_no_list (the donation's platform order), for a finance officer who hands the register to such a system."""

import csv
import io
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook

from empowerment.spreadsheets import safe_cell

from .models import OfficialReceipt

COLUMNS = [
    "票据代码",
    "票据号码",
    "开票日期",
    "交款人",
    "交款人类型",
    "交款人手机号",
    "交款人邮箱",
    "金额",
    "捐赠项目",
    "捐赠流水号",
    "状态",
    "作废原因",
    "作废日期",
    "原票据代码",
    "原票据号码",
]

STATE = {
    OfficialReceipt.State.ISSUED: "正常",
    OfficialReceipt.State.REISSUED: "正常",
    OfficialReceipt.State.VOIDED: "作废",
}


def rows(receipts):
    for r in receipts.iterator(chunk_size=1000) if hasattr(receipts, "iterator") else receipts:
        yield [
            r.code,
            r.number,
            r.issued_on.isoformat(),
            r.payer_name,
            "单位" if r.funder_id and r.funder.kind != "individual" else "个人",
            r.payer_phone,
            r.payer_email,
            r.amount,
            r.donation.fund.name,
            r.donation.receipt_number,
            STATE[r.state],
            r.void_reason,
            r.voided_at.date().isoformat() if r.voided_at else "",
            r.replaces.code if r.replaces_id else "",
            r.replaces.number if r.replaces_id else "",
        ]


def register_csv(receipts) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows(receipts):
        writer.writerow([safe_cell(f"{v:.2f}" if i == 7 else v) for i, v in enumerate(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def register_xlsx(receipts) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "票据登记"
    ws.append(COLUMNS)
    for row in rows(receipts):
        ws.append([safe_cell(v) for v in row])
        ws.cell(row=ws.max_row, column=8).number_format = "0.00"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# The e-receipt synchronisation layout ------------------------------------------------------------------------

SYNC_COLUMNS = [
    "invoice_code",
    "invoice_number",
    "invoice_name",
    "amount",
    "payer_name",
    "invoice_type",
    "status",
    "type",
    "time",
    "party_name",
    "trade_no_list",
]
SYNC_INVOICE_NAME = "公益事业捐赠统一票据"
SYNC_DONATION = "2"
SYNC_NORMAL, SYNC_VOIDED, SYNC_REPLACED = "1", "2", "4"


def sync_rows(receipts):
    """The register's receipts in the e-receipt synchronisation layout (see the module's docstring)."""
    replaced = set(
        OfficialReceipt.objects.filter(replaces__isnull=False).values_list("replaces_id", flat=True)
    )
    party = str(settings.SITE_NAME)
    tz = timezone.get_current_timezone()
    for r in receipts.iterator(chunk_size=1000) if hasattr(receipts, "iterator") else receipts:
        if r.state == OfficialReceipt.State.VOIDED:
            status = SYNC_REPLACED if r.pk in replaced else SYNC_VOIDED
        else:
            status = SYNC_NORMAL
        yield [
            r.code,
            r.number,
            SYNC_INVOICE_NAME,
            f"{r.amount:.2f}",
            r.payer_name,
            "enterprise" if r.funder_id and r.funder.kind != "individual" else "person",
            status,
            SYNC_DONATION,
            str(int(datetime.combine(r.issued_on, time.min, tzinfo=tz).timestamp())),
            party,
            r.donation.external_id or r.donation.receipt_number,
        ]


def register_sync_csv(receipts) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SYNC_COLUMNS)
    for row in sync_rows(receipts):
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
