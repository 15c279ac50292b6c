"""Bulk import of donation exports from banks and online platforms (CSV or Excel; UTF-8, UTF-8 with BOM or
GBK). A streaming reader yields rows one at a time; `import_dry_run` lists every row that would be imported
and every row in error (row number and field); `import_run` imports all or nothing, in batches inside one
transaction, posting through the ledger's bulk path. The same file twice adds nothing: each row's channel and
external id are unique."""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment.money import to_money

from . import ledger, services
from .models import Channel, Donation, Fund, ImportBatch

FIELDS = ["external_id", "receipt_number", "amount", "date", "donor_name", "show_name", "designation", "note"]
REQUIRED = ["external_id", "amount", "date"]
FIELD_LABELS = {
    "external_id": "Transaction id",
    "receipt_number": "Receipt number",
    "amount": "Amount",
    "date": "Date",
    "donor_name": "Donor name",
    "show_name": "Name may be shown",
    "designation": "Designation (fund code)",
    "note": "Note",
}
DATE_FORMATS = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日",
    "%Y%m%d",
]
PREVIEW_LIMIT = 1000
ERROR_LIMIT = 1000
BATCH = 1000
TRUE = {"1", "yes", "y", "true", "是", "同意", "公开"}


def max_bytes() -> int:
    return getattr(settings, "FUNDRAISING_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


class ImportFileError(ValidationError):
    """The whole file is unusable (encoding, type, size, missing columns)."""


@dataclass
class RowResult:
    number: int
    values: dict
    errors: list[tuple[str, str]]


# Reading -----------------------------------------------------------------------------------------------


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's text encoding was not recognised: save it as UTF-8 or GBK."), code="encoding"
        ) from None


