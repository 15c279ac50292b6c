"""The transparency report PDF (programme or project, for a month, quarter or year), rendered by the
shared pipeline. The subject is a TransparencyReport row; published reports are public."""

import base64

from django.utils.translation import gettext as _

from empowerment.authz import is_staff_member
from empowerment.documents.registry import DocumentKind, register
from empowerment.documents.registry import get as registry_get


def _flow_attachment(flow, chart, report) -> dict:
    """When the picture merges projects, the whole fund flow (every link) as a CSV file attached to the
    PDF (a data: URL the pipeline embeds), named after the report."""
    from empowerment.numbers import format_count  # noqa: PLC0415

    from .selectors import reports  # noqa: PLC0415

    if chart is flow:
        return {}
    text = reports.flow_csv(flow, header=(_("From"), _("To"), _("Amount (yuan)")))
    scope = f"project-{report.project.slug}" if report.project_id else "programme"
    return {
        "flow_attachment": "data:text/csv;base64," + base64.b64encode(text.encode()).decode(),
        "flow_attachment_name": f"fund-flow-{scope}-{report.period_label}.csv",
        "flow_lines": len(flow.links),
        "flow_lines_shown": format_count(len(flow.links)),
    }


def _context(report, params):
    from empowerment.numbers import format_count  # noqa: PLC0415

    from . import labels, presentation, selectors  # noqa: PLC0415
    from .periods import Period  # noqa: PLC0415
    from .selectors import reports  # noqa: PLC0415

    period = Period(report.period_kind, report.period_start, report.period_end)
    project = report.project
    content = selectors.report_content(period, project=project, labels=labels.flow_labels())
    flow = content["flow"]
    title = _("Sources and uses of funds")
    chart = reports.chart_flow(flow, label=lambda n: _("Other projects (%(n)s)") % {"n": format_count(n)})
    return {
        "report": report,
        "project": project,
        "period": period,
        **content,
        "income_by_channel": content["income_by_channel"],
        "spent_by_category": [(labels.category(c), v) for c, v in content["spent_by_category"]],
        "expenditures": [
            {**row, "category_label": labels.category(row["category"])} for row in content["expenditures"]
        ],
        "flow_chart": presentation.flow_chart(chart, title=title),
        "flow_rows": presentation.flow_rows(flow),
        **_flow_attachment(flow, chart, report),
    }


def _can_request(user, report) -> bool:
    from .services import can_request_report  # noqa: PLC0415

    return can_request_report(user, report.project)


def _can_view(user, report) -> bool:
    return is_staff_member(user) or (
        report.project_id is not None and user.has_perm("transparency.request_project_report", report.project)
    )


def _title(report, params) -> str:
    if report.project_id:
        return _("Transparency report: %(project)s, %(period)s") % {
            "project": report.project.title,
            "period": report.period_label,
        }
    return _("Programme transparency report, %(period)s") % {"period": report.period_label}


def _filename(report, params) -> str:
    scope = f"project-{report.project.slug}" if report.project_id else "programme"
    return f"transparency-{scope}-{report.period_label}-{report.language}"


register(
    DocumentKind(
        name="transparency_report",
        template="transparency/pdf/report.html",
        build_context=_context,
        title=_title,
        can_request=_can_request,
        can_view=_can_view,
        public=True,
        filename=_filename,
    )
)


def _with_project_money(kind: DocumentKind) -> DocumentKind:
    """The progress report of a project (registered by projects, which may not read fundraising) with the
    project's money over the update's period, from the books (fundraising.selectors.period_figures, the
    same definitions as every transparency report): composed here, where the public composition lives."""
    from dataclasses import replace  # noqa: PLC0415

    from fundraising import selectors as books  # noqa: PLC0415

    from .periods import Period  # noqa: PLC0415

    base = kind.build_context

    def build_context(update, params):
        context = base(update, params)
        period = Period("range", update.period_start, update.period_end)
        context["money"] = books.period_figures(period, project=update.project)
        return context

    return replace(kind, build_context=build_context)


# transparency's AppConfig.ready runs after projects' (INSTALLED_APPS order), which registered the kind.
register(_with_project_money(registry_get("project_progress_report")))
