"""A per-row subquery compiled once (empowerment.querysets.per_row_subquery) gives what Django's own
correlated Subquery gives, and its builder runs once per process and database, not at every query; a whole
read compiled once (compiled_once) gives the rows its queryset gives, for any values."""

import threading

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


def _busiest(name, slug):
    """Organizations of that name, annotated with the number of projects of that slug they have."""
    count = Project.objects.filter(organization=OuterRef("pk"), slug=slug).order_by().values("organization")
    return (
        Organization.objects.filter(name=name)
        .annotate(n=Coalesce(Subquery(count.annotate(c=Count("pk")).values("c")[:1]), Value(0)))
        .order_by("pk")
    )


def test_a_read_compiled_once_gives_the_querysets_rows_for_any_values(monkeypatch):
    monkeypatch.setattr(querysets, "_local", threading.local())
    first, second = OrganizationFactory(name="First"), OrganizationFactory(name="Second")
    ProjectFactory(organization=first, slug="wells")
    ProjectFactory(organization=second, slug="schools")
    built = []

    def build(name, slug):
        built.append((name, slug))
        return _busiest(name, slug)

    def read(name, slug):
        return [(o.pk, o.name, o.n) for o in querysets.compiled_once("busiest", build, name=name, slug=slug)]

    for name, slug in [("First", "wells"), ("Second", "wells"), ("Second", "schools"), ("Nobody", "x")]:
        assert read(name, slug) == [(o.pk, o.name, o.n) for o in _busiest(name, slug)]
    assert read("First", "wells") == [(first.pk, "First", 1)]
    assert read("Second", "wells") == [(second.pk, "Second", 0)]
    assert len(built) == 1  # with markers, once
    assert all(value.startswith("\x1f") for value in built[0])


def test_a_read_compiled_once_brings_its_related_rows_and_takes_integers(
    monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(querysets, "_local", threading.local())
    first, second = OrganizationFactory(name="First"), OrganizationFactory(name="Second")
    wells = ProjectFactory(organization=first, slug="wells")
    ProjectFactory(organization=second, slug="schools")

    def build(organization):
        return Project.objects.filter(organization=organization).select_related("organization").order_by("pk")

    for organization in (first, second):
        with django_assert_num_queries(1):  # the organization comes with each project
            read = querysets.compiled_once("projects of", build, organization=organization.pk)
            shown = [(p.pk, p.slug, p.status, p.organization.name) for p in read]
        assert shown == [(p.pk, p.slug, p.status, p.organization.name) for p in build(organization.pk)]
    assert querysets.compiled_once("projects of", build, organization=0) == []
    kept = querysets.compiled_once("projects of", build, organization=first.pk)[0]
    assert kept == wells and kept._state.adding is False and kept._state.db == "default"
    kept.title = "Deep wells"
    kept.save(update_fields=["title"])  # an instance like any other
    wells.refresh_from_db()
    assert wells.title == "Deep wells"


def test_a_read_compiled_once_gives_values_as_the_queryset_does(monkeypatch, django_assert_num_queries):
    """values(), values_list() (in the order asked, annotations included) and flat lists, as Django's own."""
    monkeypatch.setattr(querysets, "_local", threading.local())
    first, second = OrganizationFactory(name="First"), OrganizationFactory(name="Second")
    ProjectFactory.create_batch(2, organization=first)
    ProjectFactory(organization=second)
    reads = {
        "dicts": lambda organization: (
            Project.objects.filter(organization=organization)
            .order_by("pk")
            .values("slug", "organization__slug")
        ),
        "counted": lambda organization: (
            Organization.objects.filter(pk=organization)
            .annotate(n=Count("projects"))
            .values_list("n", "slug", "pk")
        ),
        "flat": lambda organization: (
            Project.objects.filter(organization=organization).order_by("-pk").values_list("pk", flat=True)
        ),
        "grouped": lambda organization: (
            Project.objects.filter(organization=organization)
            .order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True)
        ),
    }
    for name, build in reads.items():
        for organization in (first.pk, second.pk, 0):
            with django_assert_num_queries(1):
                read = querysets.compiled_once(name, build, organization=organization)
            assert read == list(build(organization)), name
    assert querysets.compiled_once("counted", reads["counted"], organization=first.pk) == [
        (2, first.slug, first.pk)
    ]


