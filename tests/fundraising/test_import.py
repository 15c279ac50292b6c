"""Bulk import of real-looking exports: UTF-8, UTF-8 with BOM, GBK and Excel; broken rows; the same file
twice; formulas; oversized and wrongly encoded files."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from fundraising import importing, ledger
from fundraising.models import Donation, Fund, ImportBatch
from tests.factories.fundraising import ChannelFactory

pytestmark = pytest.mark.django_db

# An online platform's export: Chinese headers, yuan amounts with symbols, a timestamp column.
MAPPING = {
    "external_id": "订单号",
    "amount": "捐赠金额(元)",
    "date": "支付时间",
    "donor_name": "捐赠人",
    "designation": "项目编号",
}
HEADER = "订单号,捐赠金额(元),支付时间,捐赠人,项目编号\n"
GOOD_ROWS = (
    'T20240301001,"￥1,200.00",2024-03-01 10:12:00,张伟,tuanjie\n'
    "T20240301002,88.8,2024/03/02 08:00:00,爱心人士,\n"
    "T20240301003,500,2024-03-03,王芳,tuanjie\n"
)


@pytest.fixture
def setup(people):
    channel = ChannelFactory(code="tencent", name="腾讯公益")
    Fund.objects.create(code="tuanjie", name="团结社区基金", kind=Fund.Kind.COMMUNITY)
    return channel, people["finance_officer"]


def _upload(channel, user, content: bytes, name="export.csv", mapping=MAPPING):
    return importing.import_upload(
        channel=channel, upload=SimpleUploadedFile(name, content), mapping=mapping, by=user
    )


def _run(batch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        importing.import_confirm(batch=batch, by=batch.uploaded_by)
    return ImportBatch.objects.get(pk=batch.pk)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_each_encoding_imports_every_row_once(setup, encoding, django_capture_on_commit_callbacks):
    channel, finance = setup
    content = (HEADER + GOOD_ROWS).encode(encoding)
    batch = _upload(channel, finance, content)
    assert batch.errors == [] and batch.valid_rows == 3
    assert [r["donor_name"] for r in batch.preview] == ["张伟", "爱心人士", "王芳"]
    batch = _run(batch, django_capture_on_commit_callbacks)
    assert batch.status == "done" and batch.created_count == 3
    assert Donation.objects.get(external_id="T20240301001").amount == Decimal("1200.00")
    assert Donation.objects.get(external_id="T20240301002").fund == ledger.general_fund()
    assert Fund.objects.get(code="tuanjie").balance == Decimal("1700.00")
    # The same file again: everything is already imported; nothing is added.
    again = _upload(channel, finance, content)
    assert again.valid_rows == 0 and again.duplicate_rows == 3
    assert Donation.objects.count() == 3
    assert ledger.ledger_verify() == []


def test_excel_export_imports(setup, django_capture_on_commit_callbacks):
    import datetime

    channel, finance = setup
    wb = Workbook()
    ws = wb.active
    ws.append(["订单号", "捐赠金额(元)", "支付时间", "捐赠人", "项目编号"])
    ws.append(["X1", 100.1, datetime.date(2024, 3, 1), "李雷", "tuanjie"])
    ws.append(["X2", 20, datetime.date(2024, 3, 2), "", ""])
    out = io.BytesIO()
    wb.save(out)
    batch = _upload(channel, finance, out.getvalue(), name="export.xlsx")
    assert batch.encoding == "xlsx" and batch.valid_rows == 2, batch.errors
    batch = _run(batch, django_capture_on_commit_callbacks)
    assert Donation.objects.get(external_id="X1").amount == Decimal("100.10")


def test_broken_rows_are_listed_with_row_and_field_and_nothing_is_imported(setup):
    channel, finance = setup
    content = (
        HEADER
        + GOOD_ROWS
        + "T4,12.345,2024-03-04,A,\n"  # 3 decimals
        + "T5,abc,2024-03-04,B,\n"  # not an amount
        + "T6,10,2999-01-01,C,\n"  # future
        + "T7,10,yesterday,D,\n"  # not a date
        + "T8,10,2024-03-04,E,nowhere\n"  # unknown designation
        + "T1,=1+1,2024-03-04,F,\n"  # a formula
        + "T20240301001,5,2024-03-04,G,\n"  # already in this file
        + ",5,2024-03-04,H,\n"  # no id
    ).encode("utf-8")
    batch = _upload(channel, finance, content)
    found = {(e["row"], e["field"]) for e in batch.errors}
    assert {
        (5, "Amount"),
        (6, "Amount"),
        (7, "Date"),
        (8, "Date"),
        (9, "Designation (fund code)"),
        (10, "Amount"),
        (11, "Transaction id"),
        (12, "Transaction id"),
    } <= found
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        importing.import_confirm(batch=batch, by=finance)
    assert Donation.objects.count() == 0


def test_missing_columns_wrong_encoding_and_oversized_files_are_refused(setup, settings):
    channel, finance = setup
    batch = _upload(channel, finance, "订单号,金额\nT1,5\n".encode())
    assert batch.status == "failed" and "Columns missing" in batch.message
    batch = _upload(channel, finance, HEADER.encode("utf-8") + b"T1,5,2024-03-01,\xff\xfe\xfa\xfb,\n")
    assert batch.status == "failed" and "encoding" in batch.message
    settings.FUNDRAISING_IMPORT_MAX_BYTES = 50
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _upload(channel, finance, (HEADER + GOOD_ROWS).encode())
    assert Donation.objects.count() == 0


def test_the_mapping_is_saved_for_the_source(setup):
    channel, finance = setup
    _upload(channel, finance, (HEADER + GOOD_ROWS).encode())
    channel.refresh_from_db()
    assert channel.column_mapping["amount"] == "捐赠金额(元)"


def test_import_page_previews_then_imports(client, setup):
    channel, finance = setup
    client.force_login(finance)
    data = {
        "channel": channel.pk,
        "file": SimpleUploadedFile("e.csv", (HEADER + GOOD_ROWS).encode("gbk")),
        "save_mapping": "on",
    }
    data.update({f"col_{k}": v for k, v in MAPPING.items()})
    response = client.post("/staff/fundraising/imports/new/", data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "张伟" in page.content.decode() and Donation.objects.count() == 0


def test_a_large_file_takes_the_bulk_path_with_history_ledger_and_totals_intact(
    setup, django_capture_on_commit_callbacks
):
    """Over bulk.MIN_ROWS rows the import writes with COPY on PostgreSQL (bulk_create on SQLite): the same
    donations, history rows, balanced ledger transactions naming their donations, monthly totals and fund
    balances either way."""
    from django.db import connection

    from fundraising import bulk
    from fundraising.models import LedgerTransaction

    channel, finance = setup
    rows = bulk.MIN_ROWS * 3
    content = HEADER + "".join(f"B{n:05d},{10 + n}.50,2024-0{1 + n % 9}-15,,\n" for n in range(rows))
    batch = _run(_upload(channel, finance, content.encode()), django_capture_on_commit_callbacks)
    assert batch.status == "done" and batch.created_count == rows
    assert bulk.available(rows) == (connection.vendor == "postgresql")
    donations = Donation.objects.filter(import_batch=batch).select_related("ledger_transaction")
    assert donations.count() == rows
    total = sum(Decimal(10 + n) + Decimal("0.50") for n in range(rows))
    assert sum(d.amount for d in donations) == total
    for d in donations:
        tx = d.ledger_transaction
        assert tx.kind == LedgerTransaction.Kind.DONATION and tx.source == d and tx.date == d.received_on
        assert sorted(e.amount for e in tx.entries.all()) == [-d.amount, d.amount]
    history = Donation.history.filter(import_batch_id=batch.pk)
    assert history.count() == rows and set(history.values_list("history_type", flat=True)) == {"+"}
    assert set(history.values_list("history_user_id", flat=True)) == {finance.pk}
    assert ledger.general_fund().balance == total
    assert ledger.ledger_verify() == []  # chain, balances and monthly totals
    from django.core.exceptions import ValidationError

    again = _upload(channel, finance, content.encode())
    assert again.valid_rows == 0  # every row is already in
    with pytest.raises(ValidationError, match="nothing new"):
        _run(again, django_capture_on_commit_callbacks)
    assert Donation.objects.count() == rows
