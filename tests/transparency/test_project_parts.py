"""A project page's parts kept in the database (transparency.projectparts): drawn once, shown from their row
even after the cache is emptied, and drawn again when what they show changes (the database versions of the
"pages" and "projects" topics, empowerment.freshness DURABLE) or the release does."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from empowerment import freshness
from empowerment.models import TopicVersion
from tests.transparency.test_fragments import _section, _table
from transparency import projectparts
from transparency.models import ProjectParts

pytestmark = pytest.mark.django_db

URL = "/projects/health-checks/"
# Tables only the stored parts read: the plan, the progress, the record and the itemised money (the fund
# flow finds its allocations' ledger transactions through the allocations' table, reading none of their
# columns but that link: the itemised allocations read their dates).
PART_TABLES = (
    "projects_progressupdate",
    "projects_indicator",
    "projects_activity",
    "projects_budgetline",
    "transparency_disclosure",
    "fundraising_expenditure",
    '"fundraising_allocation"."allocated_on"',
)
SECTIONS = ('<section id="plan"', '<section id="progress"', '<section id="reports"')


def _objectives(programme, text):
    from projects.models import Project

    project = Project.objects.get(pk=programme.p1.pk)
    project.objectives = text
    project.save()


def _uncached(**headers):
    """The page rendered with the whole cache emptied first; (HTML, the SQL run)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(URL, **headers)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    return response.content.decode(), " ".join(q["sql"] for q in captured.captured_queries)


def test_the_parts_are_drawn_and_stored_per_language_on_the_first_visit(programme):
    english = Client().get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    stored = ProjectParts.objects.get(project=programme.p1, language="en")
    assert stored.parts["story"] in english and stored.parts["record"] in english
    assert {"items:allocations_in", "items:spent", "items:out"} <= set(stored.parts)
    assert stored.stamp.startswith(f"{projectparts.FORMAT}:") and ":fund:" in stored.stamp
    Client().get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese = ProjectParts.objects.get(project=programme.p1, language="zh-hans")
    assert "Activities and timeline" in stored.parts["story"]
    assert "Activities and timeline" not in chinese.parts["story"]


