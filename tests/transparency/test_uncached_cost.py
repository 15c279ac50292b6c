"""What a public page costs when it is rendered afresh (not from the page cache): the project page's fund
flow reads only the funds its own sums name, however many other funds the programme has, and the campaign
page reads its campaign without the programme-wide money subqueries (its money is campaign_progress's) and
its fund's figures without the itemised lists it does not show; the forms of the public pages are drawn
without crispy's templates, exactly as crispy draws them. The figures themselves are checked by
test_one_page.py, test_fund_flow.py and tests/reconciliation."""

import re
from decimal import Decimal

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from empowerment.money import format_money
from empowerment.templatetags.plain_forms import plain_field, plain_widget
from fundraising import selectors as books
from fundraising import services as money
from tests.factories import fundraising as ff
from tests.factories.projects import ProjectFactory
from transparency.forms import FollowForm, QuestionForm

pytestmark = pytest.mark.django_db


def _fresh(url: str) -> tuple[str, list[str]]:
    visitor = Client()
    visitor.cookies["uncached"] = "1"  # a cookie the page cache does not know: rendered afresh
    with CaptureQueriesContext(connection) as captured:
        response = visitor.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _reads_every_fund(sql: str) -> bool:
    """A read of the funds table with no condition on it (every fund of the programme)."""
    return bool(re.match(r'^SELECT .* FROM "fundraising_fund"(?: [A-Z ]*JOIN .*)?(?: ORDER BY .*)?$', sql))


def test_the_project_page_flow_reads_only_its_own_funds_however_many_the_programme_has(programme):
    for n in range(4):
        money.fund_for_project(ProjectFactory(status="active", title=f"Other {n}"))
    html, statements = _fresh("/projects/health-checks/")
    assert 'id="flow-links"' in html
    whole_table = [sql for sql in statements if _reads_every_fund(sql)]
    assert whole_table == []
    fund_reads = [sql for sql in statements if 'FROM "fundraising_fund"' in sql.split(" WHERE ")[0]]
    assert fund_reads, "the page reads its funds"


def test_the_project_page_reads_its_fund_with_the_project_and_each_channel_once(programme):
    html, statements = _fresh("/projects/health-checks/")
    assert "Online platform" in html and "Bank account" in html  # its money named by channel, in the flow too
    project_read = [sql for sql in statements if 'FROM "projects_project"' in sql.split(" WHERE ")[0]]
    assert len(project_read) == 1 and 'JOIN "fundraising_fund"' in project_read[0]
    own_fund_reads = [
        sql
        for sql in statements
        if 'FROM "fundraising_fund"' in sql.split(" WHERE ")[0]
        and re.search(rf'"fundraising_fund"\."project_id" = {programme.p1.pk}\b', sql)
    ]
    assert own_fund_reads == []  # not read again by its money, its flow nor the page's cache topics
    channel_reads = [sql for sql in statements if 'FROM "fundraising_channel"' in sql.split(" WHERE ")[0]]
    assert len(channel_reads) == 1, channel_reads


def test_the_public_pages_reads_are_built_by_the_orm_once_and_then_only_filled_in(programme, monkeypatch):
    """Each page's fixed reads are compiled once per thread (empowerment.querysets.compiled_once): a second
    page of another project, campaign or organization builds no new one, and shows its own rows."""
    import threading

    from empowerment import querysets

    monkeypatch.setattr(querysets, "_local", threading.local())
    fund = money.fund_for_project(programme.p1)
    ff.campaign(fund, slug="warm-winter")
    ff.campaign(money.fund_for_project(programme.p2), slug="cold-spring")
    first = [
        "/projects/health-checks/",
        "/campaigns/warm-winter/",
        f"/organizations/{programme.p1.organization.slug}/",
    ]
    for url in first:
        _fresh(url)
    built = dict(querysets._local.reads)
    names = {key[0] for key in built}
    assert {
        "public project",
        "project budget lines",
        "project activities' milestones",
        "public updates' photos",
        "disclosures",
        "fund allocations",
        "fund ledger rows",
        "indicator progress",
        "public campaign page",
        "campaign progress",
        "public organization",
        "organization projects",
        "organization certified",
        "organization cohorts",
        "community counts",
        "volunteer hours",
        "public partners",
        "partner resources",
    } <= names, names
    second = [
        (f"/projects/{programme.p2.slug}/", programme.p2.title),
        ("/campaigns/cold-spring/", "cold-spring"),
        (f"/organizations/{programme.p2.organization.slug}/", programme.p2.organization.name),
    ]
    for url, shown in second:
        html, _statements = _fresh(url)
        assert shown in html
    assert querysets._local.reads.keys() == built.keys()
    assert all(querysets._local.reads[key] is read for key, read in built.items())


