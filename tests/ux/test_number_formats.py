"""Numbers as people write them, in English and in Chinese: the template filters of
empowerment.templatetags.platform, which every page and PDF uses."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

LANGUAGES = ["en", "zh-hans"]


def render(source: str, **context) -> str:
    return Template("{% load platform %}" + source).render(Context(context)).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_has_thousands_separators_and_two_decimals(language):
    with translation.override(language):
        assert render("{{ v|money }}", v=Decimal("785010")) == "¥785,010.00"
        assert render("{{ v|money }}", v=Decimal("1250.5")) == "¥1,250.50"
        assert render("{{ v|money }}", v=Decimal("-0.5")) == "-¥0.50"
        assert render("{{ v|money }}", v=Decimal("999999999999.99")) == "¥999,999,999,999.99"


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        render("{{ v|money }}", v=785010.0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_counts_have_thousands_separators(language):
    with translation.override(language):
        assert render("{{ v|count }}", v=2547) == "2,547"
        assert render("{{ v|count }}", v=Decimal("1234567")) == "1,234,567"
        assert render("{{ v|count }}", v=0) == "0"
        assert render("{{ v|count }}", v=None) == "—"


@pytest.mark.parametrize("language", LANGUAGES)
def test_hours_have_no_decimals_unless_fractional(language):
    with translation.override(language):
        assert render("{{ v|hours }}", v=Decimal("3152.00")) == "3,152"
        assert render("{{ v|hours }}", v=Decimal("12.5")) == "12.5"
        assert render("{{ v|hours }}", v=Decimal("1200.25")) == "1,200.25"
        assert render("{{ v|hours }}", v=Decimal("0")) == "0"


@pytest.mark.parametrize("language", LANGUAGES)
def test_scores_keep_their_real_precision(language):
    with translation.override(language):
        assert render("{{ v|score }}", v=Decimal("3.25")) == "3.25"
        assert render("{{ v|score }}", v=Decimal("3.20")) == "3.2"
        assert render("{{ v|score }}", v=Decimal("4.00")) == "4"
        assert render("{{ v|score }}", v=3) == "3"


@pytest.mark.parametrize("language", LANGUAGES)
def test_percentages_have_one_decimal(language):
    with translation.override(language):
        assert render("{{ v|percent }}", v=Decimal("39.74")) == "39.7%"
        assert render("{{ v|percent }}", v=100) == "100.0%"
        assert render("{{ v|ratio }}", v=Decimal("0.8534")) == "85.3%"
        assert render("{{ v|ratio }}", v=Decimal("2") / Decimal("3")) == "66.7%"
        assert render("{{ v|ratio }}", v=None) == "—"


def test_dates_in_each_languages_usual_form():
    day = date(2026, 3, 7)
    with translation.override("en"):
        assert render("{{ v|day }}", v=day) == "March 7, 2026"
    with translation.override("zh-hans"):
        assert render("{{ v|day }}", v=day) == "2026年3月7日"
    # An aware datetime is shown on its day in the programme's time zone (Asia/Shanghai).
    late = datetime(2026, 3, 6, 20, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("zh-hans"):
        assert render("{{ v|day }}", v=late) == "2026年3月7日"
    assert render("{{ v|day }}", v=None) == "—"


def test_moments_show_their_day_in_each_languages_form_and_the_local_time():
    late = datetime(2026, 3, 6, 20, 30, tzinfo=ZoneInfo("UTC"))  # 04:30 on the 7th in Asia/Shanghai
    with translation.override("en"):
        assert render("{{ v|when }}", v=late) == "March 7, 2026 04:30"
    with translation.override("zh-hans"):
        assert render("{{ v|when }}", v=late) == "2026年3月7日 04:30"
        assert render("{{ v|when }}", v=date(2026, 3, 7)) == "2026年3月7日"
    assert render("{{ v|when }}", v=None) == "—"


def test_a_missing_ratio_is_grey_never_green():
    missing = render("{% ratio_cell v ok %}", v=None, ok=True)
    assert 'data-ratio="missing"' in missing and "—" in missing
    assert "success" not in missing and "danger" not in missing
    within = render("{% ratio_cell v ok %}", v=Decimal("0.8"), ok=True)
    assert "table-success" in within and "80.0%" in within
    over = render("{% ratio_cell v ok %}", v=Decimal("0.125"), ok=False)
    assert "table-danger" in over and "12.5%" in over


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_shows_figures_as_people_write_them(client, language, org_a):
    from projects.models import ProgressUpdate
    from tests.factories.projects import ProjectFactory, UpdateFactory

    project = ProjectFactory(organization=org_a, status="active")
    UpdateFactory(project=project, status=ProgressUpdate.Status.APPROVED, volunteer_hours=Decimal("3152.0"))
    client.cookies["django_language"] = language
    page = client.get("/").content.decode()
    assert 'data-figure="volunteer_hours">3,152<' in page
    assert "3152.00" not in page and "3152.0<" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_count_in_a_plural_sentence_keeps_its_separator(language):
    source = (
        "{% load i18n %}{% blocktranslate count n=people_reached with shown=people_reached|count %}"
        "{{ shown }} person reached in approved updates of this period.{% plural %}"
        "{{ shown }} people reached in approved updates of this period.{% endblocktranslate %}"
    )
    with translation.override(language):
        text = render(source, people_reached=2547)
    assert "2,547" in text and "2547" not in text
