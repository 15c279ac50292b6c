"""Parts of a public page kept apart from its money (empowerment.fragments, and a project page's in the
database, transparency.projectparts): a project page rendered again because its money moved takes its plan,
progress and reports as kept, while any change to what they show renders them again at once, per language,
for every visitor."""

import pytest
from django.test import Client

from empowerment import freshness
from empowerment.fragments import fragment
from tests.factories import fundraising as ff

pytestmark = pytest.mark.django_db

URL = "/projects/health-checks/"


def _counting_render(calls, html="<p>part</p>"):
    def render():
        calls.append(1)
        return html

    return render


def test_a_fragment_is_rendered_once_while_its_topics_keep_their_versions():
    calls = []
    first = fragment("part", 7, topics=("pages",), render=_counting_render(calls))
    again = fragment("part", 7, topics=("pages",), render=_counting_render(calls))
    assert first == again == "<p>part</p>" and len(calls) == 1
    fragment("part", 8, topics=("pages",), render=_counting_render(calls))  # another object: its own
    assert len(calls) == 2
    freshness.touch("projects")  # a topic it does not show
    fragment("part", 7, topics=("pages",), render=_counting_render(calls))
    assert len(calls) == 2
    freshness.touch("pages")
    fragment("part", 7, topics=("pages",), render=_counting_render(calls))
    assert len(calls) == 3


def test_a_change_made_while_a_fragment_is_rendered_is_not_stored_as_current():
    calls = []

    def render_while_it_changes():
        calls.append(1)
        freshness.touch("pages")  # the data moved after the versions were read
        return "<p>old</p>"

    fragment("part", 1, topics=("pages",), render=render_while_it_changes)
    assert fragment("part", 1, topics=("pages",), render=lambda: "<p>new</p>") == "<p>new</p>"
    assert len(calls) == 1


