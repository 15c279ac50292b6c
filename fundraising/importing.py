"""Bulk import of donation exports from banks and online platforms (CSV or Excel; UTF-8, UTF-8 with BOM or
GBK). A streaming reader yields rows one at a time; `import_dry_run` lists every row that would be imported
and every row in error (row number and field); `import_run` imports all or nothing, in batches inside one
transaction, posting through the ledger's bulk path. The same file twice adds nothing: each row's channel and
external id are unique.

The dry run is a promise. It stores with the batch the file's SHA-256, the column mapping it used and a
summary of the parsed rows (rows, valid rows, rows already imported, rows in error, total amount, the sum per
designation and a digest of every valid row's values). Confirming writes exactly that: the worker reads the
stored file again with the stored mapping (never the source's saved mapping, which may have changed since)
and refuses, writing nothing, when the file's bytes, the mapping or any parsed figure differ.

Cells are checked as a spreadsheet would read them: a cell that a spreadsheet would run as a formula (text
starting with =, +, -, @, tab or carriage return that is not a plain number: the cells the exports prefix
with a quote, empowerment.spreadsheets.safe_cell) is refused at its row and field, never imported; NUL and
other control characters are refused at their row and field too.

Background work never hangs: the worker marks the batch running (committed, so the screen and the sweep see
it), then imports in one transaction; any failure marks it failed with the reason, and
`imports_sweep_stale` (beat, fundraising.schedule) re-dispatches batches left queued and requeues or fails
batches whose worker died while running.
"""

import codecs
import csv
import hashlib
import io
import json
import logging
import operator
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from empowerment.money import CENT, to_money
from empowerment.spreadsheets import safe_cell

from . import ledger, services, staging
from .models import Channel, Donation, Fund, ImportBatch

logger = logging.getLogger(__name__)