def test_the_project_lists_first_page_is_read_compiled_once_per_kind_of_filter(programme, monkeypatch):
    """Unfiltered, or filtered by theme and status, the list's page and its count are compiled once
    (transparency.selectors.project_directory_rows); another theme only fills them in. So is a search of
    one word, once per kind of word; a longer search is read by the ORM."""
    import threading

    from empowerment import querysets

    monkeypatch.setattr(querysets, "_local", threading.local())
    from tests.factories.projects import theme

    p1, p2 = programme.p1, programme.p2
    other = theme("children")  # no project of its own
    html, _statements = _fresh("/projects/")
    assert p1.title in html and p2.title in html
    html, _statements = _fresh(f"/projects/?theme={p1.theme.slug}")
    assert p1.title in html
    built = dict(querysets._local.reads)
    assert {
        "project directory by nothing [0:24]",  # shorter than a page: no count is read (its rows are)
        "project directory by theme [0:24]",
        "themes",
        "cities",
    } <= {key[0] for key in built}, built
    html, _statements = _fresh(f"/projects/?theme={other.slug}")
    assert p1.title not in html and "No project matches." in html
    html, _statements = _fresh(f"/projects/?q={p1.title.split()[0]}")
    assert p1.title in html
    searched = set(querysets._local.reads) - set(built)
    grams = connection.vendor == "postgresql"  # looked up by the grams' indexes there (projects.search)
    assert {key[0] for key in searched} == {
        f"project directory by nothing, searched (((False, True, {grams}),),) [0:24]",
    }, searched
    # Another word of the same kind only fills the search in; two words are read by the ORM.
    html, _statements = _fresh(f"/projects/?q={p2.title.split()[0]}")
    assert p2.title in html and p1.title not in html
    html, _statements = _fresh(f"/projects/?q={p1.title.split()[0]}+{p1.title.split()[1]}")
    assert p1.title in html
    assert querysets._local.reads.keys() == built.keys() | searched


def test_the_campaign_page_reads_its_campaigns_money_in_one_statement_about_that_campaign(programme):
    drive = ff.campaign(money.fund_for_project(programme.p1), slug="warm-winter")
    html, statements = _fresh("/campaigns/warm-winter/")
    assert "warm-winter" in html
    # Raised, matched and the donors together (campaign_progress), for this campaign's row only, from its
    # kept totals: never from its gifts' entries nor by counting its donations (both grow with the campaign).
    kept_reads = [sql for sql in statements if "fundraising_ledgercampaigntotal" in sql]
    assert len(kept_reads) == 1, kept_reads
    assert f'WHERE "fundraising_campaign"."id" = {drive.pk}' in kept_reads[0]
    assert not [sql for sql in statements if "fundraising_ledgerentry" in sql]
    assert not [sql for sql in statements if "COUNT(" in sql and "fundraising_donation" in sql]


