"""The annual statements as a PDF (the shared document pipeline renders it in the worker, in the requester's
language, with its verification code) and as an Excel workbook (openpyxl, built in the request)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from empowerment.authz import is_staff_member
from empowerment.documents.registry import DocumentKind, register
from empowerment.spreadsheets import safe_cell


def _context(subject, params):
    from ..selectors.statements import annual_statements  # noqa: PLC0415 - selectors import the models

    return {"statements": annual_statements(subject.year), "year": subject.year}


register(
    DocumentKind(
        name="annual_statements",
        template="fundraising/pdf/annual_statements.html",
        build_context=_context,
        title=lambda s, params: _("Financial statements %(year)s") % {"year": s.year},
        can_request=lambda user, s: is_staff_member(user) and user.has_perm("fundraising.view_dashboard"),
        can_view=lambda user, s: is_staff_member(user) and user.has_perm("fundraising.view_dashboard"),
        filename=lambda s, params: f"financial-statements-{s.year}",
    )
)


def _sheet(wb, title: str, header: list, rows, *, heading: str) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append([safe_cell(heading)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([safe_cell(str(h)) for h in header])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        label = ("    " if row.kind == "line" else "") + row.label
        ws.append([safe_cell(label), *row.values])
        if row.kind in ("heading", "subtotal", "total"):
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        for cell in ws[ws.max_row][1:]:
            cell.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 58
    for col in "BCD":
        ws.column_dimensions[col].width = 18


def statements_workbook(statements: dict) -> bytes:
    """The three statements, their tie-outs and notes, one sheet each; amounts as numbers (yuan)."""
    year = statements["year"]
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        _("Balance sheet"),
        [_("Item"), _("Start of year"), _("End of year")],
        statements["balance_sheet"]["rows"],
        heading=_("Balance sheet at 31 December %(year)s (yuan)") % {"year": year},
    )
    _sheet(
        wb,
        _("Statement of activities"),
        [_("Item"), _("Unrestricted"), _("Restricted"), _("Total")],
        statements["activity"]["rows"],
        heading=_("Statement of activities %(year)s (yuan)") % {"year": year},
    )
    _sheet(
        wb,
        _("Cash flow statement"),
        [_("Item"), _("Amount")],
        statements["cash_flow"]["rows"],
        heading=_("Cash flow statement %(year)s (yuan)") % {"year": year},
    )
    ws = wb.create_sheet(_("Tie-outs")[:31])
    ws.append([_("Check"), _("Left"), _("Amount"), _("Right"), _("Amount"), _("Ties out")])
    for t in statements["tie_outs"]:
        ws.append(
            [
                safe_cell(str(t.label)),
                safe_cell(str(t.left_label)),
                t.left,
                safe_cell(str(t.right_label)),
                t.right,
                _("yes") if t.ok else _("NO"),
            ]
        )
    ws.column_dimensions["A"].width = 50
    ws = wb.create_sheet(_("Notes")[:31])
    ws.append([_("Line"), _("Account"), _("Amount")])
    for note in statements["notes"]["lines"]:
        for account, amount in note["accounts"]:
            ws.append([safe_cell(note["line"]), safe_cell(f"{account.code} · {account.name}"), amount])
    ws.append([])
    ws.append([_("Fund"), _("Restricted"), _("Start of year"), _("End of year")])
    for row in statements["notes"]["funds"]:
        fund = row["fund"]
        ws.append(
            [safe_cell(fund.name), _("yes") if fund.restricted else _("no"), row["opening"], row["closing"]]
        )
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 50
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
