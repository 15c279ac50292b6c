"""The public project list's search (projects.search) and its bounded count (empowerment.pagination): terms
read like a web search box, Latin words from the start of a word and Chinese anywhere, the same on both
databases; on PostgreSQL the search is answered by the trigram indexes; a long list counts a bounded
number of rows and still pages to its end."""

import pytest
from django.db import connection

from empowerment.pagination import CappedPaginator
from projects import search
from projects.models import Project
from projects.search import MAX_TERMS, Term, search_terms
from tests.factories import fundraising as ff
from transparency import selectors


def _titles(**filters):
    return sorted(p.title for p in selectors.project_directory(**filters))


@pytest.fixture
def texts(programme):
    programme.p1.summary = "Home visits and blood-pressure checks for residents living alone"
    programme.p1.save(update_fields=["summary"])
    ff.project(programme.p1.organization, title="长者助餐 食堂", slug="meals", status="active")
    return programme


def test_terms_are_read_like_a_web_search_box():
    assert search_terms('older "safe  stairs" -draft a OR b') == [
        [Term("older")],
        [Term("safe stairs")],
        [Term("draft", exclude=True)],
        [Term("a"), Term("b")],
    ]
    assert search_terms('"unclosed phrase') == [[Term("unclosed phrase")]]
    assert search_terms("OR - x\x00y") == [[Term("xy")]]  # a lone OR or minus is not a term; NUL removed
    assert len(search_terms(" ".join(f"w{i}" for i in range(50)))) == MAX_TERMS
    assert search_terms("   ") == []


def test_every_term_must_be_found_in_a_title_summary_or_organization_name(texts):
    assert _titles(q="stairs") == ["Safe stairs"]
    assert _titles(q="blood-pressure") == ["Health checks for older residents"]  # the summary
    assert _titles(q="resident LIVING") == ["Health checks for older residents"]  # word starts, any case
    assert _titles(q="residents stairs") == []  # both terms, not either
    assert _titles(q="Org A") == ["Health checks for older residents", "长者助餐 食堂"]  # the organization
    assert _titles(q="tairs") == []  # a Latin term starts a word
    assert _titles(q="助餐") == ["长者助餐 食堂"]  # Chinese anywhere, as written
    assert _titles(q="食堂") == ["长者助餐 食堂"]  # two characters (PostgreSQL: by the grams' indexes)
    assert _titles(q="堂食") == []
    assert _titles(q="ho") == ["Health checks for older residents"]  # "Home visits", not "checks"
    assert _titles(q="Draft") == []  # a draft is never public


def test_phrases_exclusions_and_alternatives(texts):
    assert _titles(q='"older residents"') == ["Health checks for older residents"]
    assert _titles(q='"residents older"') == []
    assert _titles(q="-stairs") == ["Health checks for older residents", "长者助餐 食堂"]
    assert _titles(q="stairs OR 食堂") == ["Safe stairs", "长者助餐 食堂"]
    assert _titles(q="-助餐") == ["Health checks for older residents", "Safe stairs"]


def test_search_combines_with_the_other_filters(texts):
    assert _titles(q="checks", status="active") == ["Health checks for older residents"]
    assert _titles(q="stairs", status="active") == []
    assert _titles(q="stairs", theme="older-people") == ["Safe stairs"]


@pytest.mark.parametrize(
    "q",
    [
        "stairs",
        "blood-pressure",
        "Org",
        "or",
        "tairs",
        "助餐",
        "-助餐",
        "-stairs",
        '"older residents"',
        "100%",
        "a_b",
        "%_",
    ],
)
@pytest.mark.parametrize("filters", [{}, {"status": "active"}, {"theme": "older-people"}])
def test_a_one_word_search_read_compiled_once_finds_what_the_orm_finds(texts, q, filters):
    """The list's pages read a one-term search compiled once and filled in (project_directory_rows): the
    same projects, in the same order, as project_directory's search by the ORM; the same read, filled in
    with another word, finds that word's."""
    from empowerment.querysets import CompiledList

    rows = selectors.project_directory_rows(page_size=24, q=q, **filters)
    assert isinstance(rows, CompiledList)
    assert [p.title for p in rows[0:24]] == [p.title for p in selectors.project_directory(q=q, **filters)]
    assert rows.count_up_to(1009, compiled_bound=1009) == selectors.project_directory(q=q, **filters).count()
    ff.project(texts.p1.organization, title=f"Also {q}", slug="also", status="active")
    titles = [p.title for p in selectors.project_directory_rows(page_size=24, q=q, **filters)[0:24]]
    assert titles == [p.title for p in selectors.project_directory(q=q, **filters)]