def test_nothing_is_kept_when_the_public_pages_are_not_stored(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    calls = []
    fragment("part", 1, topics=("pages",), render=_counting_render(calls))
    fragment("part", 1, topics=("pages",), render=_counting_render(calls))
    assert len(calls) == 2


def test_a_project_page_rendered_again_for_its_money_keeps_its_plan_and_progress(
    programme, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first_render:
        first = Client().get(URL)
    assert first["X-Page-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        ff.donate(fund=ff_fund(programme.p1), amount="123.45", channel=programme.bank, by=programme.finance)
    with CaptureQueriesContext(connection) as money_render:
        again = Client().get(URL)
    assert again["X-Page-Cache"] == "miss"  # its money moved: rendered again
    before, after = first.content.decode(), again.content.decode()
    # The new money is shown; the plan, the progress and the reports are the same HTML, not read again.
    assert "123.45" in after and "123.45" not in before
    for marker in ('<section id="plan"', '<section id="progress"', '<section id="reports"'):
        assert _section(before, marker) == _section(after, marker) != ""
    read_again = [q["sql"] for q in money_render.captured_queries]
    assert not any("projects_progressupdate" in sql or "projects_indicator" in sql for sql in read_again)
    assert len(money_render.captured_queries) < len(first_render.captured_queries)


@pytest.mark.django_db(transaction=True)  # real commits: the topics move when the change commits
def test_a_change_to_the_project_shows_at_once_signed_in_or_not(programme):
    from projects.models import Project

    officer = Client()
    officer.force_login(programme.officer)
    assert "Fewer falls at home" not in Client().get(URL).content.decode()
    assert "Fewer falls at home" not in officer.get(URL).content.decode()
    project = Project.objects.get(pk=programme.p1.pk)
    project.objectives = "Fewer falls at home"
    project.save()
    assert "Fewer falls at home" in Client().get(URL).content.decode()
    assert "Fewer falls at home" in officer.get(URL).content.decode()


def test_each_language_keeps_its_own_fragment(programme):
    english = Client().get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = Client().get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Activities and timeline" in english and "Activities and timeline" not in chinese
    assert "Activities and timeline" not in Client().get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_a_project_pages_itemised_money_is_kept_while_only_donations_arrive(
    programme, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = Client().get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ff.donate(fund=ff_fund(programme.p1), amount="321.09", channel=programme.bank, by=programme.finance)
    with CaptureQueriesContext(connection) as money_render:
        after = Client().get(URL).content.decode()
    # The figures follow the donation; the lists of what was allocated and spent are the same HTML, kept.
    assert "321.09" in after and "321.09" not in before
    for marker in ('id="allocations-in"', 'id="money-out-items"'):
        assert _table(before, marker) == _table(after, marker) != ""
    assert "Blood pressure monitors" in _table(after, 'id="money-out-items"')
    read_again = " ".join(q["sql"] for q in money_render.captured_queries)
    # Neither list is read again (the fund flow finds its allocations' ledger transactions through the
    # allocations' table, reading none of their columns but that link; the list reads their dates).
    assert "fundraising_expenditure" not in read_again
    assert '"fundraising_allocation"."allocated_on"' not in read_again


@pytest.mark.django_db(transaction=True)  # real commits: the topics move when the change commits
def test_an_expenditure_approved_or_reversed_shows_in_the_kept_list_at_once_and_the_list_totals_the_figure(
    programme,
):
    from decimal import Decimal

    from fundraising import selectors as books
    from fundraising import services as money
    from fundraising.models import Expenditure

    assert "Walking frames" not in Client().get(URL).content.decode()
    claim = money.expenditure_submit(
        project=programme.p1,
        budget_line=programme.p1.budget_lines.get(category="activities"),
        amount=Decimal("480.00"),
        spent_on=programme.p1.start_date,
        description="Walking frames",
        payee="Medical supplier",
        document=ff.receipt_file(),
        by=programme.finance,
    )
    money.expenditure_approve(expenditure=claim, by=programme.finance)
    shown = Client().get(URL).content.decode()
    assert "Walking frames" in _table(shown, 'id="money-out-items"')
    fund = ff_fund(programme.p1)
    listed = sum((e.amount for e in books.fund_items(fund)["spent"]), Decimal("0"))
    assert listed == books.fund_money(fund, itemised=False)["spent_total"] == Decimal("2980.00")

    money.expenditure_reverse(
        expenditure=Expenditure.objects.get(pk=claim.pk), by=programme.finance, reason="Paid twice"
    )
    assert "Walking frames" not in _table(Client().get(URL).content.decode(), 'id="money-out-items"')


def _table(html: str, marker: str) -> str:
    start = html.find(marker)
    return "" if start < 0 else html[start : html.find("</table>", start)]


def ff_fund(project):
    from fundraising.models import Fund

    return Fund.objects.get(project=project)


def _section(html: str, marker: str) -> str:
    start = html.find(marker)
    return "" if start < 0 else html[start : html.find("</section>", start)]


def test_the_home_page_draws_the_dashboard_when_its_figures_are_computed_not_when_it_is_shown(
    programme, settings, monkeypatch
):
    """The snapshot keeps its figures drawn in every language: a render for the money shows that drawing
    while a worker computes new figures, and a page whose cache was emptied reads the one row."""
    from django.core.cache import cache

    from transparency import presentation, services
    from transparency.models import DashboardSnapshot

    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker computes new figures; the stored ones are shown
    asked = []
    monkeypatch.setattr(services, "_refresh_later", lambda: asked.append(1))
    drawn = []
    real = presentation.dashboard
    monkeypatch.setattr(presentation, "dashboard", lambda figures: drawn.append(1) or real(figures))
    first = Client().get("/")
    assert first["X-Page-Cache"] == "miss" and len(drawn) == 2  # no snapshot yet: computed, drawn twice
    snapshot = DashboardSnapshot.objects.get(name=services.DASHBOARD)
    assert set(snapshot.drawn["html"]) == {"en", "zh-hans"}
    assert "项目" in snapshot.drawn["html"]["zh-hans"] and "项目" not in snapshot.drawn["html"]["en"]
    freshness.touch_all(["money"])  # money moved: the page is rendered again, its figures not yet
    again = Client().get("/")
    assert again["X-Page-Cache"] == "miss" and asked  # a worker was asked for new figures
    assert len(drawn) == 2
    assert _section(again.content.decode(), "<h1") == _section(first.content.decode(), "<h1") != ""
    chinese = Client().get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert len(drawn) == 2 and snapshot.drawn["html"]["zh-hans"] in chinese
    services.dashboard_refresh()  # the worker: new figures, drawn in both languages
    assert len(drawn) == 4
    # A name it shows (or an organization, or a team's hours) may have changed: the stored drawing is shown
    # while a worker computes the figures and draws them again.
    asked.clear()
    freshness.touch_all(["pages"])
    assert Client().get("/")["X-Page-Cache"] == "miss" and asked and len(drawn) == 4
    services.dashboard_refresh()
    assert len(drawn) == 6
    # Everything kept in the cache gone (a restart of Redis): the stored drawing, from one row.
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        drawn={"pages": 0, "html": {"en": "<section><h1>As drawn by the worker</h1></section>"}}
    )
    cache.clear()
    assert "As drawn by the worker" in Client().get("/").content.decode()
    assert len(drawn) == 6


def test_a_stored_drawing_is_used_only_under_the_names_it_was_drawn_with(programme):
    from django.core.cache import cache

    from transparency import services
    from transparency.models import DashboardSnapshot

    services.dashboard_refresh()
    DashboardSnapshot.objects.filter(name=services.DASHBOARD).update(
        drawn={
            "pages": freshness.version("pages"),
            "html": {"en": "<section><h1>As drawn by the worker</h1></section>"},
        }
    )
    assert "As drawn by the worker" in Client().get("/").content.decode()
    freshness.touch_all(["pages"])
    cache.delete(f"transparency:dashboard:{services.dashboard_stamp()}")
    page = Client().get("/").content.decode()
    assert "As drawn by the worker" not in page and "Programme dashboard" in page
    # A language it was not drawn in is drawn when shown.
    assert "As drawn by the worker" not in Client().get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