def test_after_the_cache_is_emptied_the_stored_drawing_is_shown_without_drawing_it(programme):
    first = Client().get(URL).content.decode()  # none stored yet: drawn now and stored
    drawn_at = ProjectParts.objects.get(project=programme.p1, language="en").drawn_at
    again, read = _uncached()
    assert [table for table in PART_TABLES if table in read] == []
    assert "transparency_projectparts" in read and "empowerment_topicversion" in read
    for marker in SECTIONS:
        assert _section(again, marker) == _section(first, marker) != ""
    assert _table(again, 'id="money-out-items"') == _table(first, 'id="money-out-items"') != ""
    assert ProjectParts.objects.get(project=programme.p1, language="en").drawn_at == drawn_at
    # The other language has its own, drawn on its first visit and kept the same way.
    _uncached(HTTP_ACCEPT_LANGUAGE="zh-hans")
    _html, read = _uncached(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert [table for table in PART_TABLES if table in read] == []


@pytest.mark.django_db(transaction=True)  # real commits: the topics move when the change commits
def test_a_change_to_what_they_show_draws_them_again_even_with_the_cache_emptied(programme):
    Client().get(URL)
    before = TopicVersion.objects.get(topic="pages").version
    _objectives(programme, "Fewer falls at home")
    assert TopicVersion.objects.get(topic="pages").version != before  # moved after the change committed
    assert "Fewer falls at home" in Client().get(URL).content.decode()  # the page's cache moved too
    stored = ProjectParts.objects.get(project=programme.p1, language="en")
    assert "Fewer falls at home" in stored.parts["story"]
    # Another change, then the cache emptied (its versions gone): the database's still tell.
    _objectives(programme, "Fewer falls, and fewer lonely evenings")
    cache.clear()
    html, read = _uncached()
    assert "fewer lonely evenings" in html and "projects_activity" in read
    html, read = _uncached()
    assert "fewer lonely evenings" in html and "projects_activity" not in read


def test_a_change_committed_while_they_are_drawn_leaves_them_to_be_drawn_again(programme, monkeypatch):
    real = projectparts.draw

    def draw_while_it_changes(project, fund):
        parts = real(project, fund)
        freshness.touch("projects")  # committed after the versions were read, before the drawing is kept
        return parts

    monkeypatch.setattr(projectparts, "draw", draw_while_it_changes)
    _uncached()
    monkeypatch.setattr(projectparts, "draw", real)
    _html, read = _uncached()
    assert "projects_activity" in read  # drawn again: its stamp named the versions before the change
    _html, read = _uncached()
    assert "projects_activity" not in read


def test_a_drawing_made_by_another_release_in_another_hour_or_without_a_fund_is_not_shown(programme):
    Client().get(URL)
    row = ProjectParts.objects.get(project=programme.p1, language="en")
    fmt, release, fund, hour, versions = row.stamp.split(":")
    for other in (
        f"{fmt}:0000000000000000:{fund}:{hour}:{versions}",
        f"{fmt}:{release}:nofund:{hour}:{versions}",
        f"{fmt}:{release}:{fund}:2000-01-01T00:{versions}",
    ):
        ProjectParts.objects.filter(pk=row.pk).update(
            stamp=other, parts={"story": "<p>old</p>", "record": ""}
        )
        html, read = _uncached()
        assert "<p>old</p>" not in html and 'id="money-out-items"' in html and "projects_activity" in read
        assert ProjectParts.objects.get(pk=row.pk).stamp == row.stamp


def test_only_content_topics_have_a_database_version(programme):
    TopicVersion.objects.all().delete()
    freshness.touch("money")
    freshness.touch(freshness.fund_topic(1))
    freshness.touch("trainings")
    assert not TopicVersion.objects.exists()  # money is published many times a second: never written here
    freshness.touch("projects")
    first = TopicVersion.objects.get(topic="projects").version
    freshness.touch("projects")
    assert TopicVersion.objects.get(topic="projects").version != first
    assert freshness.durable_versions(["pages", "projects"]) == {
        "pages": 0,
        "projects": TopicVersion.objects.get(topic="projects").version,
    }


def test_a_project_without_a_fund_is_drawn_without_itemised_money(programme):
    from fundraising.models import Fund

    Fund.objects.filter(project=programme.p1).update(project=None)
    html, _read = _uncached()
    stored = ProjectParts.objects.get(project=programme.p1, language="en")
    assert ":nofund:" in stored.stamp and not any(p.startswith("items:") for p in stored.parts)
    assert "No money has been received for this project yet." in html


def test_a_drawing_the_database_refuses_to_keep_is_still_shown(programme, monkeypatch):
    from django.db import DatabaseError

    def refuse(*args):
        raise DatabaseError("cannot execute INSERT in a read-only transaction")

    monkeypatch.setattr(projectparts, "_upsert", refuse)
    html, _read = _uncached()
    assert '<section id="plan"' in html and 'id="money-out-items"' in html
    assert not ProjectParts.objects.exists()


@pytest.mark.django_db(transaction=True)  # real commits: the topics move when the change commits
def test_answers_and_advances_are_kept_with_the_parts_and_drawn_again_when_one_is_added(programme):
    from datetime import date
    from decimal import Decimal

    from fundraising import services as money
    from transparency import services

    first, _read = _uncached()
    stored = ProjectParts.objects.get(project=programme.p1, language="en")
    assert "No published answers yet." in stored.parts["answers"]
    assert 'id="disbursements"' in stored.parts["disbursements"] and "3,000.00" in first
    html, read = _uncached()
    assert "transparency_question" not in read and "fundraising_disbursement" not in read
    assert 'id="disbursements"' in html and "No published answers yet." in html

    question = services.question_ask(
        data={"kind": "question", "name": "Li", "email": "li@example.org", "body": "When is the next check?"},
        client="203.0.113.9",
        project=programme.p1,
    )
    services.question_answer(
        question=question, answer="Every first Monday.", publish=True, by=programme.officer
    )
    money.disbursement_create(
        project=programme.p1, amount=Decimal("1500.00"), paid_on=date(2026, 4, 1), by=programme.finance
    )
    cache.clear()
    html, read = _uncached()
    assert "Every first Monday." in html and "No published answers yet." not in html
    assert "1,500.00" in html[html.find('id="disbursements"') :]
    assert "transparency_question" in read  # drawn again: the versions moved when the changes committed
    html, read = _uncached()
    assert "Every first Monday." in html and "transparency_question" not in read
