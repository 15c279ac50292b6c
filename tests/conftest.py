"""Shared fixtures. Each app may add its own in tests/<app>/conftest.py."""

import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import translation

from empowerment import pagecache
from empowerment.authz import ADMINISTRATOR, FINANCE_OFFICER, PROGRAMME_OFFICER, TRAINER
from fundraising import notify
from organizations.models import Role
from tests.factories.core import OrganizationFactory, member, staff_user
from transparency import projectflow

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
requires_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs PostgreSQL (set DATABASE_URL=postgres://...): SQLite has no row locks"
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Django empties the tables between transactional tests with TRUNCATE, which the ledger's trigger
    refuses on PostgreSQL (fundraising migration 0010) unless the session allows it deliberately: the test
    database allows it for every session, this one included. A production database never does."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET empowerment.allow_ledger_truncate = 'on'")
            cursor.execute("SET empowerment.allow_ledger_truncate = 'on'")


@pytest.fixture(scope="session", autouse=True)
def _flush_by_deleting_on_postgresql():
    """Django empties every table after a transactional test with one TRUNCATE of all of them: on PostgreSQL
    that makes new files for each of the ~185 tables and their indexes (about 2 s a test on the 2-core build
    machine, a few minutes a run); deleting the few rows the test left takes a tenth of that. The deletes run
    in one transaction with triggers off (`session_replication_role = replica`: the foreign keys' checks are
    triggers, and the ledger's append-only triggers refuse a DELETE), which only a superuser may set, as the
    test database's user is in CI and in the README's set-up; for any other user Django's TRUNCATE stays."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables or not _superuser(self.connection):
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [
            "SET LOCAL session_replication_role = replica",
            *(f"DELETE FROM {self.quote_name(table)}" for table in tables),  # noqa: S608 - table names from Django
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


def _superuser(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_after_a_flush():
    """A test with serialized_rollback reloads the rows the migrations made (content types, staff groups,
    scoring criteria) under their first ids, and leaves them reloaded after it. A flush after an earlier
    transactional test has re-created them by post_migrate under new ids, which the reload would collide
    with: the tables are emptied first, without post_migrate, so the reload brings back exactly the
    migrated state."""
    from django.core.management import call_command
    from django.db import connections
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.test import TransactionTestCase

    original = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize(self, data):
        call_command(
            "flush", database=self.connection.alias, interactive=False, verbosity=0, inhibit_post_migrate=True
        )
        return original(self, data)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize
    # Such a test ends with a flush without post_migrate, which leaves the tables with none of those rows for
    # the transactional tests that follow without serialized_rollback (a staff user then finds no group):
    # the migrated state is reloaded after it instead.
    original_teardown = TransactionTestCase._fixture_teardown

    def teardown(self):
        original_teardown(self)
        if not self.serialized_rollback:
            return
        for alias in self._databases_names(include_mirrors=False):
            data = getattr(connections[alias], "_test_serialized_contents", None)
            if data:
                connections[alias].creation.deserialize_db_from_string(data)

    TransactionTestCase._fixture_teardown = teardown
    yield
    BaseDatabaseCreation.deserialize_db_from_string = original
    TransactionTestCase._fixture_teardown = original_teardown


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test stores files in its own folder and starts with an empty cache (rate limits)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Money is published as it is posted (the tests of the coalescing set the production window).
    settings.MONEY_PUBLISH_SECONDS = 0
    # Pages are not kept in the process's own memory (the tests of that copy set the production window).
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0
    # No keeper thread confirming those copies behind a test's back (as if this process had started it):
    # the tests of the keeper call pagecache.keep_local_copies() or start one of their own.
    pagecache._keeper.pid = os.getpid()
    # Nor the channels read for signed notifications (their own tests set the production window).
    settings.NOTIFY_CHANNEL_KEEP_SECONDS = 0
    cache.clear()
    pagecache.forget_local()
    notify.forget_channels()
    notify.services.forget_record_sent()
    projectflow.forget()  # drawings kept per process, under versions that tests reset with their rows
    # A request leaves its language active in the thread; texts stored in both languages are written in
    # the active one, so every test starts in the default language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    cache.clear()


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="甲社区服务中心", name_en="Org A", slug="org-a")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="乙社区服务中心", name_en="Org B", slug="org-b")


@pytest.fixture
def people(db, org_a, org_b):
    """One person for each role that the permission matrix knows."""
    return {
        "anonymous": None,
        "a_admin": member(org_a, Role.ADMIN, email="a-admin@example.org"),
        "a_editor": member(org_a, Role.EDITOR, email="a-editor@example.org"),
        "a_viewer": member(org_a, Role.VIEWER, email="a-viewer@example.org"),
        "b_admin": member(org_b, Role.ADMIN, email="b-admin@example.org"),
        "programme_officer": staff_user(PROGRAMME_OFFICER, email="officer@example.org"),
        "finance_officer": staff_user(FINANCE_OFFICER, email="finance@example.org"),
        "trainer": staff_user(TRAINER, email="trainer@example.org"),
        "administrator": staff_user(ADMINISTRATOR, email="admin@example.org"),
    }


@pytest.fixture
def connection_kept():
    """For tests calling the WSGI application itself: the test's database transaction must outlive each
    request. Django's test client stops request_started and request_finished from closing the connection;
    so does this, for the whole test."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
