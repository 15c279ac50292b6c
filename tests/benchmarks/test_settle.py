"""The scale data sets are measured as a running server keeps its tables (benchmarks.scale.settle): vacuumed,
so that their pages are all-visible and index-only scans can answer, even on a server whose autovacuum is
off. Only the test's own table is settled: a table's statistics outlive a test's rollback, and the other
tests' tables, settled while nearly empty, would be planned as empty once their tests fill them. The
transactional test ends by reloading what the migrations made (serialized_rollback): its flush would
otherwise leave the tests after it without the training modules and other reference rows."""

import pytest
from django.db import connection

from benchmarks.scale import settle
from organizations.models import Theme
from tests.conftest import requires_postgres


def _all_visible_pages(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_settling_vacuums_so_that_the_tables_pages_are_all_visible():
    Theme.objects.bulk_create(Theme(slug=f"settled-{i}", name=f"Theme {i}") for i in range(2_000))
    table = Theme._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")  # what the builder did before: statistics, no visibility map
    assert _all_visible_pages(table) == 0

    settle(connection, (table,))

    assert _all_visible_pages(table) > 0


@requires_postgres
@pytest.mark.django_db
def test_inside_a_transaction_settling_gathers_the_statistics_only():
    # VACUUM cannot run in a transaction block: a test's transaction gets ANALYZE, and no error.
    assert connection.in_atomic_block
    settle(connection, (Theme._meta.db_table,))
