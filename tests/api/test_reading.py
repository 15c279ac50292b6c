"""The public API as a client meets it: every list and detail answers with the published data, paged by an
opaque cursor that neither skips nor repeats a row, filtered and ordered as asked; bad input is a 400
problem naming the parameter; nothing unknown or unpublished is found."""

import json
from decimal import Decimal

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LISTS = (
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
)


def get(client, path, expect=200, **params):
    response = client.get(f"/api/v1/{path}", params)
    assert response.status_code == expect, (path, params, response.status_code, response.content[:500])
    return response


def data(client, path, **params):
    return json.loads(get(client, path, **params).content)


def every_row(client, path, *, key, **params) -> list:
    """All rows of a list, following the cursor page by page."""
    rows, cursor, pages = [], None, 0
    while True:
        answer = data(client, path, **params, **({"cursor": cursor} if cursor else {}))
        rows += [row[key] for row in answer["items"]]
        pages += 1
        cursor = answer["next_cursor"]
        if cursor is None:
            assert answer["next"] is None
            return rows
        assert answer["next"].startswith("http://testserver/api/v1/") and "cursor=" in answer["next"]
        assert pages < 100


def test_every_list_answers_json_with_items_and_a_cursor(published):
    client = Client()
    for path in LISTS:
        response = get(client, path)
        assert response["Content-Type"].startswith("application/json")
        answer = json.loads(response.content)
        assert set(answer) == {"items", "next_cursor", "next"}, path
        assert isinstance(answer["items"], list)
    assert data(client, "projects")["items"], "the published projects are listed"


def test_projects_are_the_published_ones_with_the_books_figures(published):
    answer = data(Client(), "projects")
    by_slug = {row["slug"]: row for row in answer["items"]}
    assert set(by_slug) == {"health-checks", "safe-stairs"}
    p1 = by_slug["health-checks"]
    # P1 (tests/transparency/conftest.py): donations 5,000 + 2,000; allocated 4,000; spent 2,500.
    assert p1["donations_received"] == "7000.00"
    assert p1["allocated"] == "4000.00"
    assert p1["spent"] == "2500.00"
    assert p1["balance"] == "8500.00"
    assert p1["url"] == "http://testserver/projects/health-checks/"
    assert p1["id"].startswith("XI-CEP-project-")


def test_a_project_has_its_plan_indicators_results_and_money(published):
    project = data(Client(), "projects/health-checks")
    assert project["objectives"] == published.programme.p1.objectives
    assert {line["category"] for line in project["budget_lines"]} == {"activities", "materials"}
    assert [i["name"] for i in project["indicators"]] == ["Older people checked"]
    # 50 in January and 40 in the corrected February update (the 100 it replaced does not count).
    assert project["people_reached"]["total"] == 90
    assert project["approved_updates"] == 2
    assert project["money"]["money_in"] == "11000.00"
    assert project["money"]["spent"] == "2500.00"
    assert project["money"]["balance"] == "8500.00"
    assert Decimal(project["money"]["money_in"]) - Decimal(project["money"]["money_out"]) == Decimal(
        project["money"]["balance"]
    )


def test_the_cursor_walks_every_row_once_in_each_ordering(published):
    client = Client()
    ids = every_row(client, "donations", key="id", limit=1)
    assert len(ids) == len(set(ids)) == 4  # D1, D2, D3, D4; the reversed D5 and the unpublished gift left out
    assert every_row(client, "donations", key="id", limit=3, ordering="-id") == list(reversed(ids))
    dates = every_row(client, "donations", key="received_on", limit=1, ordering="received_on")
    assert dates == sorted(dates)
    newest = every_row(client, "donations", key="received_on", limit=2, ordering="-received_on")
    assert newest == sorted(dates, reverse=True)
    entries = every_row(client, "ledger/entries", key="seq", limit=7)
    assert entries == sorted(entries) and len(entries) == len(set(entries))


def test_filters_narrow_the_lists(published):
    client = Client()
    slugs = lambda **f: [r["slug"] for r in data(client, "projects", **f)["items"]]  # noqa: E731
    assert slugs(status="completed") == ["safe-stairs"]
    assert slugs(organization="org-a") == ["health-checks"]
    assert slugs(theme="older-people", city="150200") == ["health-checks", "safe-stairs"]
    assert slugs(city="110100") == []
    assert slugs(period="2026-Q2") == ["health-checks"]  # safe stairs ended in March
    amounts = [
        r["amount"] for r in data(client, "donations", period="2026-03", project="health-checks")["items"]
    ]
    assert sorted(amounts) == ["2000.00", "5000.00"]
    spent = data(client, "expenditures", organization="org-b")["items"]
    assert [(e["project_slug"], e["amount"], e["category"]) for e in spent] == [
        ("safe-stairs", "6000.00", "materials")
    ]
    updates = data(client, "updates", project="health-checks", period="2026-02")["items"]
    assert [u["people_reached"] for u in updates] == [40]


@pytest.mark.parametrize(
    "path,params,field",
    [
        ("projects", {"status": "draft"}, "status"),
        ("projects", {"city": "beijing"}, "city"),
        ("projects", {"period": "2026-13"}, "period"),
        ("projects", {"period": "last year"}, "period"),
        ("donations", {"limit": "1000"}, "limit"),
        ("donations", {"ordering": "amount"}, "ordering"),
        ("donations", {"cursor": "made-up"}, "cursor"),
        ("organizations", {"theme": "<script>"}, "theme"),
    ],
)
def test_bad_parameters_are_a_400_problem_naming_the_parameter(published, path, params, field):
    response = get(Client(), path, 400, **params)
    assert response["Content-Type"].startswith("application/problem+json")
    problem = json.loads(response.content)
    assert problem["status"] == 400 and problem["title"] == "Bad Request"
    assert field in [e["field"] for e in problem["errors"]], problem


def test_a_cursor_of_another_ordering_is_refused(published):
    client = Client()
    cursor = data(client, "donations", limit=1)["next_cursor"]
    problem = json.loads(
        get(client, "donations", 400, limit=1, cursor=cursor, ordering="-received_on").content
    )
    assert problem["errors"][0]["field"] == "cursor"


def test_unknown_and_unpublished_objects_are_404_problems(published):
    client = Client()
    for path in (
        "projects/secret-plan",
        "projects/draft-idea",
        "projects/no-such-project",
        "organizations/applicant-hidden",
        "campaigns/hidden-campaign",
        f"funds/{published.secret.fund.code}",
        "reports/NOSUCHCODE",
        "ledger/checkpoints/D1999-01-01",
        "nothing-here",
    ):
        response = get(client, path, 404)
        assert response["Content-Type"].startswith("application/problem+json"), path
        assert json.loads(response.content)["status"] == 404


def test_only_get_is_part_of_the_api(published):
    response = Client().post("/api/v1/projects", {})
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")


def test_details_of_each_kind(published):
    client = Client()
    org = data(client, "organizations/org-a")
    assert org["projects"] == ["health-checks"] and org["money"]["spent"] == "2500.00"
    campaign_slug = data(client, "campaigns")["items"]
    assert campaign_slug == []  # the fixture's only campaign is unpublished
    fund = data(client, f"funds/{published.programme.general.code}")
    assert fund["kind"] == "general" and fund["money"]["balance"] == "6000.00"
    cohort = data(client, "cohorts")["items"][0]
    assert cohort["participants_certified"] == 2 and cohort["organizations"] == 2
