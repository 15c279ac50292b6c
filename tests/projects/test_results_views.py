"""The results framework and report ratings through HTTP: the progress-update form's breakdowns, the staff
update page's rating, the review queue's reports waiting for rating, the organization's view of its
rating, the theme roll-ups on the staff results page and the public home page, and indicators by level on
the public project page."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from projects import services
from projects.models import IndicatorValue, IndicatorValuePart, ProgressUpdate, StandardIndicator
from tests.factories.projects import IndicatorFactory, ProjectFactory, UpdateFactory, theme

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _form_data(indicator, total, female, male, *, total_forms="3"):
    return {
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "narrative": "Checked residents.",
        "volunteer_hours": "0",
        f"indicator_{indicator.pk}": total,
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "parts-TOTAL_FORMS": total_forms,
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "3",
        "parts-MAX_NUM_FORMS": "3",
        "parts-0-value": female,
        "parts-1-value": male,
        "parts-2-value": "",
    }


def test_the_update_form_asks_for_the_breakdown_and_refuses_parts_that_do_not_add_up(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, by_sex=True)
    url = reverse("projects:update_new", args=[org_a.slug, project.pk])
    editor = _client(people["a_editor"])
    page = editor.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="parts-0-value"' in text and "By sex" in text and "Female" in text and "Not recorded" in text
    response = editor.post(url, _form_data(indicator, "30", "18", "10"))
    assert response.status_code == 200
    assert "The parts by sex add up to 28, not to the total 30." in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    # A part that is no whole number is refused at the part itself.
    response = editor.post(url, _form_data(indicator, "30", "18.5", "11.5"))
    assert response.status_code == 200
    assert "This indicator counts: enter a whole number." in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    response = editor.post(url, _form_data(indicator, "30", "18", "12"))
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("30")
    assert {(p.category, p.amount) for p in value.parts.all()} == {("female", 18), ("male", 12)}
    # The saved update shows its parts, and its edit form starts from them.
    update = value.update
    detail = editor.get(reverse("projects:update_detail", args=[org_a.slug, project.pk, update.pk]))
    assert "Female: 18" in detail.content.decode()
    edit = editor.get(reverse("projects:update_edit", args=[org_a.slug, project.pk, update.pk]))
    assert 'name="parts-0-value" value="18' in edit.content.decode()


def test_a_forged_count_of_breakdown_forms_is_refused(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, by_sex=True)
    url = reverse("projects:update_new", args=[org_a.slug, project.pk])
    data = _form_data(indicator, "30", "18", "12", total_forms="5000")
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()
    data = _form_data(indicator, "30", "18", "12", total_forms="1")
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()


def test_an_officer_rates_an_approved_report_and_the_organization_reads_it(org_a, people):
    project = ProjectFactory(organization=org_a, status="active", title="Health checks")
    update = UpdateFactory(project=project, status="approved")
    officer = _client(people["programme_officer"])
    queue = officer.get(reverse("projects:staff_review"))
    assert queue.status_code == 200
    text = queue.content.decode()
    assert (
        'data-count="to-rate">1<' in text
        and f"{reverse('projects:staff_update', args=[update.pk])}#rating" in text
    )
    page = officer.get(reverse("projects:staff_update", args=[update.pk]))
    assert page.status_code == 200 and "rating-form" in page.content.decode()
    rate = reverse("projects:staff_update_rate", args=[update.pk])
    response = officer.post(rate, {"score": "7", "feedback": "Good."})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.quality_score is None
    response = officer.post(rate, {"score": "4", "feedback": "Clear results; add the sign-in sheets."})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.quality_score == 4
    queue = officer.get(reverse("projects:staff_review")).content.decode()
    assert 'data-count="to-rate">0<' in queue
    portal = _client(people["a_viewer"]).get(
        reverse("projects:update_detail", args=[org_a.slug, project.pk, update.pk])
    )
    assert portal.status_code == 200
    text = portal.content.decode()
    assert "4 / 5" in text and "Clear results; add the sign-in sheets." in text
    # The change of the rating is kept: both versions are listed on the staff page.
    officer.post(rate, {"score": "5", "feedback": "Sheets added: complete."})
    page = officer.get(reverse("projects:staff_update", args=[update.pk])).content.decode()
    assert "Clear results; add the sign-in sheets." in page and "Sheets added: complete." in page


def test_only_officers_may_rate_and_other_people_see_no_rating_form(org_a, people):
    update = UpdateFactory(project=ProjectFactory(organization=org_a, status="active"), status="approved")
    rate = reverse("projects:staff_update_rate", args=[update.pk])
    data = {"score": "4", "feedback": "Good."}
    assert _client(people["finance_officer"]).post(rate, data).status_code == 403
    assert _client(people["trainer"]).post(rate, data).status_code == 403
    assert _client(people["a_admin"]).post(rate, data).status_code == 404
    assert Client().post(rate, data).status_code == 302
    update.refresh_from_db()
    assert update.quality_score is None
    page = _client(people["finance_officer"]).get(reverse("projects:staff_update", args=[update.pk]))
    assert page.status_code == 200 and "rating-form" not in page.content.decode()


def test_a_rating_given_with_the_approval(org_a, people):
    update = UpdateFactory(
        project=ProjectFactory(organization=org_a, status="active"),
        status="submitted",
        period_end=date(2025, 1, 31),
    )
    response = _client(people["programme_officer"]).post(
        reverse("projects:staff_update", args=[update.pk]),
        {"decision": "approve", "comment": "", "score": "5", "feedback": "Excellent report."},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.quality_score, update.rating_feedback) == (
        "approved",
        5,
        "Excellent report.",
    )


def _rollup_fixture(org_a, org_b):
    standard = StandardIndicator.objects.create(
        code="op-served",
        name="Older people served",
        name_zh="接受服务的老人",
        unit="people",
        unit_zh="人",
        theme=theme(),
        value_type="count",
    )
    shown = ProjectFactory(organization=org_a, status="active", slug="shown")
    hidden = ProjectFactory(organization=org_b, status="returned", slug="hidden")
    for project, value in ((shown, "40"), (hidden, "500")):
        indicator = IndicatorFactory(project=project, standard=standard, by_sex=project is shown)
        row = IndicatorValue.objects.create(
            update=UpdateFactory(project=project, status="approved"),
            indicator=indicator,
            value=Decimal(value),
        )
        if project is shown:
            IndicatorValuePart.objects.create(value=row, dimension="sex", category="female", amount=25)
            IndicatorValuePart.objects.create(value=row, dimension="sex", category="male", amount=15)
    return standard


def test_theme_rollups_on_the_public_home_page_count_published_projects_only(org_a, org_b):
    _rollup_fixture(org_a, org_b)
    response = Client().get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Results by theme" in text and "Older people served" in text
    assert "data-total>40 people<" in text and "Female 25" in text
    assert "540" not in text


def test_theme_rollups_for_staff_count_every_project(org_a, org_b, people):
    _rollup_fixture(org_a, org_b)
    response = _client(people["trainer"]).get(reverse("projects:staff_results"))
    assert response.status_code == 200
    text = response.content.decode()
    # The hidden project's value has no breakdown: the parts cover 40 of the 540.
    assert "data-total>540 people<" in text and "By sex (40 recorded):" in text
    assert _client(people["a_admin"]).get(reverse("projects:staff_results")).status_code == 404


def test_the_public_project_page_shows_indicators_by_level_with_their_breakdowns(org_a, org_b):
    _rollup_fixture(org_a, org_b)
    project = ProjectFactory._meta.model.objects.get(slug="shown")
    IndicatorFactory(project=project, name="Residents who feel safe", level="outcome", position=5)
    response = Client().get(reverse("transparency:project_detail", args=["shown"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(">Output<") < text.index(">Outcome<")
    assert "Residents who feel safe" in text
    assert "Female 25 · Male 15" in text and "op-served" in text


def _indicator_row(**fields):
    row = {
        "name": "Older people checked",
        "unit": "people",
        "value_type": "count",
        "baseline": "0",
        "target": "100",
        "aggregation": "cumulative",
        "frequency": "monthly",
        **fields,
    }
    data = {"indicators-TOTAL_FORMS": "1", "indicators-INITIAL_FORMS": "0"}
    data.update({f"indicators-0-{k}": v for k, v in row.items()})
    return data


def test_the_wizard_indicator_rows_take_a_level_breakdowns_and_a_theme_indicator(org_a, people):
    project = ProjectFactory(organization=org_a)
    standard = StandardIndicator.objects.create(
        code="op-served", name="Older people served", unit="people", theme=theme(), value_type="count"
    )
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "indicators"])
    editor = _client(people["a_editor"])
    page = editor.get(url).content.decode()
    assert "By sex" in page and "op-served · Older people served" in page
    # A percentage broken down, or mapped to a count, is refused at its field; nothing is saved.
    response = editor.post(
        url, _indicator_row(value_type="percentage", by_sex="on", standard=str(standard.pk), target="80")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "A percentage cannot be broken down into parts that add up." in text
    assert not project.indicators.exists()
    response = editor.post(
        url, _indicator_row(level="outcome", by_sex="on", by_age_band="on", standard=str(standard.pk))
    )
    assert response.status_code == 302
    indicator = project.indicators.get()
    assert (indicator.level, indicator.dimensions, indicator.standard) == (
        "outcome",
        ["sex", "age_band"],
        standard,
    )


def test_the_home_page_roll_up_follows_a_newly_approved_report(
    org_a, org_b, people, django_capture_on_commit_callbacks
):
    standard = _rollup_fixture(org_a, org_b)
    assert "data-total>40 people<" in Client().get(reverse("home")).content.decode()
    project = ProjectFactory._meta.model.objects.get(slug="shown")
    indicator = project.indicators.get(standard=standard)
    update = UpdateFactory(
        project=project, status="submitted", period_start=date(2025, 2, 1), period_end=date(2025, 2, 28)
    )
    row = IndicatorValue.objects.create(update=update, indicator=indicator, value=Decimal("5"))
    IndicatorValuePart.objects.create(value=row, dimension="sex", category="female", amount=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_review(update=update, by=people["programme_officer"], approve=True)
    text = Client().get(reverse("home")).content.decode()
    assert "data-total>45 people<" in text and "Female 30" in text
