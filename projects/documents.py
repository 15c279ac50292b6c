"""The project progress report PDF (one project, one period: an approved progress update), rendered by
the shared pipeline."""

from django.utils.translation import gettext as _

from empowerment.documents.registry import DocumentKind, register

from . import charts, selectors


def _context(update, params):
    project = update.project
    progress = selectors.indicator_progress(project, until=update.period_end)
    return {
        "project": project,
        "update": update,
        "values": list(update.values.select_related("indicator")),
        "progress": progress,
        "chart": charts.indicator_chart(progress),
        "photos": list(update.photos.all()),
        "people": list(update.people.all()),
        "people_total": sum(p.count for p in update.people.all()),
    }


def _can(user, update) -> bool:
    return user.has_perm("projects.view_org_projects", update.project.organization)


register(
    DocumentKind(
        name="project_progress_report",
        template="projects/pdf/progress_report.html",
        build_context=_context,
        title=lambda update, params: (
            _("Progress report: %(title)s, %(start)s – %(end)s")
            % {"title": update.project.title, "start": update.period_start, "end": update.period_end}
        ),
        can_request=_can,
        can_view=_can,
        filename=lambda update, params: f"progress-{update.project.slug}-{update.period_end:%Y%m}",
    )
)