def test_a_read_compiled_once_takes_dates(monkeypatch):
    """A date is sent as the backend adapts it (SQLite: ISO text), compared and bucketed as Django would."""
    from datetime import date

    from django.db.models import Case, Value, When

    monkeypatch.setattr(querysets, "_local", threading.local())
    for day in (date(2025, 1, 1), date(2025, 6, 1), date(2026, 1, 1)):
        ProjectFactory(start_date=day, end_date=date(2026, 12, 31))

    def build(start, end):
        return (
            Project.objects.annotate(
                bucket=Case(When(start_date__lt=start, then=Value("before")), default=Value("during"))
            )
            .filter(start_date__lte=end)
            .order_by("start_date")
            .values_list("start_date", "bucket")
        )

    for start, end in ((date(2025, 3, 1), date(2025, 12, 31)), (date(2024, 1, 1), date(2030, 1, 1))):
        assert querysets.compiled_once("dated", build, start=start, end=end) == list(build(start, end))
    assert querysets.compiled_once("dated", build, start=date(2025, 3, 1), end=date(2025, 12, 31)) == [
        (date(2025, 1, 1), "before"),
        (date(2025, 6, 1), "during"),
    ]


def test_a_read_that_can_find_nothing_sends_nothing(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(querysets, "_local", threading.local())
    OrganizationFactory(slug="here")
    with django_assert_num_queries(0):
        found = querysets.compiled_once(
            "in nothing", lambda slug: Organization.objects.filter(slug=slug, pk__in=[]), slug="here"
        )
    assert found == []


def test_a_value_the_orm_rewrites_or_of_another_type_cannot_be_compiled_once(monkeypatch):
    monkeypatch.setattr(querysets, "_local", threading.local())
    with pytest.raises(ValueError, match="does not reach the query's parameters unchanged"):
        querysets.compiled_once("search", lambda q: Organization.objects.filter(name__icontains=q), q="abc")
    with pytest.raises(ValueError, match="named tuples"):
        querysets.compiled_once(
            "names", lambda q: Organization.objects.filter(name=q).values_list("pk", named=True), q="abc"
        )
    with pytest.raises(ValueError, match="translated field"):  # read in the active language, with fallbacks
        querysets.compiled_once("titles", lambda q: Project.objects.filter(slug=q).values("title"), q="abc")
    with pytest.raises(ValueError, match="prefetching"):
        querysets.compiled_once(
            "with projects",
            lambda q: Organization.objects.filter(name=q).prefetch_related("projects"),
            q="abc",
        )
    with pytest.raises(TypeError, match="a string, an integer or a date"):
        querysets.compiled_once("named", lambda name: Organization.objects.filter(name=name), name=True)


def test_a_read_compiled_once_follows_the_language_of_translated_fields(monkeypatch):
    """An ordering by a translated field is the column of the active language (django-modeltranslation):
    each language has its own compiled read."""
    from django.utils import translation

    monkeypatch.setattr(querysets, "_local", threading.local())
    OrganizationFactory(name="二", name_en="Alpha", name_zh_hans="二", slug="o-one", status="graduated")
    OrganizationFactory(name="一", name_en="Beta", name_zh_hans="一", slug="o-two", status="graduated")

    def build(status):
        return Organization.objects.filter(status=status).order_by("name")

    for language, expected in (
        ("en", ["o-one", "o-two"]),
        ("zh-hans", ["o-two", "o-one"]),
        ("en", ["o-one", "o-two"]),
    ):
        with translation.override(language):
            assert [o.slug for o in querysets.compiled_once("by name", build, status="graduated")] == expected
            assert [o.slug for o in build("graduated")] == expected


def test_related_rows_read_apart_are_given_as_prefetch_related_gives_them(django_assert_num_queries):
    """attach_related: each instance's reverse foreign key reads its own rows, in their order, with no query,
    and each row knows its instance."""
    first, second, third = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    ProjectFactory(organization=first, slug="b")
    ProjectFactory(organization=first, slug="a")
    ProjectFactory(organization=second, slug="c")
    organizations = list(Organization.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("pk"))
    projects = list(Project.objects.order_by("slug"))
    assert querysets.attach_related(organizations, "projects", projects) is organizations
    with django_assert_num_queries(0):
        shown = {o.pk: [(p.slug, p.organization is o) for p in o.projects.all()] for o in organizations}
        empty = not organizations[2].projects.all()
    assert shown == {first.pk: [("a", True), ("b", True)], second.pk: [("c", True)], third.pk: []}
    assert empty
    assert querysets.attach_related([], "projects", projects) == []


def test_on_postgresql_a_read_compiled_once_is_planned_once_per_connection(
    monkeypatch, django_assert_num_queries
):
    """Its statement is prepared on the server (pg_prepared_statements of the connection) and still logged
    and counted like any other; the rows are those of the queryset."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    monkeypatch.setattr(querysets, "_local", threading.local())
    first = OrganizationFactory(slug="prepared-one")
    ProjectFactory(organization=first)

    def build(slug):
        return Organization.objects.filter(slug=slug).annotate(n=Count("projects")).order_by("pk")

    for _ in range(3):
        with django_assert_num_queries(1) as captured:
            found = querysets.compiled_once("prepared", build, slug="prepared-one")
        assert [(o.pk, o.n) for o in found] == [(first.pk, 1)]
        assert "'prepared-one'" in captured.captured_queries[0]["sql"]  # logged with its value
    assert querysets.compiled_once("prepared", build, slug="nobody") == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%COUNT(%"])
        prepared = [row[0] for row in cursor.fetchall()]
    assert len(prepared) == 1 and '"organizations_organization"."slug" = $1' in prepared[0]


def test_on_postgresql_a_compiled_reads_constants_are_written_into_its_statement(monkeypatch):
    """The constants of a compiled read (here a status list, a text with a percent sign and a number) are
    literals of its prepared statement, its values alone parameters: PostgreSQL's plan for every value then
    knows the constants, and after a few executions it plans the statement no more (generic_plans)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    monkeypatch.setattr(querysets, "_local", threading.local())
    org = OrganizationFactory(slug="constants")
    kept = ProjectFactory(organization=org, status="active", title="100% kept")
    ProjectFactory(organization=org, status="draft", title="100% draft")

    def build(organization):
        return (
            Project.objects.filter(organization=organization, status__in=["active", "completed"])
            .filter(title__startswith="100%")
            .annotate(seven=Value(7, output_field=IntegerField()))
            .order_by("pk")
        )

    for _ in range(8):
        found = querysets.compiled_once("constants", build, organization=org.pk)
        assert [(p.pk, p.seven) for p in found] == [(kept.pk, 7)]
    assert querysets.compiled_once("constants", build, organization=org.pk + 1000) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        ((statement, generic),) = [row for row in cursor.fetchall() if "7 AS " in row[0]]
    assert "IN ('active', 'completed')" in statement and r"LIKE  E'100\\%%'" in statement, statement
    assert "$1" in statement and "$2" not in statement
    assert generic > 0


def test_on_postgresql_a_read_asked_for_one_plan_is_never_planned_for_its_values(monkeypatch):
    """compiled_once(generic_plan=True) runs its statement under plan_cache_mode = force_generic_plan: from
    its first execution PostgreSQL uses its one plan for all values (left to itself, it plans the first five
    executions for their values, and may go on doing so). The next read that does not ask for it runs
    under the server's default again; the session's setting is changed only when the next read wants the
    other."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    monkeypatch.setattr(querysets, "_local", threading.local())
    org = OrganizationFactory(slug="one-plan")
    kept = ProjectFactory(organization=org, slug="one-plan-kept")

    def build(slug):
        return Project.objects.filter(slug=slug).order_by("pk")

    def by_pk(pk):
        return Project.objects.filter(pk=pk).values_list("slug", flat=True)

    def plans(marker):
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
            return [
                (generic, custom) for statement, generic, custom in cursor.fetchall() if marker in statement
            ]

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return cursor.fetchone()[0]

    found = querysets.compiled_once("one plan", build, generic_plan=True, slug="one-plan-kept")
    assert [p.pk for p in found] == [kept.pk]
    assert plans('"projects_project"."slug" = $1') == [(1, 0)]
    assert setting() == "force_generic_plan" and connection.plan_cache_mode == "force_generic_plan"
    assert querysets.compiled_once("by pk", by_pk, pk=kept.pk) == ["one-plan-kept"]
    assert plans('"projects_project"."id" = $1') == [(0, 1)]  # planned for its value, as by default
    assert setting() == "auto" and connection.plan_cache_mode == "auto"
    assert querysets.compiled_once("one plan", build, generic_plan=True, slug="other") == []
    assert plans('"projects_project"."slug" = $1') == [(2, 0)]


def test_a_compiled_list_pages_as_its_queryset_does_and_compiles_only_its_first_pages(
    monkeypatch, django_assert_num_queries
):
    from empowerment.pagination import CappedPaginator

    monkeypatch.setattr(querysets, "_local", threading.local())
    org, other = OrganizationFactory(), OrganizationFactory()
    ProjectFactory.create_batch(7, organization=org)
    ProjectFactory(organization=other)

    def of(organization):
        return Project.objects.filter(organization=organization).order_by("title", "pk")

    rows = querysets.CompiledList("projects of", of, page_size=2, pages=2, organization=org.pk)
    expected = [p.pk for p in of(org.pk)]
    for reach in (1, 2, 3, 4):
        paginator = CappedPaginator(rows, 2, reach=reach, cap=5)
        djangos = CappedPaginator(of(org.pk), 2, reach=reach, cap=5)
        assert (paginator.count, paginator.capped) == (djangos.count, djangos.capped)
        page = paginator.page(reach)
        assert [p.pk for p in page] == expected[(reach - 1) * 2 : reach * 2]
        assert page.has_next() == djangos.page(reach).has_next()
    names = {key[0] for key in querysets._local.reads}
    # Pages 1 and 2 and the first bound's count are compiled; pages 3 and 4 and the count of the further
    # bound (page 4 reaches past the cap) are read by the ORM.
    assert names == {"projects of [0:2]", "projects of [2:4]", "projects of keys [:7]"}, names
    other_rows = querysets.CompiledList("projects of", of, page_size=2, pages=2, organization=other.pk)
    assert [p.pk for p in CappedPaginator(other_rows, 2, cap=5).page(1)] == [p.pk for p in of(other.pk)]
    assert {key[0] for key in querysets._local.reads} == names  # only filled in for another organization
    with django_assert_num_queries(0):
        assert rows[4:4] == []
    with pytest.raises(TypeError):
        rows[3]


def test_a_compiled_lists_capped_count_is_counted_by_the_database(monkeypatch):
    """The capped count sends back one row, the count (not the keys it counts), compiled once or not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(querysets, "_local", threading.local())
    org = OrganizationFactory()
    ProjectFactory.create_batch(4, organization=org)
    rows = querysets.CompiledList(
        "projects of",
        lambda organization: Project.objects.filter(organization=organization).order_by("pk"),
        page_size=2,
        organization=org.pk,
    )
    for bound, compiled in ((3, 3), (10, 3), (10, 10)):
        with CaptureQueriesContext(connection) as captured:
            assert rows.count_up_to(bound, compiled_bound=compiled) == min(bound, 4)
        assert len(captured) == 1 and captured[0]["sql"].upper().startswith("SELECT COUNT(*)")
