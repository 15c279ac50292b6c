"""How the API behaves on the wire: ETag and Last-Modified with 304, CORS for reads from any site, a rate
limit per address with 429 and Retry-After, problem details, a query count that does not grow with the page
size, and the documentation page under the site's Content-Security-Policy, linked from open data."""

import json
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from empowerment import freshness
from fundraising import ledger
from tests.factories import fundraising as ff
from tests.factories.projects import UpdateFactory

pytestmark = pytest.mark.django_db


def test_an_unchanged_answer_is_a_304_by_etag_and_by_date(published):
    client = Client()
    first = client.get("/api/v1/projects", {"limit": 1})
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60"
    time.sleep(1.1)  # the same answer a second later has the same ETag (its next cursor included)
    again = client.get("/api/v1/projects", {"limit": 1}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get("/api/v1/projects", {"limit": 1}, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Another page, or the data changed since: the full answer.
    assert client.get("/api/v1/projects", {"limit": 2}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    ff.donate(fund=ledger.general_fund(), amount="10.00", by=published.programme.finance)
    changed = client.get("/api/v1/programme", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert changed.status_code == 200
    stale = client.get("/api/v1/programme", HTTP_IF_NONE_MATCH=first["ETag"])
    assert stale.status_code == 200


def test_any_site_may_read_it_without_credentials(published):
    client = Client()
    answer = client.get("/api/v1/funds", HTTP_ORIGIN="https://dashboard.example.org")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/funds",
        HTTP_ORIGIN="https://dashboard.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert not client.cookies, "the API sets no cookie"


def test_an_address_past_its_allowance_gets_429_with_retry_after(settings, db):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW = 60
    client = Client()
    answers = [client.get("/api/v1/funds") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[1]["RateLimit-Remaining"] == "1"
    refused = answers[3]
    assert refused["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert json.loads(refused.content)["status"] == 429
    assert refused["Access-Control-Allow-Origin"] == "*"
    # Another address has its own allowance.
    assert Client(REMOTE_ADDR="10.0.0.9").get("/api/v1/funds").status_code == 200


def _queries(path, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(path, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_page_size(published, org_a):
    p = published.programme
    for n in range(12):
        project = ff.project(org_a, title=f"Extra {n}", slug=f"extra-{n}", status="active")
        ff.donate(fund=ledger.general_fund(), amount=f"{n + 1}.00", channel=p.bank, by=p.finance)
        update = UpdateFactory(
            project=project, period_start=date(2026, 5, 1), period_end=date(2026, 5, 31), status="approved"
        )
        update.people.create(sex="female", age_band="18-59", count=n + 1)
        ff.campaign(ledger.general_fund(), slug=f"extra-campaign-{n}", goal=Decimal("100.00"))
    for path in (
        "organizations",
        "projects",
        "updates",
        "campaigns",
        "funds",
        "donations",
        "expenditures",
        "ledger/months",
        "ledger/entries",
        "ledger/checkpoints",
        "reports",
        "disclosures",
        "cohorts",
    ):
        small, large = _queries(f"/api/v1/{path}", limit=1), _queries(f"/api/v1/{path}", limit=100)
        assert small == large, f"{path}: {small} queries for one row, {large} for a hundred"


def test_the_documentation_page_works_under_the_sites_csp_and_open_data_links_it(db):
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    body = page.content.decode()
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in body and "onclick" not in body  # scripts only from files
    assert '/static/ninja/swagger-ui-bundle.js"' in body and '/static/api/docs.js"' in body
    assert 'data-schema-url="/api/v1/openapi.json"' in body
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and json.loads(schema.content)["openapi"].startswith("3.")
    open_data = client.get("/open-data/").content.decode()
    assert 'href="/api/v1/docs"' in open_data
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert '<html lang="zh-hans">' in chinese.get("/api/v1/docs").content.decode()


def test_the_schema_is_described_in_the_visitors_language(db):
    english = json.loads(Client().get("/api/v1/openapi.json").content)
    chinese = json.loads(Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/api/v1/openapi.json").content)
    path = ["components", "schemas", "Donation", "properties", "amount", "description"]
    en, zh = english, chinese
    for key in path:
        en, zh = en[key], zh[key]
    assert en == "Amount in yuan."
    assert zh != en  # open data's own Chinese description of the field


def test_the_donation_notification_endpoint_keeps_its_own_answers(db):
    """/api/donations/notify/ is not part of the read API: no rate limit, CORS or problem details there."""
    response = Client().get("/api/donations/notify/no-such-channel/")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["error"] == "method_not_allowed"
    assert "RateLimit-Limit" not in response and "Access-Control-Allow-Origin" not in response


def test_a_stored_answer_is_served_until_what_it_shows_changes(published):
    client = Client()
    first = client.get("/api/v1/programme")
    assert first["X-API-Cache"] == "miss"
    again = client.get("/api/v1/programme")
    assert again["X-API-Cache"] == "hit" and again.content == first.content and again["ETag"] == first["ETag"]
    assert client.get("/api/v1/programme", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/api/v1/programme", HTTP_ACCEPT_LANGUAGE="zh-hans")["X-API-Cache"] == "miss"
    freshness.touch(freshness.MONEY)  # what a new posting publishes after its commit
    assert client.get("/api/v1/programme")["X-API-Cache"] == "miss"