def _is_xlsx(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def read_rows(fileobj) -> tuple[str, list[str], Iterator[tuple[int, list]]]:
    """(encoding or 'xlsx', header, iterator of (row number, cells)) without loading the file in memory."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_bytes():
        raise ImportFileError(
            _("The file is too large: %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(max_bytes() / 1048576, 1)},
            code="too_large",
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."), code="empty")
    head = fileobj.read(65536)
    fileobj.seek(0)
    if _is_xlsx(head):
        return _read_xlsx(fileobj)
    if b"\x00" in head:
        raise ImportFileError(_("This is not a CSV or Excel (.xlsx) file."), code="type")
    encoding = detect_encoding(head)
    text = io.TextIOWrapper(fileobj, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty."), code="empty") from None
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's text encoding was not recognised: save it as UTF-8 or GBK."), code="encoding"
        ) from None

    def rows():
        number = 1
        try:
            for cells in reader:
                number += 1
                if any(c.strip() for c in cells):
                    yield number, cells
        except UnicodeDecodeError:
            raise ImportFileError(
                _("Row %(row)s is not in the file's encoding (%(encoding)s).")
                % {"row": number + 1, "encoding": encoding},
                code="encoding",
            ) from None
        except csv.Error as exc:
            raise ImportFileError(
                _("Row %(row)s cannot be read: %(error)s") % {"row": number + 1, "error": exc}, code="csv"
            ) from None

    return encoding, [h.strip() for h in header], rows()


def _read_xlsx(fileobj):
    from openpyxl import load_workbook  # noqa: PLC0415

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False)
    except Exception:
        raise ImportFileError(
            _("The Excel file could not be read; it may be damaged."), code="broken"
        ) from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = ["" if c is None else str(c).strip() for c in next(iterator)]
    except StopIteration:
        raise ImportFileError(_("The file is empty."), code="empty") from None

    def rows():
        for number, cells in enumerate(iterator, start=2):
            values = ["" if c is None else c for c in cells]
            if any(str(c).strip() for c in values):
                yield number, values
        workbook.close()

    return "xlsx", header, rows()


# Parsing one row ----------------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise ValueError


def _parse_amount(value) -> Decimal:
    if isinstance(value, float):
        value = repr(value)  # Excel stores numbers as floats; their shortest text is exact to the fen
    if isinstance(value, int):
        value = str(value)
    text = re.sub(r"[¥￥,，\s元]|RMB|CNY", "", _text(value))
    return to_money(text)


class RowParser:
    """Turns a row's cells into donation values, with the errors found (field, message)."""

    def __init__(self, channel: Channel, header: list[str], mapping: dict):
        self.channel = channel
        self.columns = {}
        missing = []
        for field in FIELDS:
            column = (mapping.get(field) or "").strip()
            if not column:
                if field in REQUIRED:
                    missing.append(FIELD_LABELS[field])
                continue
            if column not in header:
                missing.append(f"{FIELD_LABELS[field]} ({column})")
                continue
            self.columns[field] = header.index(column)
        if missing:
            raise ImportFileError(
                _("Columns missing from the file: %(columns)s. Check the column mapping.")
                % {"columns": ", ".join(missing)},
                code="columns",
            )
        self.funds = {f.code: f for f in Fund.objects.all()}
        self.default_fund = (
            self.funds.get((mapping.get("default_designation") or "").strip()) or ledger.general_fund()
        )
        self.today = timezone.localdate()
        last_closed = ledger.closed_through()
        self.first_open = ledger._next_month(last_closed) if last_closed else None
        self.seen: set[str] = set()

    def parse(self, number: int, cells: list) -> RowResult:
        raw = {field: (cells[i] if i < len(cells) else "") for field, i in self.columns.items()}
        errors: list[tuple[str, str]] = []
        values: dict = {}
        for field, value in raw.items():
            if isinstance(value, str) and value.strip()[:1] in ("=", "@"):
                errors.append((field, _("Formulas are not accepted.")))
                raw[field] = ""
        external_id = _text(raw.get("external_id", ""))[:100]
        if not external_id:
            errors.append(("external_id", _("The transaction id is missing.")))
        elif external_id in self.seen:
            errors.append(("external_id", _("The transaction id appears twice in the file.")))
        self.seen.add(external_id)
        values["external_id"] = external_id
        values["receipt_number"] = (_text(raw.get("receipt_number", "")) or external_id)[:64]
        try:
            amount = _parse_amount(raw.get("amount", ""))
            if amount <= 0:
                errors.append(("amount", _("The amount must be more than zero.")))
            values["amount"] = amount
        except ValidationError as exc:
            errors.append(("amount", exc.messages[0]))
        try:
            received_on = _parse_date(raw.get("date", ""))
            if received_on > self.today:
                errors.append(("date", _("The date cannot be in the future.")))
            if self.first_open and received_on < self.first_open:
                errors.append(
                    ("date", _("The month %(month)s is closed.") % {"month": received_on.strftime("%Y-%m")})
                )
            values["date"] = received_on
        except ValueError:
            errors.append(("date", _("Not a date (use 2024-03-31).")))
        values["donor_name"] = _text(raw.get("donor_name", ""))[:120]
        values["show_name"] = _text(raw.get("show_name", "")).lower() in TRUE
        code = _text(raw.get("designation", ""))
        if code:
            fund = self.funds.get(code)
            if fund is None:
                errors.append(("designation", _("Unknown designation %(code)s.") % {"code": code[:40]}))
            values["fund"] = fund
        else:
            values["fund"] = self.default_fund
        values["note"] = _text(raw.get("note", ""))[:255]
        return RowResult(number, values, errors)


def _existing_external_ids(channel, ids: list[str]) -> set[str]:
    return set(
        Donation.objects.filter(channel=channel, external_id__in=ids).values_list("external_id", flat=True)
    )


def _existing_receipts(channel, numbers: list[str]) -> set[str]:
    return set(
        Donation.objects.filter(channel=channel, receipt_number__in=numbers).values_list(
            "receipt_number", flat=True
        )
    )


def _chunks(results, size):
    chunk = []
    for item in results:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def scan(batch: ImportBatch):
    """Parse the stored file: yields lists of (RowResult, duplicate?) per chunk."""
    with batch.file.open("rb") as fh:
        encoding, header, rows = read_rows(fh)
        parser = RowParser(batch.channel, header, batch.channel.column_mapping or {})
        for chunk in _chunks((parser.parse(n, cells) for n, cells in rows), BATCH):
            ids = [r.values["external_id"] for r in chunk if r.values.get("external_id")]
            existing = _existing_external_ids(batch.channel, ids)
            new = [r for r in chunk if r.values.get("external_id") not in existing]
            receipts = _existing_receipts(batch.channel, [r.values["receipt_number"] for r in new])
            for r in new:
                if r.values["receipt_number"] in receipts:
                    r.errors.append(
                        (
                            "receipt_number",
                            _("Receipt number %(n)s is already used.") % {"n": r.values["receipt_number"]},
                        )
                    )
            yield encoding, [(r, r.values.get("external_id") in existing) for r in chunk]


def _preview_row(r: RowResult) -> dict:
    v = r.values
    return {
        "row": r.number,
        "external_id": v.get("external_id", ""),
        "receipt_number": v.get("receipt_number", ""),
        "amount": str(v.get("amount", "")),
        "date": v["date"].isoformat() if v.get("date") else "",
        "donor_name": v.get("donor_name", ""),
        "fund": v["fund"].name if v.get("fund") else "",
    }


def import_dry_run(batch: ImportBatch) -> ImportBatch:
    """Fill the batch's preview: every row to import, every row in error (row number, field, reason)."""
    preview, errors = [], []
    total = valid = duplicates = 0
    encoding = ""
    try:
        for chunk_encoding, results in scan(batch):
            encoding = chunk_encoding
            for r, duplicate in results:
                total += 1
                if duplicate:
                    duplicates += 1
                elif r.errors:
                    for field, message in r.errors:
                        if len(errors) < ERROR_LIMIT:
                            errors.append(
                                {
                                    "row": r.number,
                                    "field": FIELD_LABELS.get(field, field),
                                    "message": str(message),
                                }
                            )
                else:
                    valid += 1
                    if len(preview) < PREVIEW_LIMIT:
                        preview.append(_preview_row(r))
    except ImportFileError as exc:
        batch.message = exc.messages[0]
        batch.status = ImportBatch.Status.FAILED
        batch.save(update_fields=["message", "status"])
        return batch
    batch.encoding = encoding
    batch.total_rows, batch.valid_rows, batch.duplicate_rows = total, valid, duplicates
    batch.preview, batch.errors = preview, errors
    batch.status = ImportBatch.Status.PREVIEW
    batch.save()
    return batch


def progress_key(batch_id) -> str:
    return f"fundraising:import:{batch_id}:progress"


def import_run(batch_id) -> ImportBatch | None:
    """Import every valid row or none. Safe to run twice: a batch that is not queued is left alone, and
    rows already imported (same channel and external id) are skipped."""
    try:
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update().select_related("channel").filter(pk=batch_id).first()
            )
            if batch is None or batch.status != ImportBatch.Status.QUEUED:
                return batch
            created = processed = 0
            for _encoding, results in scan(batch):
                bad = [r for r, duplicate in results if r.errors and not duplicate]
                if bad:
                    r = bad[0]
                    field, message = r.errors[0]
                    raise ImportFileError(
                        _("Row %(row)s, %(field)s: %(message)s. Nothing was imported.")
                        % {"row": r.number, "field": FIELD_LABELS.get(field, field), "message": message}
                    )
                rows = [r for r, duplicate in results if not duplicate]
                created += _import_chunk(batch, rows)
                processed += len(rows)
                cache.set(progress_key(batch.pk), processed, 3600)
            batch.status = ImportBatch.Status.DONE
            batch.created_count = created
            batch.processed_rows = processed
            batch.finished_at = timezone.now()
            batch.message = ""
            batch.save(update_fields=["status", "created_count", "processed_rows", "finished_at", "message"])
            return batch
    except (ValidationError, IntegrityError) as exc:
        reason = (
            " ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else _("Another import added some of these rows at the same time; run the dry run again.")
        )
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, message=reason[:2000], finished_at=timezone.now()
        )
        return ImportBatch.objects.filter(pk=batch_id).first()


