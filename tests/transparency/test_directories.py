"""Directory search and filters: organizations, projects and campaigns are found by words of their names
and texts (PostgreSQL full-text search, a simpler match on SQLite); only public ones; malformed query
strings get a clear 400, never a 500."""

import pytest
from django.db import connection

from fundraising import services as money
from tests.factories import fundraising as ff
from transparency import selectors


def _titles(qs, field="title"):
    return sorted(getattr(o, field) for o in qs)


@pytest.fixture
def campaign(programme):
    return ff.campaign(
        money.fund_for_project(programme.p1),
        title="Winter warmth for older residents",
        summary="Coats and heaters for residents living alone.",
    )


def test_directories_find_public_items_by_a_word_of_their_text(programme, campaign):
    assert _titles(selectors.project_directory(q="stairs")) == ["Safe stairs"]
    assert _titles(selectors.project_directory(q="HEALTH")) == ["Health checks for older residents"]
    assert _titles(selectors.project_directory(q="Draft idea")) == []  # a draft is never public
    assert _titles(selectors.project_directory(q="Org A")) == ["Health checks for older residents"]
    assert _titles(selectors.campaign_directory(q="heaters")) == ["Winter warmth for older residents"]
    assert _titles(selectors.organization_directory(q="Org B"), "name_en") == ["Org B"]
    # Chinese names are matched by substring on every database.
    assert _titles(selectors.organization_directory(q="甲社区"), "name_en") == ["Org A"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL")
def test_postgresql_full_text_search_matches_words_in_any_order(programme):
    # Not a substring of any title: only word matching finds these.
    assert _titles(selectors.project_directory(q="residents older health")) == [
        "Health checks for older residents"
    ]
    assert _titles(selectors.project_directory(q='"safe stairs" -health')) == ["Safe stairs"]
    assert _titles(selectors.project_directory(q="stairs OR checks")) == [
        "Health checks for older residents",
        "Safe stairs",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?q=%27%3B%20DROP%20TABLE",
        "?q=" + "x" * 5000,
        "?q=a%00b",
        "?q=%22unclosed",
        "?q=%3A*%20%26%20%21",
        "?q=residents&q=stairs",
        "?page=abc",
    ],
)
def test_malformed_search_queries_never_fail(client, programme, campaign, query):
    for path in ("/organizations/", "/projects/", "/campaigns/"):
        response = client.get(path + query)
        assert response.status_code in (200, 400), (path, query, response.status_code)


def test_project_directory_filters_by_status_and_rejects_unknown_ones(client, programme):
    html = client.get("/projects/?status=completed").content.decode()
    assert "Safe stairs" in html and "Health checks for older residents" not in html
    assert client.get("/projects/?status=draft").status_code == 400
    assert client.get("/organizations/?city=abc").status_code == 400


def test_project_search_keeps_the_money_columns(programme, django_assert_max_num_queries):
    (project,) = selectors.project_directory(q="health")
    assert project.title == "Health checks for older residents"
    # P1: 5,000 + 2,000 donated, 4,000 allocated, 2,500 spent, 8,500 held (see conftest).
    assert (project.money_raised, project.money_allocated) == (7000, 4000)
    assert (project.money_spent, project.money_balance) == (2500, 8500)
    with django_assert_max_num_queries(1):
        list(selectors.project_directory(q="residents"))
