"""The database connection lost in the middle of a request: a clean error page, a logged error, and nothing
half-written (every multi-row change is one transaction). The fault is injected at the database driver
boundary (Django's execute_wrapper), after the first rows of the change were written."""

import logging

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from organizations.models import Membership, ProgrammeApplication

# Transactional: no test transaction around the request, so what is committed is what a real request leaves.
pytestmark = pytest.mark.django_db(transaction=True)


class LoseConnection:
    """Lets queries through until one matches `when`, then fails it (and every later one) like a dropped
    server connection does."""

    def __init__(self, when):
        self.when = when
        self.lost = False
        self.seen = []

    def __call__(self, execute, sql, params, many, context):
        if self.lost or self.when(sql):
            self.lost = True
            raise OperationalError("server closed the connection unexpectedly")
        self.seen.append(sql)
        return execute(sql, params, many, context)


def _post_with_fault(client, url, data, fault):
    client.raise_request_exception = False
    with connection.execute_wrapper(fault):
        return client.post(url, data)


def test_losing_the_database_while_saving_an_application_shows_the_error_page_and_saves_nothing(
    client,
    application_post,
    caplog,
):
    # Fails when the themes of the application are written, after its own row went in.
    fault = LoseConnection(lambda sql: sql.lstrip().upper().startswith("INSERT") and "_themes" in sql)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = _post_with_fault(client, reverse("organizations:apply"), application_post, fault)
    assert fault.lost
    assert any("INSERT" in sql and "programmeapplication" in sql for sql in fault.seen)  # a row was written
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "nothing was half-saved" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert any(r.levelno == logging.ERROR and "OperationalError" in str(r.exc_info) for r in caplog.records)
    assert ProgrammeApplication.objects.count() == 0
    assert ProgrammeApplication.history.count() == 0


def test_losing_the_database_while_removing_a_member_keeps_the_membership(client, people, org_a):
    membership = Membership.objects.get(user=people["a_viewer"], organization=org_a)
    client.force_login(people["a_admin"])
    fault = LoseConnection(lambda sql: sql.lstrip().upper().startswith("DELETE") and "membership" in sql)
    url = reverse("organizations:member_remove", args=[org_a.slug, membership.pk])
    response = _post_with_fault(client, url, {}, fault)
    assert fault.lost
    assert response.status_code == 500
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert membership.history.count() == 1  # only the creation: no "removed" record without the removal


def test_losing_the_database_before_a_page_is_read_gives_the_error_page_not_a_traceback(client, db):
    fault = LoseConnection(lambda sql: True)
    client.raise_request_exception = False
    with connection.execute_wrapper(fault):
        response = client.get(reverse("organizations:apply"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