def _import_chunk(batch: ImportBatch, rows: list[RowResult]) -> int:
    donations = [
        Donation(
            channel=batch.channel,
            receipt_number=r.values["receipt_number"],
            external_id=r.values["external_id"],
            donor_name=r.values["donor_name"],
            show_name=r.values["show_name"],
            amount=r.values["amount"],
            received_on=r.values["date"],
            fund=r.values["fund"],
            note=r.values["note"],
            import_batch=batch,
        )
        for r in rows
    ]
    services.donations_record_bulk(donations, by=batch.uploaded_by, memo_suffix=f" (import {batch.pk})")
    return len(donations)


# Services --------------------------------------------------------------------------------------------------


@transaction.atomic
def import_upload(*, channel: Channel, upload, mapping: dict, by, save_mapping: bool = True) -> ImportBatch:
    """Store an uploaded export and run the dry run with the given column mapping (saved on the channel)."""
    if not by.has_perm("fundraising.manage_money"):
        raise PermissionDenied
    if upload.size > max_bytes():
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": round(max_bytes() / 1048576, 1)}
            }
        )
    clean = {k: (mapping.get(k) or "").strip()[:100] for k in [*FIELDS, "default_designation"]}
    if save_mapping:
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        channel.column_mapping = clean
        channel.save(update_fields=["column_mapping"])
    else:
        channel.column_mapping = clean
    from empowerment.uploads import safe_filename  # noqa: PLC0415

    batch = ImportBatch(channel=channel, filename=safe_filename(upload.name, "import")[:200], uploaded_by=by)
    batch.file.save(batch.filename, upload, save=False)
    batch.save()
    batch.channel = channel
    return import_dry_run(batch)


@transaction.atomic
def import_confirm(*, batch: ImportBatch, by) -> ImportBatch:
    """Queue the all-or-nothing import of a dry-run batch; the task runs after commit."""
    if not by.has_perm("fundraising.manage_money"):
        raise PermissionDenied
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if batch.errors:
        raise ValidationError(
            _(
                "Correct the rows in error and upload the file again: nothing is imported while any row is wrong."
            )
        )
    if not batch.valid_rows:
        raise ValidationError(_("There is nothing new to import."))
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["status"])
    cache.set(progress_key(batch.pk), 0, 3600)
    from .tasks import run_import  # noqa: PLC0415

    transaction.on_commit(lambda: run_import.delay(batch.pk))
    return batch