def test_a_longer_search_is_read_by_the_orm(texts):
    assert not hasattr(selectors.project_directory_rows(page_size=24, q="older residents"), "count_up_to")
    assert not hasattr(selectors.project_directory_rows(page_size=24, q="stairs", city="1501"), "count_up_to")


def _many_like(project, texts_of, n=3000):
    """n public projects of the same organization, theme and community as `project`, with texts_of(i)."""
    Project.objects.bulk_create(
        Project(
            organization=project.organization,
            theme=project.theme,
            community=project.community,
            slug=f"bulk-{i}",
            status=project.status,
            **texts_of(i),
        )
        for i in range(n)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes are PostgreSQL's")
def test_postgresql_answers_a_search_of_many_projects_from_the_trigram_indexes(texts):
    _many_like(texts.p1, lambda n: {"title": f"Project {n}", "summary": f"Summary of project {n}"})
    with connection.cursor() as cursor:
        # The rows are in the indexes as soon as they are written (migration projects/0010: no pending list
        # waiting for a vacuum); the planner is given the table's statistics.
        cursor.execute("ANALYZE projects_project")
        # Every column of both languages (projects/translation.py) in one reading of the table.
        fields = ["title_zh_hans", "title_en", "summary_zh_hans", "summary_en"]
        older = search.search_of("older").values
        sql, params = search._matching(
            Project.objects.all(), fields, older["like0"], older["word0"], None
        ).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        # The organizations' names: the same expression indexed (a handful of rows is read without it).
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'organizations_organization'")
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "BitmapOr" in plan, plan
    for column in ("title_en", "title_zh", "summary_en", "summary_zh"):
        assert f"Bitmap Index Scan on projects_project_{column}_trgm" in plan, plan
    for column in ("name_zh_hans", "name_en"):
        assert f"gin (upper(({column})::text) gin_trgm_ops)" in definitions, definitions
    assert _titles(q="older") == ["Health checks for older residents"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the grams' indexes are PostgreSQL's")
def test_postgresql_answers_a_search_from_the_grams_indexes(texts):
    """A search asks the GIN indexes of each text's characters and pairs of characters (migration
    projects/0009), a term of one or two characters too (it has no trigram), and finds what the LIKE tests
    alone find."""
    _many_like(
        texts.p1,
        lambda n: {
            "title_en": f"Project {n}",
            "title_zh_hans": f"项目{n}",
            "summary_zh_hans": f"第{n}号关爱",
        },
        n=1500,
    )
    fields = ["title_zh_hans", "title_en", "summary_zh_hans", "summary_en"]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE projects_project")
        for term in ("食堂", "堂", "长者助餐"):
            short = search.search_of(term)
            assert short.shape == (((False, False, True),),) and short.values["gram0"] == term
            sql, params = search._matching(
                Project.objects.all(), fields, short.values["like0"], None, term
            ).query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "BitmapOr" in plan, plan
            # A term of one or two characters has no trigram: only the grams' indexes can answer it; a longer
            # one may be answered by either index of each text.
            kinds = ("grams",) if len(term) <= 2 else ("grams", "trgm")
            for column in ("title_en", "title_zh", "summary_en", "summary_zh"):
                assert any(f"Bitmap Index Scan on projects_project_{column}_{k}" in plan for k in kinds), plan
    public = Project.objects.filter(status__in=Project.PUBLIC_STATUSES)
    for q in (
        "食堂",
        "关爱",
        "目1",
        "-关爱",
        "爱",
        "ro",
        "Pr",
        "ec",
        "P",
        "%_",
        "%",
        "_",
        "ss 关爱",
        "1 OR 关爱",
        "Project 1",
        "-目1",
        "第1号",
        "%_%",
        "roj",
    ):
        found = search.search_of(q)
        by_like = tuple(tuple((exclude, word, False) for exclude, word, _gram in g) for g in found.shape)
        assert any(gram for g in found.shape for _e, _w, gram in g), q
        assert sorted(
            search.searched(public, found.shape, **found.values).values_list("pk", flat=True)
        ) == sorted(search.searched(public, by_like, **found.values).values_list("pk", flat=True)), q


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search's indexes are PostgreSQL's")
def test_the_search_indexes_take_each_row_at_once_with_no_pending_list(db):
    """Every GIN index the search reads writes a new or changed row into the index itself (fastupdate off,
    migration projects/0010): none keeps a pending list that only a vacuum would merge and that every search
    would read from end to end."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT index.relname, index.reloptions FROM pg_index i"
            " JOIN pg_class index ON index.oid = i.indexrelid JOIN pg_class tab ON tab.oid = i.indrelid"
            " JOIN pg_am am ON am.oid = index.relam"
            " WHERE am.amname = 'gin' AND tab.relname IN ('projects_project', 'organizations_organization')"
        )
        indexes = dict(cursor.fetchall())
    assert len(indexes) == 15, sorted(
        indexes
    )  # trigrams (0006, 0007) and grams (0009) of every text searched
    assert {name: options for name, options in indexes.items() if options != ["fastupdate=off"]} == {}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the order's indexes are PostgreSQL's")
@pytest.mark.parametrize(("language", "index"), [("en", "title_en_order"), ("zh-hans", "title_zh_order")])
def test_a_page_of_the_unfiltered_list_is_read_in_title_order_from_an_index_in_either_language(
    texts, language, index
):
    from django.utils import translation  # noqa: PLC0415

    _many_like(
        texts.p1,
        lambda n: {
            "title_en": f"Project {n:04d}",
            "title_zh_hans": f"项目 {n:04d}",
            "title": f"项目 {n:04d}",
        },
    )
    with translation.override(language), connection.cursor() as cursor:
        cursor.execute("ANALYZE projects_project")
        page = selectors.project_directory()[:24]
        sql, params = page.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        first = [p.title for p in page]
    # The page's rows come from the index in order: no sort of every public project before the limit.
    assert f"Index Scan using projects_project_{index} on projects_project" in plan, plan
    assert "Sort" not in plan.split("SubPlan")[0], plan
    prefix = "Project" if language == "en" else "项目"
    assert [t for t in first if t.startswith(prefix)][:2] == [f"{prefix} 0000", f"{prefix} 0001"]


def test_a_capped_count_reads_a_bounded_number_of_rows_and_pages_to_the_end(programme):
    rows = list(range(1, 10))
    first = CappedPaginator(rows, 2, cap=5)
    assert first.bound == 6 and first.capped and first.count == 7
    assert list(first.page(3)) == [5, 6] and first.page(3).has_next()
    fourth = CappedPaginator(rows, 2, reach=4, cap=5)
    assert fourth.capped and list(fourth.page(4)) == [7, 8] and fourth.page(4).has_next()
    last = CappedPaginator(rows, 2, reach=5, cap=5)
    assert not last.capped and last.count == 9 and list(last.page(5)) == [9]
    assert not last.page(5).has_next()
    exact = CappedPaginator(Project.objects.filter(status="active").order_by("pk"), 24, cap=5)
    assert not exact.capped and exact.count == Project.objects.filter(status="active").count()


def test_the_project_list_says_more_than_when_its_count_is_capped(client, texts, monkeypatch):
    from empowerment import pagination  # noqa: PLC0415
    from transparency.views import public  # noqa: PLC0415

    monkeypatch.setattr(public, "PAGE_SIZE", 1)
    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    response = client.get("/projects/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "More than 1 projects" in text and "Page 1</span>" in text and "page=2" in text
    last = client.get("/projects/?page=3")
    assert last.status_code == 200
    assert "3 projects" in last.content.decode() and "page=4" not in last.content.decode()
    assert client.get("/projects/?page=4").status_code == 400
    exact = client.get("/projects/?q=stairs")
    assert exact.status_code == 200 and "1 project" in exact.content.decode()


def test_a_first_page_shorter_than_a_page_is_counted_without_a_count_statement(client, texts):
    """The first page's rows are read first; fewer than a page are the whole list, so the list says how many
    without a COUNT of its own. A full first page is counted as before, and a page further on too."""
    from django.test.utils import CaptureQueriesContext

    def fresh(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, HTTP_COOKIE="uncached=1")
        assert response.status_code == 200
        return response.content.decode(), [q["sql"] for q in captured.captured_queries]

    html, statements = fresh("/projects/?q=stairs")
    assert "1 project" in html and "Safe stairs" in html
    assert not [sql for sql in statements if "COUNT(" in sql], statements
    html, statements = fresh("/projects/?q=zzz-nothing")
    assert "No project matches." in html
    assert not [sql for sql in statements if "COUNT(" in sql], statements
    first = CappedPaginator(list(range(5)), 2)
    assert list(first.page(1)) == [0, 1] and first.count == 5 and first.num_pages == 3
    short = CappedPaginator(list(range(2)), 5)
    assert list(short.page(1)) == [0, 1] and short.count == 2 and not short.page(1).has_next()
