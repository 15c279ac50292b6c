"""Excel exports of a cohort's attendance and results for staff (openpyxl). Text that a spreadsheet would
read as a formula (starting with = + - @, tab or carriage return) is prefixed with an apostrophe."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from empowerment.spreadsheets import safe_cell

from . import selectors
from .models import Attendance


def _book(title: str, header: list[str], rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([safe_cell(h) for h in header])
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def attendance_workbook(cohort) -> bytes:
    sessions = list(cohort.sessions.select_related("module").order_by("starts_at"))
    labels = dict(Attendance.Status.choices)
    marks = {}
    for enrolment_id, session_id, status in Attendance.objects.filter(session__cohort=cohort).values_list(
        "enrolment_id", "session_id", "status"
    ):
        marks[(enrolment_id, session_id)] = str(labels[status])
    header = [_("Organization"), _("Participant"), _("Role or title")] + [str(s) for s in sessions]
    rows = []
    for e in cohort.enrolments.select_related("participant__organization").order_by(
        "participant__organization__name", "participant__name"
    ):
        p = e.participant
        rows.append([p.organization.name, p.name, p.title] + [marks.get((e.pk, s.pk), "") for s in sessions])
    return _book(_("Attendance"), header, rows)


def results_workbook(cohort) -> bytes:
    header = [
        _("Organization"),
        _("Participant"),
        _("Role or title"),
        _("Sessions attended"),
        _("Sessions"),
        _("Attendance (%)"),
        _("Required exercises accepted"),
        _("Required exercises"),
        _("Completion rule met"),
        _("Certificate"),
    ]
    certificates = dict(
        cohort.enrolments.filter(certificates__revoked_at__isnull=True).values_list(
            "pk", "certificates__verification_code"
        )
    )
    rows = []
    for e, p in selectors.cohort_enrolments_progress(cohort):
        rows.append(
            [
                e.participant.organization.name,
                e.participant.name,
                e.participant.title,
                p.attended,
                p.sessions,
                p.percent,
                p.accepted,
                p.required,
                _("yes") if p.met else _("no"),
                certificates.get(e.pk, ""),
            ]
        )
    return _book(_("Results"), header, rows)
