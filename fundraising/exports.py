"""The staff finance workbook (openpyxl). Text that a user or an organization wrote is escaped so a
spreadsheet never runs it as a formula."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from empowerment.spreadsheets import safe_cell


def _sheet(wb, title, header, rows):
    ws = wb.create_sheet(title[:31])
    ws.append([safe_cell(str(h)) for h in header])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    return ws


def dashboard_workbook(d: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        _("Raised by channel"),
        [_("Channel"), _("Amount (yuan)")],
        [(r["channel__name"], r["total"]) for r in d["by_channel"]],
    )
    _sheet(
        wb,
        _("Raised by funder type"),
        [_("Funder type"), _("Amount (yuan)")],
        [(str(r["label"] or _("Anonymous")), r["total"]) for r in d["by_funder_kind"]],
    )
    _sheet(
        wb,
        _("Raised by month"),
        [_("Month"), _("Amount (yuan)")],
        [(f"{r['month']:%Y-%m}", r["total"]) for r in d["by_month"]],
    )
    _sheet(
        wb,
        _("Spent by category"),
        [_("Category"), _("Classification"), _("Amount (yuan)")],
        [(str(r["label"]), str(r["classification"]), r["total"]) for r in d["spent_by_category"]],
    )
    _sheet(
        wb,
        _("Fund balances"),
        [_("Fund"), _("Kind"), _("Restricted"), _("Balance (yuan)")],
        [
            (f.name, str(f.get_kind_display()), _("yes") if f.restricted else _("no"), f.ledger_balance)
            for f in d["funds"]
        ],
    )
    _sheet(
        wb,
        _("Budget against actual"),
        [_("Project"), _("Organization"), _("Budget (yuan)"), _("Spent (yuan)"), _("Balance (yuan)")],
        [
            (f.name, f.project.organization.name if f.project else "", f.budget, f.spent, f.ledger_balance)
            for f in d["budget_vs_actual"]
        ],
    )
    _sheet(
        wb,
        _("Pending approvals"),
        [_("Submitted"), _("Organization"), _("Project"), _("Description"), _("Amount (yuan)")],
        [
            (e.submitted_at.date().isoformat(), e.organization.name, e.project.title, e.description, e.amount)
            for e in d["pending"]
        ],
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
