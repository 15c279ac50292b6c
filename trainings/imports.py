"""Reading an enrolment spreadsheet (CSV or Excel .xlsx) into rows for services.enrolment_import_check.

Columns, by their heading in English or Chinese, in any order: organization (机构), name (姓名), title
(职务), phone (电话), email (邮箱). Only the first sheet of a workbook is read."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
HEADINGS = {
    "organization": ("organization", "organisation", "机构", "组织", "机构名称"),
    "name": ("name", "姓名", "名字"),
    "title": ("title", "role", "职务", "岗位"),
    "phone": ("phone", "电话", "手机"),
    "email": ("email", "e-mail", "邮箱", "电子邮箱"),
}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _table(upload) -> list[list[str]]:
    name = (upload.name or "").lower()
    if upload.size and upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    data = upload.read()
    if name.endswith(".xlsx"):
        import openpyxl  # noqa: PLC0415

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file  # noqa: BLE001
            raise ValidationError(_("The file could not be read as an Excel workbook.")) from None
        sheet = workbook.worksheets[0]
        table = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        workbook.close()
        return table
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The file is not UTF-8 or GB18030 text."))
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    raise ValidationError(_("Upload a CSV file or an Excel workbook (.xlsx)."))


def read_rows(upload) -> list[dict]:
    """The participant rows of the file, each with its line number (`line`, the heading being line 1).
    Refused (ValidationError) for an unknown format, a missing column or too many rows."""
    table = _table(upload)
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        raise ValidationError(_("The file is empty."))
    heading = [h.strip().casefold() for h in table[0]]
    columns = {}
    for key, names in HEADINGS.items():
        for index, h in enumerate(heading):
            if h in names:
                columns[key] = index
                break
    missing = [key for key in ("organization", "name") if key not in columns]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        row = {"line": line}
        for key, index in columns.items():
            row[key] = cells[index] if index < len(cells) else ""
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("At most %(n)d participants per file.") % {"n": MAX_ROWS})
    if not rows:
        raise ValidationError(_("The file has no participant rows."))
    return rows
