"""Races closed: the same first submission, the same project title, the same follower at the same moment end
in one row (or distinct slugs) and a clear answer, never an IntegrityError; the public figures' version moves
on commit, not before; the dashboard snapshot is JSON; TRUNCATE of the ledger is refused on PostgreSQL.

The thread tests need PostgreSQL's row locks (DATABASE_URL=postgres://..., as tests/fundraising/test_concurrency.py)."""

import json
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from projects import services as projects
from projects.models import Project
from tests.conftest import requires_postgres
from tests.factories.trainings import PDF_BYTES
from tests.trainings.conftest import cohort  # noqa: F401 - fixture
from tests.transparency.conftest import programme  # noqa: F401 - fixture
from trainings import services as trainings
from trainings.models import Submission
from transparency import selectors, snapshot_codec
from transparency import services as transparency
from transparency.models import DashboardSnapshot, Follower


def _proposal(org, title: str) -> dict:
    from tests.factories.projects import theme

    return {"title": title, "theme": theme(), "community": org.area}


def _at_once(count: int, work) -> list:
    """Run work(i) in `count` threads released together; returns each outcome ("ok" or the error's text)."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i):
        try:
            barrier.wait()
            work(i)
            outcomes[i] = "ok"
        except ValidationError as exc:
            outcomes[i] = " ".join(exc.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_first_submissions_of_one_exercise_at_once_end_in_one_row(cohort, org_a, people):  # noqa: F811
    exercise = cohort.exercises.get()
    editors = [people["a_admin"], people["a_editor"]] * 3

    def submit(i):
        trainings.submission_submit(
            exercise=exercise,
            organization=org_a,
            file=SimpleUploadedFile(f"plan-{i}.pdf", PDF_BYTES),
            note=f"version {i}",
            by=editors[i],
        )

    outcomes = _at_once(6, submit)
    assert all(o == "ok" for o in outcomes), outcomes  # each waits for the other, then replaces its file
    submission = Submission.objects.get()
    assert submission.history.count() == 6  # every version is kept in the history
    assert submission.file.read() == PDF_BYTES


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_projects_with_the_same_title_at_once_get_distinct_slugs(org_a, people):
    def create(i):
        projects.project_create(
            organization=org_a, by=people["a_editor"], data=_proposal(org_a, "Warm homes for older residents")
        )

    outcomes = _at_once(5, create)
    assert outcomes == ["ok"] * 5
    slugs = sorted(Project.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 5
    assert slugs[0] == "warm-homes-for-older-residents"
    assert set(slugs[1:]) == {f"warm-homes-for-older-residents-{n}" for n in range(2, 6)}


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_address_following_twice_at_once_is_one_follower(org_a, django_capture_on_commit_callbacks):
    from tests.factories.fundraising import project

    p = project(org_a, slug="health-checks")

    def follow(i):
        transparency.follow_request(
            email="fan@example.org",
            client=f"10.0.0.{i}",
            base_url="http://testserver",
            language="en",
            project=p,
        )

    outcomes = _at_once(4, follow)
    assert outcomes == ["ok"] * 4
    assert Follower.objects.filter(project=p, email="fan@example.org").count() == 1


@requires_postgres
@pytest.mark.django_db
def test_truncate_of_the_ledger_is_refused_on_postgresql():
    for table in ("fundraising_ledgerentry", "fundraising_ledgertransaction", "fundraising_ledgerchain"):
        with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic():
            with connection.cursor() as cursor:
                # The test database allows TRUNCATE (Django empties tables with it); production does not.
                cursor.execute("SET LOCAL empowerment.allow_ledger_truncate = 'off'")
                cursor.execute(f"TRUNCATE {table} CASCADE")


@pytest.mark.django_db
def test_a_slug_taken_between_the_check_and_the_insert_moves_to_the_next_one(org_a, people, monkeypatch):
    """The race, replayed in one thread: the slug found free is taken by another insert before ours."""
    from empowerment import slugs
    from tests.factories.projects import ProjectFactory

    original = slugs.free_slug
    calls = []

    def stale_free_slug(model, base, **kwargs):
        calls.append(base)
        if len(calls) == 1:
            ProjectFactory(organization=org_a, title="Other", slug=base)  # another request's insert
            return base
        return original(model, base, **kwargs)

    monkeypatch.setattr(slugs, "free_slug", stale_free_slug)
    project = projects.project_create(
        organization=org_a, by=people["a_editor"], data=_proposal(org_a, "Safe stairs")
    )
    assert project.slug == "safe-stairs-2"
    assert len(calls) == 2


@pytest.mark.django_db
def test_the_figures_version_moves_on_commit_not_before(django_capture_on_commit_callbacks):
    before = selectors.figures_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        selectors.figures_changed()
        assert selectors.figures_version() == before  # a reader now still sees the old version
    assert len(callbacks) == 1
    callbacks[0]()  # the commit
    assert selectors.figures_version() == before + 1
    cache.clear()


def test_the_snapshot_codec_reads_back_exactly_what_it_wrote():
    figures = {
        "raised": Decimal("32001.00"),
        "by_month": [(date(2026, 1, 1), Decimal("0.10")), (date(2026, 2, 1), Decimal("-3"))],
        "by_theme": {7: {"projects": 2, "spent": Decimal("12.50")}, None: {"projects": 0}},
        "pair_keys": {("1502", "x"): 1},
        "ratio": 0.5,
        "flag": True,
        "label": "包头",
        "__decimal__": "a key that looks like a tag",
    }
    stored = json.loads(json.dumps(snapshot_codec.encode(figures)))
    assert snapshot_codec.decode(stored) == figures
    with pytest.raises(TypeError):
        snapshot_codec.encode({"user": object()})


@pytest.mark.django_db
def test_the_dashboard_snapshot_is_stored_as_json_and_reads_back_as_computed(programme):  # noqa: F811
    figures = transparency.dashboard_refresh()
    snapshot = DashboardSnapshot.objects.get()
    assert isinstance(snapshot.figures, dict)  # JSON, not pickled bytes
    with connection.cursor() as cursor:
        cursor.execute("SELECT figures FROM transparency_dashboardsnapshot")
        raw = cursor.fetchone()[0]
    stored = json.loads(raw) if isinstance(raw, str | bytes) else raw  # JSON text (SQLite) or jsonb
    assert stored["raised"] == {"__decimal__": str(figures["raised"])}
    assert snapshot.figures_value == figures
