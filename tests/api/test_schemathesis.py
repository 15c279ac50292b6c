"""Property-based tests of every operation against the OpenAPI document the app serves (Schemathesis over
the WSGI app, in-process): random valid and invalid parameters never cause a server error, and every answer
matches the document (status code, content type, headers and body schema; problem details for errors).

One check is left out: "a request the schema allows is accepted". A cursor is an opaque string the schema
cannot describe beyond its length, so a made-up one is rightly refused with a 400 problem."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings


@pytest.fixture
def connection_kept():
    """The test's database transaction must outlive each request: Django's test client stops
    request_started and request_finished from closing the connection, and so does this for Schemathesis' WSGI client."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_answers_as_documented(case, published, connection_kept):
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
