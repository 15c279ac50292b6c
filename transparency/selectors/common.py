"""Public objects the other selectors modules share: public projects (projects.selectors holds the one rule),
effective progress updates and valid certificates."""

from django.db.models import Exists, OuterRef, QuerySet

from empowerment.querysets import compiled_once
from projects import selectors as project_selectors
from projects.models import ProgressUpdate, Project
from trainings.models import Certificate


def public_projects() -> QuerySet[Project]:
    return project_selectors.public_projects()


def public_project(slug: str) -> Project | None:
    """A public project with its community's areas up to the top (a community is at most four levels deep,
    organizations.models.Area), so that the page names its city without a query per level, and with its
    fund (read once with it: its money, its flow and the page's cache topics all start from the fund). The
    read is compiled once (empowerment.querysets.compiled_once): every project page makes it."""
    return next(iter(compiled_once("public project", _public_project, slug=slug)), None)


def _public_project(slug: str) -> QuerySet[Project]:
    return (
        project_selectors.public_projects()
        .filter(slug=slug)
        .select_related("community__parent__parent__parent", "fund")
        .order_by("pk")[:1]
    )


def effective_updates_all() -> QuerySet[ProgressUpdate]:
    """Approved updates of public projects that no approved correction replaces (every project)."""
    replaced = ProgressUpdate.objects.filter(supersedes=OuterRef("pk"), status=ProgressUpdate.Status.APPROVED)
    return ProgressUpdate.objects.filter(
        status=ProgressUpdate.Status.APPROVED, project__status__in=Project.PUBLIC_STATUSES
    ).exclude(Exists(replaced))


def valid_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.filter(revoked_at__isnull=True)