def test_the_campaign_page_shows_its_funds_figures_without_reading_each_expenditure(programme):
    fund = money.fund_for_project(programme.p1)
    ff.campaign(fund, slug="warm-winter")

    def shown(html):
        return [
            re.search(rf'data-figure="{name}">([^<]*)<', html).group(1) for name in ("money-in", "money-out")
        ]

    html, statements = _fresh("/campaigns/warm-winter/")
    figures = books.fund_money(fund)  # the one definition, itemised lists and all
    assert figures["spent"], "the fund has spent money: the lists the page does not show are not empty"
    assert shown(html) == [format_money(figures["money_in"]), format_money(figures["money_out"])]
    assert f'data-testid="fund-balance">{format_money(figures["balance"])}<' in html
    assert not [sql for sql in statements if 'FROM "fundraising_expenditure"' in sql]
    assert not [sql for sql in statements if 'FROM "fundraising_allocation"' in sql]
    # A donation recorded to the fund is in the figures of the next page rendered.
    ff.donate(fund=fund, amount="250.00", channel=programme.bank, by=programme.finance)
    html, _statements = _fresh("/campaigns/warm-winter/")
    assert shown(html)[0] == format_money(figures["money_in"] + Decimal("250.00"))


def _markup(html) -> str:
    """HTML with the white space between and around tags left out (crispy's templates indent freely)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+", ">", re.sub(r"\s+<", "<", str(html)))).strip()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_public_forms_are_drawn_as_crispy_and_django_draw_them(language):
    forms = [
        QuestionForm(),
        FollowForm(),
        # Sent with errors: drawn by crispy itself (the error messages and their classes).
        QuestionForm(data={"kind": "question", "email": "not-an-address", "website": "x"}),
        FollowForm(data={"email": "nope"}),
        # Sent with values that must be escaped.
        QuestionForm(
            data={"kind": "concern", "name": 'A <b>"&', "email": "a@example.org", "body": "<i>x</i>"}
        ),
        FollowForm(data={"email": "a@example.org"}),
    ]
    with translation.override(language):
        for form in forms:
            if form.is_bound:
                form.is_valid()
            for field in form:
                assert _markup(plain_widget(field)) == _markup(field.as_widget())
                if not field.is_hidden:
                    assert _markup(plain_field(field)) == _markup(as_crispy_field(field))
    drawn = plain_field(QuestionForm(data={"kind": "question", "email": "x"})["email"])
    assert "is-invalid" in drawn and "invalid-feedback" in drawn


def test_the_project_page_forms_keep_their_token_and_time_stamp(programme):
    html, _statements = _fresh("/projects/health-checks/")
    for form in re.findall(r'<form method="post".*?</form>', html, re.S):
        assert 'name="csrfmiddlewaretoken"' in form
    assert re.search(r'<input type="hidden" name="stamp" value="[^"]+" id="id_stamp">', html)
    assert '<div id="div_id_body" class="mb-3">' in html and 'id="id_kind"' in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_display_filter_shows_what_get_display_shows(language):
    from empowerment.templatetags.platform import display
    from fundraising.models import Expenditure, InKindGift
    from projects.models import BudgetLine, Indicator, StandardIndicator
    from transparency.models import Disclosure, Question

    fields = (
        (Expenditure, "paid_from"),
        (BudgetLine, "category"),
        (InKindGift, "kind"),
        (Disclosure, "kind"),
        (Question, "kind"),
        (Indicator, "aggregation"),
        (Indicator, "frequency"),
        (StandardIndicator, "level"),
    )
    with translation.override(language):
        for model, field in fields:
            values = [value for value, _label in model._meta.get_field(field).flatchoices]
            assert values
            for value in [*values, "not-a-choice", None]:
                row = model(**{field: value})
                assert display(row, field) == getattr(row, f"get_{field}_display")()
    assert display(None, "kind") == ""


def test_the_project_list_reads_only_the_columns_its_rows_show(programme):
    html, statements = _fresh("/projects/")
    assert "/projects/health-checks/" in html
    # (its count reads the keys alone: SELECT "projects_project"."id" AS "pk" …)
    rows = [sql for sql in statements if sql.startswith('SELECT "projects_project"."id", ')]
    assert len(rows) == 1, rows
    # Its title in both languages, its organization's name and its theme, never the organization's
    # descriptions nor the project's community (not shown in the list).
    assert '"organizations_organization"."name_zh_hans"' in rows[0]
    assert "description" not in rows[0] and '"organizations_area"' not in rows[0]


def test_the_project_list_kept_in_the_page_cache_names_its_funds_from_its_rows(programme):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get("/projects/")
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    # The funds whose money the page shows (its cache topics) come with the rows, not from a read apart.
    rows = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "projects_project"."id", ')
    ]
    assert len(rows) == 1 and '"fundraising_fund"."id"' in rows[0]
    funds = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "fundraising_fund"' in q["sql"].split(" WHERE ")[0]
    ]
    assert funds == []  # (test_page_cache.py: a donation to a listed project's fund renders the list again)


def test_a_rows_address_by_its_slug_is_what_the_url_tag_gives():
    """The long lists' rows link by `{% slug_url %}` (reversed once per address name): the same address as
    `{% url %}` for any slug, under another script prefix too; a value that is not a slug is refused alike."""
    from django.template import Context, Template
    from django.urls import NoReverseMatch, set_script_prefix

    both = Template(
        "{% load platform %}{% slug_url 'transparency:project_detail' s %}|{% url 'transparency:project_detail' s %}"
    )
    for prefix in ("/", "/programme/"):
        set_script_prefix(prefix)
        try:
            for slug in ("health-checks", "a_b-9", "X"):
                ours, djangos = both.render(Context({"s": slug})).split("|")
                assert ours == djangos and ours.startswith(prefix), (ours, djangos)
        finally:
            set_script_prefix("/")
    for bad in ("长者", "a/b", "", "a b"):
        with pytest.raises(NoReverseMatch):
            Template("{% load platform %}{% slug_url 'transparency:project_detail' s %}").render(
                Context({"s": bad})
            )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_project_lists_rows_are_drawn_as_its_template_loop_drew_them(programme, language):
    """presentation.project_rows joins the list's rows in Python: the same markup as the template loop it
    replaced, with titles and names escaped, a text given only in the other language marked as such, and
    each project's money from the books."""
    from django.template import Context, Template

    from transparency import presentation, selectors

    programme.p1.title_en, programme.p1.title_zh_hans = 'Checks <b>&</b> "care"', ""
    programme.p1.save(update_fields=["title_en", "title_zh_hans"])
    programme.p2.title_en, programme.p2.title_zh_hans = "", "安全楼梯"
    programme.p2.save(update_fields=["title_en", "title_zh_hans"])
    loop = Template(
        "{% load platform translated books %}{% for p in page %}<tr>\n"
        '  <td><a href="{% url \'transparency:project_detail\' p.slug %}">{{ p|tr:"title" }}</a>'
        '<div class="small text-muted">{{ p.theme }} · {{ p|display:"status" }}</div></td>\n'
        "  <td><a href=\"{% url 'transparency:organization_detail' p.organization.slug %}\">"
        '{{ p.organization|tr:"name" }}</a></td>\n'
        '  <td class="text-end">{{ p|received|money }}</td><td class="text-end">{{ p.money_spent|money }}</td>'
        '<td class="text-end">{{ p.money_balance|money }}</td>\n'
        "</tr>{% endfor %}"
    )
    with translation.override(language):
        rows = list(selectors.project_directory())
        assert len(rows) == 2
        ours = presentation.project_rows(rows)
        assert ours == loop.render(Context({"page": rows}))
    assert "&lt;b&gt;&amp;&lt;/b&gt; &quot;care&quot;" in ours and "<b>" not in ours
    assert 'class="lang-mark"' in ours  # one of the two titles is only in the other language
    received = books.project_received(rows[0])
    assert format_money(received) in ours