FIELDS = ["external_id", "receipt_number", "amount", "date", "donor_name", "show_name", "designation", "note"]
REQUIRED = ["external_id", "amount", "date"]
# English labels, translated where they are shown (stored untranslated in the batch's errors).
FIELD_LABELS = {
    "external_id": gettext_noop("Transaction id"),
    "receipt_number": gettext_noop("Receipt number"),
    "amount": gettext_noop("Amount"),
    "date": gettext_noop("Date"),
    "donor_name": gettext_noop("Donor name"),
    "show_name": gettext_noop("Name may be shown"),
    "designation": gettext_noop("Designation (fund code)"),
    "note": gettext_noop("Note"),
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
# Yes/no cells, compared in lower case. An empty cell is "no"; any other value is a row error.
YES = {"1", "y", "yes", "true", "t", "是", "是的", "对", "同意", "公开", "✓", "√"}
NO = {"", "0", "n", "no", "false", "f", "否", "不", "不是", "不同意", "不公开", "匿名", "✗", "×"}
# The words that parse_yes_no reads as they are written (already in NFKC and lower case).
YES_NO_EXACT = {word: word in YES for word in YES | NO if unicodedata.normalize("NFKC", word).lower() == word}
# NUL and the other control characters (tab, line feed and carriage return are layout, not control) and lone
# surrogates, which no database column should hold.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
PLAIN_AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")
# The common row's cells, read without the full parse (RowParser._plain): an amount of at most 12 digits and
# two decimals, an ISO date, a yes/no word exactly as written in YES or NO. The mapped cells are joined with
# a private-use character (and put between two more); a cell that starts or ends with white space, or starts
# as a formula might, takes the full parse.
PLAIN_AMOUNT_FAST = re.compile(r"\d{1,12}(?:\.\d{1,2})?")
PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PLAIN_SEPARATOR = "\ue000"
NOT_PLAIN_EDGE = re.compile(f"{PLAIN_SEPARATOR}[\\s=+\\-@]|\\s{PLAIN_SEPARATOR}")
# Either of the two, in one search of the joined cells.
NOT_PLAIN = re.compile(f"{CONTROL.pattern}|{NOT_PLAIN_EDGE.pattern}")

# A batch left queued this long is dispatched again (the broker lost the message or was down); after
# IMPORT_QUEUE_GIVE_UP it is marked failed. A batch running this long whose worker no longer holds it (the
# worker died; its transaction was rolled back, so nothing was written) is queued again, at most
# IMPORT_MAX_ATTEMPTS times in all, then marked failed.
IMPORT_QUEUE_TIMEOUT = timedelta(minutes=5)
IMPORT_QUEUE_GIVE_UP = timedelta(hours=1)
# A dry run's parsed rows are kept this long for its run (PostgreSQL); a run confirmed later reads the file.
KEPT_ROWS_FOR = timedelta(days=1)
IMPORT_MAX_ATTEMPTS = 3


def run_timeout() -> timedelta:
    return timedelta(seconds=getattr(settings, "FUNDRAISING_IMPORT_RUN_TIMEOUT", 3600))


def max_bytes() -> int:
    return getattr(settings, "FUNDRAISING_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


class ImportFileError(ValidationError):
    """The whole file is unusable (encoding, type, size, missing columns)."""


class ImportChanged(ValidationError):
    """What the confirmed import would write differs from what the dry run showed."""


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
    # UTF-16 text is half NUL bytes; a stray NUL in a cell is refused at its row instead.
    if head.count(b"\x00") > len(head) // 10:
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
                if "".join(cells).strip():  # not a blank line (a cell with more than white space)
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


def _amount_text(value) -> str:
    return re.sub(r"[¥￥,，\s元]|RMB|CNY", "", _text(value))


def _parse_amount(value) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(_("Enter an amount in yuan, such as 1250.50."), code="invalid")
    if isinstance(value, float):
        value = repr(value)  # Excel stores numbers as floats; their shortest text is exact to the fen
    if isinstance(value, int):
        value = str(value)
    text = _amount_text(value)
    # Plain decimal notation only: "1e2", "Infinity" or "NaN" in a bank's export is a broken cell.
    if not PLAIN_AMOUNT.fullmatch(text):
        raise ValidationError(_("Enter an amount in yuan, such as 1250.50."), code="invalid")
    return to_money(text)


def parse_yes_no(value) -> bool | None:
    """True or False for a yes/no cell (是/否, 是的/不, Y/N, true/false, 1/0...); None if it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        value = {1: "1", 0: "0"}.get(value, "?")
    text = unicodedata.normalize("NFKC", _text(value)).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would run this cell as a formula: exactly the cells the exports neutralise."""
    return safe_cell(text) != text


def designations() -> dict[str, Fund]:
    """Every designation a row may name: a fund's code, or the web address (slug) of a project that has a
    fund."""
    funds = {f.code: f for f in Fund.objects.all()}
    by_project = {
        slug: funds[code]
        for slug, code in Fund.objects.filter(project__isnull=False).values_list("project__slug", "code")
        if code in funds
    }
    return {**by_project, **funds}


@dataclass(frozen=True)
class ReadingInputs:
    """What reading a row depends on besides its cells: the designations a row may name (code → fund), the
    default designation, the first open month and the day."""

    funds: dict
    default_fund: Fund
    first_open: date | None
    today: date


def reading_inputs(mapping: dict) -> ReadingInputs:
    general = ledger.general_fund()  # first: made on first use, it is one of the designations
    funds = designations()
    default_fund = funds.get(((mapping or {}).get("default_designation") or "").strip()) or general
    last_closed = ledger.closed_through()
    first_open = ledger._next_month(last_closed) if last_closed else None
    return ReadingInputs(funds, default_fund, first_open, timezone.localdate())


class RowParser:
    """Turns a row's cells into donation values, with the errors found (field, message).

    `track_seen=False` leaves finding a transaction id that appears twice in the file to the caller (the
    PostgreSQL import finds them in SQL, without holding every id of a million-row file in memory)."""

    def __init__(self, channel: Channel, header: list[str], mapping: dict, *, track_seen: bool = True):
        self.channel = channel
        self.columns = {}
        missing = []
        for field in FIELDS:
            column = (mapping.get(field) or "").strip()
            if not column:
                if field in REQUIRED:
                    missing.append(_(FIELD_LABELS[field]))
                continue
            if column not in header:
                missing.append(f"{_(FIELD_LABELS[field])} ({column})")
                continue
            self.columns[field] = header.index(column)
        if missing:
            raise ImportFileError(
                _("Columns missing from the file: %(columns)s. Check the column mapping.")
                % {"columns": ", ".join(missing)},
                code="columns",
            )
        self.inputs = reading_inputs(mapping)
        self.funds, self.default_fund = self.inputs.funds, self.inputs.default_fund
        self.first_open, self.today = self.inputs.first_open, self.inputs.today
        self.seen: set[str] | None = set() if track_seen else None
        self.width = max(self.columns.values()) + 1
        # `_plain` reads the mapped cells in one call, each field at a fixed place of the tuple (-1: not mapped).
        fields = list(self.columns)
        self._cells = operator.itemgetter(*self.columns.values())  # at least the three required: a tuple
        self._at = {field: fields.index(field) if field in self.columns else -1 for field in FIELDS}

    def parse(self, number: int, cells: list) -> RowResult:
        return self._plain(number, cells) or self._parse(number, cells)

    def _plain(self, number: int, cells: list) -> RowResult | None:
        """The common row, every cell plain text that `_parse` would accept as it is (no surrounding white
        space, nothing a spreadsheet would run, an ISO date, a plain amount, a known yes/no word and
        designation), read as `_parse` reads it at a fraction of the cost; None for any other row, which
        `_parse` then reads in full."""
        if len(cells) < self.width:
            return None
        got = self._cells(cells)
        try:
            joined = PLAIN_SEPARATOR + PLAIN_SEPARATOR.join(got) + PLAIN_SEPARATOR
        except TypeError:  # an Excel number, date or boolean
            return None
        if NOT_PLAIN.search(joined):
            return None
        at = self._at
        external_id = got[at["external_id"]]
        if not external_id or len(external_id) > 100 or (self.seen is not None and external_id in self.seen):
            return None
        receipt_number = (got[at["receipt_number"]] if at["receipt_number"] >= 0 else "") or external_id
        amount_text, date_text = got[at["amount"]], got[at["date"]]
        if len(receipt_number) > 64 or not PLAIN_AMOUNT_FAST.fullmatch(amount_text):
            return None
        amount = Decimal(amount_text).quantize(CENT)
        if not amount or not PLAIN_DATE.fullmatch(date_text):
            return None
        try:
            received_on = date.fromisoformat(date_text)
        except ValueError:
            return None
        if received_on > self.today or (self.first_open and received_on < self.first_open):
            return None
        shown = got[at["show_name"]] if at["show_name"] >= 0 else ""
        show_name = YES_NO_EXACT.get(shown)
        code = got[at["designation"]] if at["designation"] >= 0 else ""
        fund = self.funds.get(code) if code else self.default_fund
        donor_name = got[at["donor_name"]] if at["donor_name"] >= 0 else ""
        note = got[at["note"]] if at["note"] >= 0 else ""
        if show_name is None or fund is None or len(donor_name) > 120 or len(note) > 255:
            return None
        if self.seen is not None:
            self.seen.add(external_id)
        values = {
            "external_id": external_id,
            "receipt_number": receipt_number,
            "amount": amount,
            "date": received_on,
            "donor_name": donor_name,
            "show_name_cell": shown[:20],
            "show_name": show_name,
            "fund": fund,
            "note": note,
        }
        return RowResult(number, values, [])

    def _parse(self, number: int, cells: list) -> RowResult:
        raw = {field: (cells[i] if i < len(cells) else "") for field, i in self.columns.items()}
        errors: list[tuple[str, str]] = []
        values: dict = {}
        for field, value in raw.items():
            if not isinstance(value, str):
                continue
            if CONTROL.search(value):
                errors.append((field, _("Control characters (such as NUL) are not accepted.")))
                raw[field] = ""
            elif is_formula(value.strip()) and not (
                # "-5" or "-1,200.00" in the amount column is a negative amount (refused as such), not a formula
                field == "amount" and PLAIN_AMOUNT.fullmatch(_amount_text(value))
            ):
                errors.append((field, _("Formulas are not accepted: a spreadsheet would run this cell.")))
                raw[field] = ""
        external_id = _text(raw.get("external_id", ""))
        if not external_id:
            if "external_id" not in {f for f, _m in errors}:
                errors.append(("external_id", _("The transaction id is missing.")))
        elif len(external_id) > 100:
            errors.append(("external_id", _("The transaction id is longer than 100 characters.")))
        elif self.seen is not None and external_id in self.seen:
            errors.append(("external_id", _("The transaction id appears twice in the file.")))
        if self.seen is not None:
            self.seen.add(external_id)
        values["external_id"] = external_id[:100]
        receipt_number = _text(raw.get("receipt_number", "")) or external_id
        if len(receipt_number) > 64:
            errors.append(("receipt_number", _("The receipt number is longer than 64 characters.")))
        values["receipt_number"] = receipt_number[:64]
        try:
            amount = _parse_amount(raw.get("amount", ""))
            if amount <= 0:
                errors.append(("amount", _("The amount must be more than zero.")))
            values["amount"] = amount
        except ValidationError as exc:
            if "amount" not in {f for f, _m in errors}:
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
            if "date" not in {f for f, _m in errors}:
                errors.append(("date", _("Not a date (use 2024-03-31).")))
        donor_name = _text(raw.get("donor_name", ""))
        if len(donor_name) > 120:
            errors.append(("donor_name", _("The donor name is longer than 120 characters.")))
        values["donor_name"] = donor_name[:120]
        shown = raw.get("show_name", "")
        values["show_name_cell"] = _text(shown)[:20]
        show_name = parse_yes_no(shown)
        if show_name is None:
            errors.append(
                (
                    "show_name",
                    _("“%(value)s” is neither yes nor no (use 是/否, Y/N or 1/0).")
                    % {"value": _text(shown)[:20]},
                )
            )
        values["show_name"] = bool(show_name)
        code = _text(raw.get("designation", ""))
        if code:
            fund = self.funds.get(code)
            if fund is None:
                errors.append(
                    (
                        "designation",
                        _("%(code)s names no project or fund.") % {"code": code[:40]},
                    )
                )
            values["fund"] = fund
        else:
            values["fund"] = self.default_fund
        note = _text(raw.get("note", ""))
        if len(note) > 255:
            errors.append(("note", _("The note is longer than 255 characters.")))
        values["note"] = note[:255]
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
    """Parse the stored file with the batch's own column mapping: yields (encoding, [(RowResult,
    already imported?), ...]) per chunk."""
    with batch.file.open("rb") as fh:
        encoding, header, rows = read_rows(fh)
        parser = RowParser(batch.channel, header, batch.mapping or {})
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


# What the dry run showed -----------------------------------------------------------------------------------


class Tally:
    """The summary of a file's parsed rows: counts, the total and the sum per designation of the rows to
    import, and a digest of every such row's values, so that a second reading can be compared exactly."""

    def __init__(self):
        self.rows = self.valid = self.duplicates = self.error_rows = 0
        self.total = Decimal("0.00")
        self.by_designation: dict[str, Decimal] = {}
        self.digest = hashlib.sha256()

    def add(self, r: RowResult, duplicate: bool) -> None:
        self.rows += 1
        if duplicate:
            self.duplicates += 1
            return
        if r.errors:
            self.error_rows += 1
            return
        self.valid += 1
        v = r.values
        self.total += v["amount"]
        code = v["fund"].code
        self.by_designation[code] = self.by_designation.get(code, Decimal("0.00")) + v["amount"]
        line = [
            str(r.number),
            v["external_id"],
            v["receipt_number"],
            str(v["amount"]),
            v["date"].isoformat(),
            v["donor_name"],
            "1" if v["show_name"] else "0",
            code,
            v["note"],
        ]
        self.digest.update(("\x1f".join(line) + "\x1e").encode("utf-8", "surrogatepass"))

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "valid": self.valid,
            "duplicates": self.duplicates,
            "error_rows": self.error_rows,
            "total": str(self.total),
            "by_designation": {k: str(v) for k, v in sorted(self.by_designation.items())},
            "rows_sha256": self.digest.hexdigest(),
        }


SUMMARY_LABELS = {
    "rows": gettext_noop("rows"),
    "valid": gettext_noop("rows to import"),
    "duplicates": gettext_noop("rows already imported"),
    "error_rows": gettext_noop("rows in error"),
    "total": gettext_noop("total amount"),
    "by_designation": gettext_noop("sums per designation"),
    "rows_sha256": gettext_noop("values of the rows to import"),
}


def file_sha256(batch: ImportBatch) -> str:
    digest = hashlib.sha256()
    with batch.file.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(batch: ImportBatch) -> str:
    """One digest of what the dry-run page showed (file, mapping, summary); the confirm form sends it back."""
    shown = {"file": batch.file_sha256, "mapping": batch.mapping, "summary": batch.summary}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _stored_file_changed(batch: ImportBatch) -> bool:
    try:
        return file_sha256(batch) != batch.file_sha256
    except (OSError, ValueError):  # the stored file is gone
        return True


def _summary_changed(shown: dict, now: dict) -> list[str]:
    return [str(_(SUMMARY_LABELS.get(k, k))) for k in SUMMARY_LABELS if shown.get(k) != now.get(k)]


def _preview_row(r: RowResult) -> dict:
    v = r.values
    return {
        "row": r.number,
        "external_id": v.get("external_id", ""),
        "receipt_number": v.get("receipt_number", ""),
        "amount": str(v.get("amount", "")),
        "date": v["date"].isoformat() if v.get("date") else "",
        "donor_name": v.get("donor_name", ""),
        "show_name": bool(v.get("show_name")),
        "show_name_cell": v.get("show_name_cell", ""),
        "fund": v["fund"].name if v.get("fund") else "",
        "fund_code": v["fund"].code if v.get("fund") else "",
    }


def import_dry_run(batch: ImportBatch) -> ImportBatch:
    """Fill the batch's preview: every row to import, every row in error (row number, field, reason), and
    what the confirmed import must reproduce (file SHA-256, mapping, summary)."""
    preview, errors = [], []
    tally = Tally()
    encoding = ""
    batch.mapping = batch.mapping or dict(batch.channel.column_mapping or {})
    try:
        batch.file_sha256 = file_sha256(batch)
        if staging.available():
            return _dry_run_staged(batch)
        for chunk_encoding, results in scan(batch):
            encoding = chunk_encoding
            for r, duplicate in results:
                tally.add(r, duplicate)
                if duplicate:
                    continue
                if r.errors:
                    for field, message in r.errors:
                        if len(errors) < ERROR_LIMIT:
                            errors.append(
                                {
                                    "row": r.number,
                                    "field": FIELD_LABELS.get(field, field),
                                    "message": str(message),
                                }
                            )
                elif len(preview) < PREVIEW_LIMIT:
                    preview.append(_preview_row(r))
    except ImportFileError as exc:
        batch.message = exc.messages[0]
        batch.status = ImportBatch.Status.FAILED
        batch.finished_at = timezone.now()
        batch.save()
        return batch
    summary = tally.as_dict()
    batch.encoding = encoding
    batch.total_rows, batch.valid_rows, batch.duplicate_rows = tally.rows, tally.valid, tally.duplicates
    batch.error_rows = tally.error_rows
    batch.summary = summary
    batch.preview, batch.errors = preview, errors
    batch.status = ImportBatch.Status.PREVIEW
    batch.message = ""
    batch.save()
    return batch


def _reading_stamp(batch: ImportBatch, inputs: ReadingInputs) -> str:
    """What parsing the batch's file depended on besides the file: the batch, its file and mapping, and the
    reading's inputs (designations, default designation, first open month, day). A dry run's kept rows
    serve the run only under the same stamp."""
    reading = {
        "batch": [batch.pk, batch.created_at.isoformat() if batch.created_at else ""],
        "file": batch.file_sha256,
        "mapping": batch.mapping or {},
        "funds": sorted((code, fund.pk) for code, fund in inputs.funds.items()),
        "default": inputs.default_fund.pk if inputs.default_fund else None,
        "first_open": inputs.first_open.isoformat() if inputs.first_open else None,
        "today": inputs.today.isoformat(),
    }
    return hashlib.sha256(json.dumps(reading, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _stage(batch: ImportBatch, *, keep: bool = False) -> str:
    """Parse the stored file with the batch's own mapping into the staging table and check it (PostgreSQL;
    call inside a transaction). With `keep` (the dry run), the parsed rows are kept for the run. Returns
    the file's encoding."""
    with batch.file.open("rb") as fh:
        encoding, header, rows = read_rows(fh)
        parser = RowParser(batch.channel, header, batch.mapping or {}, track_seen=False)
        if keep:
            stamp = _reading_stamp(batch, parser.inputs)
            staging.load(
                (parser.parse(number, cells) for number, cells in rows), keep_for=batch.pk, stamp=stamp
            )
        else:
            staging.load(parser.parse(number, cells) for number, cells in rows)
    # The dry run only classifies the rows; the run's rows also take their ids, for staging.post.
    staging.check(
        batch.channel_id, source=staging.kept_table(batch.pk) if keep else staging.RAW, ids=not keep
    )
    return encoding


def _dry_run_staged(batch: ImportBatch) -> ImportBatch:
    """import_dry_run on PostgreSQL: the rows staged and checked in SQL, the summary computed there."""
    with transaction.atomic():
        encoding = _stage(batch, keep=True)
        summary = staging.summary()
        preview = staging.preview(PREVIEW_LIMIT)
        errors = []
        for number, found in staging.row_errors(ERROR_LIMIT):
            for field, message in found:
                if len(errors) < ERROR_LIMIT:
                    errors.append(
                        {"row": number, "field": FIELD_LABELS.get(field, field), "message": str(message)}
                    )
    batch.encoding = encoding
    batch.total_rows, batch.valid_rows = summary["rows"], summary["valid"]
    batch.duplicate_rows, batch.error_rows = summary["duplicates"], summary["error_rows"]
    batch.summary = summary
    batch.preview, batch.errors = preview, errors
    batch.status = ImportBatch.Status.PREVIEW
    batch.message = ""
    batch.save()
    return batch


def _run_staged(batch: ImportBatch) -> int:
    """import_run's work on PostgreSQL, inside its transaction: check the dry run's kept rows again (or,
    if they are gone or anything their parsing depended on changed, stage and check the file again) without
    any ledger lock, refuse a row in error or any figure that differs from the dry run's, then post every row
    at once (the ledger's locks are taken only for that). Returns the number of donations written."""
    kept = staging.kept(batch.pk, _reading_stamp(batch, reading_inputs(batch.mapping)), batch.total_rows)
    if kept:
        staging.check(batch.channel_id, source=kept, ids=True)
    else:
        _stage(batch)
    staging.forget(batch.pk)
    for number, found in staging.row_errors(1):
        field, message = found[0]
        raise ImportFileError(
            _("Row %(row)s, %(field)s: %(message)s Nothing was imported.")
            % {"row": number, "field": _(FIELD_LABELS.get(field, field)), "message": _(message)}
        )
    changed = _summary_changed(batch.summary, staging.summary())
    if changed:
        raise ImportChanged(
            _(
                "The file no longer reads as the dry run showed it (%(what)s changed). Nothing was "
                "imported; run the dry run again and check the rows before confirming."
            )
            % {"what": ", ".join(changed)}
        )
    key = progress_key(batch.pk)
    return staging.post(
        batch=batch,
        by=batch.uploaded_by,
        memo_suffix=f" (import {batch.pk})",
        progress=lambda done: cache.set(key, done, 3600),
    )


def _run_scanned(batch: ImportBatch) -> tuple[int, int]:
    """import_run's work elsewhere (SQLite: small files), inside its transaction: the file read again a
    chunk at a time, each chunk posted through the ledger's bulk path, and the summary compared at the end.
    Returns (donations written, rows processed)."""
    tally = Tally()
    created = processed = 0
    for _encoding, results in scan(batch):
        for r, duplicate in results:
            tally.add(r, duplicate)
        bad = [r for r, duplicate in results if r.errors and not duplicate]
        if bad:
            r = bad[0]
            field, message = r.errors[0]
            raise ImportFileError(
                _("Row %(row)s, %(field)s: %(message)s Nothing was imported.")
                % {"row": r.number, "field": _(FIELD_LABELS.get(field, field)), "message": _(message)}
            )
        rows = [r for r, duplicate in results if not duplicate]
        created += _import_chunk(batch, rows)
        processed += len(rows)
        cache.set(progress_key(batch.pk), processed, 3600)
    changed = _summary_changed(batch.summary, tally.as_dict())
    if changed:
        raise ImportChanged(
            _(
                "The file no longer reads as the dry run showed it (%(what)s changed). Nothing was "
                "imported; run the dry run again and check the rows before confirming."
            )
            % {"what": ", ".join(changed)}
        )
    return created, processed


# The import (in the worker) --------------------------------------------------------------------------------


def progress_key(batch_id) -> str:
    return f"fundraising:import:{batch_id}:progress"


def _fail(batch_id, reason: str) -> ImportBatch | None:
    ImportBatch.objects.filter(pk=batch_id).exclude(status=ImportBatch.Status.DONE).update(
        status=ImportBatch.Status.FAILED, message=reason[:2000], finished_at=timezone.now()
    )
    cache.delete(progress_key(batch_id))
    return ImportBatch.objects.filter(pk=batch_id).first()


def _claim(batch_id) -> ImportBatch | None:
    """Queued → running, committed at once so that the screen and the sweep see it; None if the batch is
    not queued (done, failed, discarded, or another worker has it)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatch.Status.QUEUED:
            return None
        batch.status = ImportBatch.Status.RUNNING
        batch.started_at = timezone.now()
        batch.attempts += 1
        batch.processed_rows = 0
        batch.save(update_fields=["status", "started_at", "attempts", "processed_rows"])
    cache.set(progress_key(batch_id), 0, 3600)
    return batch


def import_run(batch_id) -> ImportBatch | None:
    """Import every valid row of a confirmed batch, or none, exactly as its dry run showed them. Safe to run
    twice: a batch that is not queued is left alone, and the running batch is held under a row lock for the
    whole import. Any failure leaves nothing written and the batch failed with the reason (a lost database
    connection puts it back in the queue, for the sweep to dispatch again)."""
    if _claim(batch_id) is None:
        return ImportBatch.objects.filter(pk=batch_id).first()
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().select_related("channel").get(pk=batch_id)
            if batch.status != ImportBatch.Status.RUNNING:
                return batch
            if not batch.file_sha256 or _stored_file_changed(batch):
                raise ImportChanged(
                    _(
                        "The stored file is not the file the dry run read (its SHA-256 differs). "
                        "Nothing was imported; upload the file again."
                    )
                )
            if staging.available():
                created = processed = _run_staged(batch)
            else:
                created, processed = _run_scanned(batch)
            batch.status = ImportBatch.Status.DONE
            batch.created_count = created
            batch.processed_rows = processed
            batch.finished_at = timezone.now()
            batch.message = ""
            batch.save(update_fields=["status", "created_count", "processed_rows", "finished_at", "message"])
            return batch
    except ValidationError as exc:
        return _fail(batch_id, " ".join(exc.messages))
    except IntegrityError:
        return _fail(
            batch_id, _("Another import added some of these rows at the same time; run the dry run again.")
        )
    except (OperationalError, InterfaceError) as exc:
        logger.warning("Import %s interrupted by a database error: %s", batch_id, exc)
        try:
            _requeue_or_fail(batch_id, _("The database connection was lost during the import."))
        except (OperationalError, InterfaceError):
            pass  # the sweep finds the batch still running and deals with it
        return ImportBatch.objects.filter(pk=batch_id).first()
    except Exception as exc:
        logger.exception("Import %s failed", batch_id)
        return _fail(
            batch_id,
            _("The import stopped with an error (%(error)s). Nothing was imported.")
            % {"error": f"{type(exc).__name__}: {str(exc)[:300]}"},
        )


def _requeue_or_fail(batch_id, reason: str) -> None:
    """A running batch whose work was lost: queued again (and dispatched after commit) while attempts
    remain, failed with the reason otherwise. Nothing was written by the lost attempt."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != ImportBatch.Status.RUNNING:
            return
        if batch.attempts >= IMPORT_MAX_ATTEMPTS:
            batch.status = ImportBatch.Status.FAILED
            batch.finished_at = timezone.now()
            batch.message = _("%(reason)s The import was tried %(n)s times; nothing was imported.") % {
                "reason": reason,
                "n": batch.attempts,
            }
            batch.save(update_fields=["status", "finished_at", "message"])
            return
        batch.status = ImportBatch.Status.QUEUED
        batch.queued_at = timezone.now()
        batch.message = _("%(reason)s It will be tried again.") % {"reason": reason}
        batch.save(update_fields=["status", "queued_at", "message"])
        transaction.on_commit(lambda: _dispatch(batch_id))


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


def _dispatch(batch_id) -> None:
    from .tasks import run_import  # noqa: PLC0415 - tasks import this module

    try:
        run_import.delay(batch_id)
    except Exception:  # the broker is down: the batch stays queued and the sweep dispatches it again
        logger.exception("Could not dispatch import %s; it stays queued", batch_id)


def imports_sweep_stale(*, now: datetime | None = None) -> dict:
    """The beat job: batches queued longer than IMPORT_QUEUE_TIMEOUT are dispatched again (running twice
    is harmless) or, after IMPORT_QUEUE_GIVE_UP, failed; batches running longer than the run timeout that no
    live worker holds are queued again or failed. Returns how many of each."""
    now = now or timezone.now()
    counts = {"redispatched": 0, "requeued": 0, "failed": 0}
    with transaction.atomic():
        queued = list(
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(status=ImportBatch.Status.QUEUED)
            .filter(
                # Batches queued before queued_at was kept count from their upload.
                Q(queued_at__lt=now - IMPORT_QUEUE_TIMEOUT)
                | Q(queued_at__isnull=True, created_at__lt=now - IMPORT_QUEUE_TIMEOUT)
            )
        )
        for batch in queued:
            if (batch.queued_at or batch.created_at) < now - IMPORT_QUEUE_GIVE_UP:
                batch.status = ImportBatch.Status.FAILED
                batch.finished_at = now
                batch.message = _(
                    "No worker started the import within an hour of its confirmation; nothing was imported. "
                    "Check the dry run again and confirm when the background workers run."
                )
                batch.save(update_fields=["status", "finished_at", "message"])
                counts["failed"] += 1
            else:
                transaction.on_commit(lambda pk=batch.pk: _dispatch(pk))
                counts["redispatched"] += 1
        # A live worker holds its running batch locked; skip_locked leaves those alone.
        stuck = list(
            ImportBatch.objects.select_for_update(skip_locked=True).filter(
                status=ImportBatch.Status.RUNNING, started_at__lt=now - run_timeout()
            )
        )
    for batch in stuck:
        _requeue_or_fail(batch.pk, _("The worker running the import stopped before it finished."))
        batch.refresh_from_db(fields=["status"])
        counts["failed" if batch.status == ImportBatch.Status.FAILED else "requeued"] += 1
    return counts


def imports_sweep_kept(*, now: datetime | None = None) -> int:
    """Drop the rows kept by dry runs that no run will use: their batch is done, failed, discarded or gone,
    or they were kept longer than KEPT_ROWS_FOR ago and the batch is still waiting for confirmation (its
    run, if it comes, reads the file again). Returns how many were dropped."""
    if not staging.available():
        return 0
    now = now or timezone.now()
    kept = staging.kept_batches()
    if not kept:
        return 0
    statuses = dict(ImportBatch.objects.filter(pk__in=list(kept)).values_list("pk", "status"))
    dropped = 0
    for batch_id, at in kept.items():
        status = statuses.get(batch_id)
        if status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING):
            continue
        if status == ImportBatch.Status.PREVIEW and at and datetime.fromisoformat(at) >= now - KEPT_ROWS_FOR:
            continue
        with transaction.atomic():
            dropped += staging.forget(batch_id, wait=False)
    return dropped


# Services --------------------------------------------------------------------------------------------------


def _require(by) -> None:
    if by is None or not by.has_perm("fundraising.manage_money"):
        raise PermissionDenied


@transaction.atomic
def import_upload(*, channel: Channel, upload, mapping: dict, by, save_mapping: bool = True) -> ImportBatch:
    """Store an uploaded export and run the dry run with the given column mapping, kept with the batch
    (and saved on the channel when `save_mapping`)."""
    _require(by)
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
    from empowerment.uploads import safe_filename  # noqa: PLC0415

    batch = ImportBatch(
        channel=channel,
        filename=safe_filename(upload.name, "import")[:200],
        uploaded_by=by,
        mapping=clean,
    )
    batch.file.save(batch.filename, upload, save=False)
    batch.save()
    return import_dry_run(batch)


def import_confirm(*, batch: ImportBatch, by, shown: str | None = None) -> ImportBatch:
    """Queue the all-or-nothing import of a dry-run batch; the task runs after commit. `shown` is the
    fingerprint of the page the officer confirmed (file, mapping and summary): if it is not the batch's, the
    confirmation is refused (ValidationError) and the batch left as it is; if the stored file changed since
    the dry run, the batch is marked failed with the reason and ValidationError is raised. The worker checks
    the rows again (the dry run's, or the file read again) and refuses anything that does not match the
    summary (import_run)."""
    _require(by)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise ValidationError(_("This import is not waiting for confirmation."))
        if batch.error_rows or batch.errors:
            raise ValidationError(
                _(
                    "Correct the rows in error and upload the file again: nothing is imported while any "
                    "row is wrong."
                )
            )
        if not batch.valid_rows:
            raise ValidationError(_("There is nothing new to import."))
        if shown is not None and shown != fingerprint(batch):
            # The page is stale (or was not this dry run's): the batch stays as it is, to be looked at again.
            raise ValidationError(
                _(
                    "The column mapping or the rows of this import are not those of the page you confirmed. "
                    "Nothing was imported; check the dry run below again."
                )
            )
        problem = ""
        if not batch.file_sha256 or not batch.summary:
            problem = _("This dry run is from an older version; check it again before confirming.")
        elif _stored_file_changed(batch):
            problem = _(
                "The stored file is not the file the dry run read (its SHA-256 differs). Nothing was "
                "imported; upload the file again."
            )
        if not problem:
            batch.status = ImportBatch.Status.QUEUED
            batch.queued_at = timezone.now()
            batch.message = ""
            batch.save(update_fields=["status", "queued_at", "message"])
            cache.set(progress_key(batch.pk), 0, 3600)
            transaction.on_commit(lambda: _dispatch(batch.pk))
            return batch
        batch.status = ImportBatch.Status.FAILED
        batch.message = problem
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "message", "finished_at"])
    raise ValidationError(problem)


