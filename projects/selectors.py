"""Reads of needs assessments, projects, indicators and updates, scoped to what the caller may see."""

from django.db.models import QuerySet

from .models import Project


def public_projects() -> QuerySet[Project]:
    """Projects the public may see: approved for incubation, active, completed or closed."""
    return Project.objects.filter(status__in=Project.PUBLIC_STATUSES).select_related(
        "organization", "theme", "community"
    )


def projects_for_organization(organization) -> QuerySet[Project]:
    """All projects of one organization (drafts included): for its own portal and for staff."""
    return Project.objects.filter(organization=organization).select_related("theme", "community")
