"""Property-based tests of every operation against the OpenAPI document the app serves (Schemathesis over
the WSGI app, in-process): random valid and invalid parameters never cause a server error, and every answer
matches the document (status code, content type, headers and body schema; problem details for errors).

One check is left out: "a request the schema allows is accepted". A cursor is an opaque string the schema
cannot describe beyond its length, so a made-up one is rightly refused with a 400 problem."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

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