@transaction.atomic
def import_retry(*, batch: ImportBatch, by) -> ImportBatch:
    """A failed batch: run its dry run again (same stored file, same mapping) so that the officer checks
    the rows and confirms again. Nothing is imported by this step."""
    _require(by)
    batch = ImportBatch.objects.select_for_update().select_related("channel").get(pk=batch.pk)
    if batch.status != ImportBatch.Status.FAILED:
        raise ValidationError(_("Only a failed import can be checked again."))
    if not batch.file or not batch.file.storage.exists(batch.file.name):
        raise ValidationError(_("The stored file is gone; upload the file again."))
    batch.created_count = batch.processed_rows = batch.attempts = 0
    batch.queued_at = batch.started_at = batch.finished_at = None
    return import_dry_run(batch)


@transaction.atomic
def import_discard(*, batch: ImportBatch, by) -> ImportBatch:
    """Set a batch aside for good: one in its dry run, failed, or still waiting in the queue (a worker that
    picks it up afterwards leaves it alone). Its stored file is deleted after commit; nothing was imported."""
    _require(by)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    allowed = {ImportBatch.Status.PREVIEW, ImportBatch.Status.FAILED, ImportBatch.Status.QUEUED}
    if batch.status not in allowed:
        raise ValidationError(_("An import that is running or done cannot be discarded."))
    batch.status = ImportBatch.Status.DISCARDED
    batch.finished_at = timezone.now()
    batch.message = _("Discarded by %(user)s; nothing was imported.") % {
        "user": by.get_full_name() or by.get_username()
    }
    batch.preview = []
    batch.save(update_fields=["status", "finished_at", "message", "preview"])
    name, storage = batch.file.name, batch.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    if staging.available():
        staging.forget(batch.pk)
    cache.delete(progress_key(batch.pk))
    return batch


# Reads -------------------------------------------------------------------------------------------------


def imports_recent(*, limit: int = 20) -> list[ImportBatch]:
    """The latest batches for the import screen, with each one's progress when it is in flight."""
    batches = list(
        ImportBatch.objects.select_related("channel", "uploaded_by")
        .defer("preview", "errors", "summary")
        .order_by("-created_at", "-pk")[:limit]
    )
    return batches


def batch_progress(batch: ImportBatch) -> dict:
    """Rows done and percent: counted when done, read from the worker's counter while running."""
    if batch.status == ImportBatch.Status.DONE:
        return {"done": batch.processed_rows, "percent": 100}
    if batch.status != ImportBatch.Status.RUNNING:
        return {"done": 0, "percent": 0}
    done = cache.get(progress_key(batch.pk), 0) or 0
    percent = min(99, int(100 * done / batch.valid_rows)) if batch.valid_rows else 0
    return {"done": done, "percent": percent}
