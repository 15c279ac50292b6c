"""A per-row subquery compiled once (empowerment.querysets.per_row_subquery) gives what Django's own
correlated Subquery gives, and its builder runs once per process and database, not at every query."""

import pytest
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from empowerment import querysets
from organizations.models import Organization
from projects.models import Project
from tests.factories.core import OrganizationFactory
from tests.factories.projects import ProjectFactory

pytestmark = pytest.mark.django_db


def _projects_of(outer):
    return (
        Project.objects.filter(organization=outer).order_by().values("organization").annotate(n=Count("pk"))
    )


def test_a_per_row_subquery_gives_djangos_figures_and_is_built_once(monkeypatch):
    monkeypatch.setattr(querysets, "_compiled", {})
    busy, quiet, idle = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    ProjectFactory.create_batch(3, organization=busy)
    ProjectFactory(organization=quiet)
    built = []

    def build(outer):
        built.append(outer)
        return _projects_of(outer).values("n")[:1]

    def kept():
        shown = querysets.per_row_subquery(
            "projects per organization", Organization, build, output_field=IntegerField(), default=0
        )
        return dict(Organization.objects.annotate(n=shown).values_list("pk", "n"))

    djangos = dict(
        Organization.objects.annotate(
            n=Coalesce(Subquery(_projects_of(OuterRef("pk")).values("n")[:1]), Value(0))
        ).values_list("pk", "n")
    )
    assert kept() == djangos
    assert (djangos[busy.pk], djangos[quiet.pk], djangos[idle.pk]) == (3, 1, 0)
    ProjectFactory(organization=idle)
    assert kept()[idle.pk] == 1  # the same compiled statement, the rows of the moment
    assert len(built) == 1
