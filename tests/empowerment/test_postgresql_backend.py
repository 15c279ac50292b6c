"""The PostgreSQL backend's health check (empowerment/postgresql/base.py): a persistent connection that
served a request cleanly less than a second ago is not checked again before the next request; one idle
longer, or whose last request failed, is checked as Django checks it, and a connection the server closed in
the meantime is replaced without the request failing. The request cycle is driven as Django's
request_started / request_finished handlers drive it (close_if_unusable_or_obsolete), on a real connection."""

from unittest import mock

import psycopg
import pytest
from django.db import connection
from django.db.utils import OperationalError, ProgrammingError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def persistent():
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend")
    saved = connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = None, True
    yield
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = saved


def _request(sql: str = "SELECT 2") -> None:
    connection.close_if_unusable_or_obsolete()  # request_started
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close_if_unusable_or_obsolete()  # request_finished


def _checks(*requests):
    with mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as is_usable:
        for sql in requests:
            _request(sql)
    return is_usable.call_count


def test_a_connection_busy_serving_requests_is_not_checked_before_each(persistent):
    assert connection.settings_dict["ENGINE"] == "empowerment.postgresql"
    _request()  # opens the connection (a new one counts as checked) and serves the request
    backend = connection.connection.info.backend_pid
    assert _checks("SELECT 2", "SELECT 3", "SELECT 4") == 0
    assert connection.connection.info.backend_pid == backend  # the same connection throughout


def test_a_connection_idle_longer_than_a_second_is_checked_as_django_checks_it(persistent):
    _request()
    connection.proven_at -= connection.PROVEN_FOR
    assert _checks("SELECT 2") == 1
    assert _checks("SELECT 3") == 0  # proven again by that request


def test_a_connection_the_server_closed_while_idle_is_replaced_without_failing_the_request(persistent):
    _request()
    backend = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])
    connection.proven_at -= connection.PROVEN_FOR
    _request("SELECT 2")
    assert connection.connection.info.backend_pid != backend


def test_after_a_failed_statement_django_checks_the_connection_keeping_it_only_if_it_answers(persistent):
    _request()
    connection.proven_at -= connection.PROVEN_FOR
    with mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as is_usable:
        with pytest.raises(ProgrammingError):
            _request("SELECT * FROM no_such_table")
    assert is_usable.call_count == 2  # before its statement (idle too long) and after its error (Django's)
    assert connection.connection is not None  # it answered: kept, and that check proved it
    assert _checks("SELECT 2") == 0

    backend = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])
    with pytest.raises(OperationalError):  # lost within the proven second: that request fails
        _request("SELECT 2")
    assert connection.connection is None and connection.proven_at is None  # closed at its end
    _request("SELECT 3")  # the next request opens a new connection
    assert connection.connection.info.backend_pid != backend
