"""Browser journey of the proposal wizard, on a phone and on a desktop: the community found by a search in a
list grouped by city; activity, milestone and budget rows added and removed in place; a milestone naming an
activity that is not saved yet; the budget total following the amounts as they are typed; the submit button
saying what is missing until the proposal is complete, then submitting it."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from organizations.models import Role
from projects.models import Activity, BudgetLine, Milestone, Project
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, AreaFactory, OrganizationFactory, community_area, member
from tests.factories.projects import AssessmentFactory, NeedFactory, theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _continue(page) -> None:
    page.click("#wizard-form button.btn-primary")
    page.wait_for_load_state("networkidle")


def _add_row(page, kind: str, index: int) -> None:
    page.click(f"[data-add-row={kind}]")
    page.wait_for_selector(f"#rows-{kind} fieldset[data-index='{index}']")


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_an_editor_builds_a_proposal_with_rows_added_in_place_and_submits_it(request, viewport):
    page = request.getfixturevalue(viewport)
    width = page.viewport_size["width"]
    org = OrganizationFactory(slug=f"wizard-{width}")
    editor = member(org, Role.EDITOR, email=f"editor-wizard-{width}@example.org")
    NeedFactory(assessment=AssessmentFactory(organization=org), chosen=True, chosen_reason="Most severe")
    community_area()  # Baotou's Tuanjie Community
    hohhot = AreaFactory(code="150100", name="呼和浩特市", name_en="Hohhot", level=1, parent=None)
    county = AreaFactory(code="150102", name="新城区", name_en="Xincheng District", level=2, parent=hohhot)
    town = AreaFactory(code="150102001", name="海拉尔路街道", name_en="Hailar Road", level=3, parent=county)
    tuanjie = AreaFactory(
        code="150102001001", name="团结社区", name_en="Tuanjie Community", level=4, parent=town
    )
    project_theme = theme()
    login(page, editor.email, PASSWORD)

    # Basics: the community is found by city and name among the same-named communities.
    page.goto(f"{page.base}/o/{org.slug}/projects/new/")
    page.fill("#id_title_zh_hans", "长者健康监测")
    page.select_option("#id_theme", str(project_theme.pk))
    page.fill("[data-search-for=id_community]", "hohhot tuanjie")
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('#id_community option')).filter(o => o.value && !o.hidden).length"
    )
    assert shown == 1
    assert page.input_value("#id_community") == str(tuanjie.pk)
    page.fill("#id_summary_en", "Monthly health checks")
    page.fill("#id_start_date", "2025-01-01")
    page.fill("#id_end_date", "2025-12-31")
    _continue(page)
    project = Project.objects.get(organization=org)
    assert project.community == tuanjie

    page.check("input[name=needs]")
    _continue(page)
    page.fill("#id_problem_statement", "Older people living alone miss early signs of illness.")
    page.fill("#id_target_group", "Residents over 60 living alone")
    page.fill("#id_objectives", "Monthly checks for 200 residents")
    _continue(page)

    # Activities and timeline: rows added in place; the milestone offers the activities not saved yet.
    page.fill("#id_activities-0-title", "Health checks")
    page.fill("#id_activities-0-start_date", "2025-02-01")
    page.fill("#id_activities-0-end_date", "2025-11-30")
    _add_row(page, "activities", 1)
    page.fill("#id_activities-1-title", "Volunteer training")
    page.fill("#id_activities-1-start_date", "2025-01-10")
    page.fill("#id_activities-1-end_date", "2025-01-20")
    _add_row(page, "activities", 2)
    page.fill("#id_activities-2-title", "A row typed by mistake")
    page.click("#rows-activities fieldset[data-index='2'] [data-remove-row]")
    expect(page.locator("#rows-activities fieldset[data-index='2']")).to_have_count(0)
    offered = page.eval_on_selector_all("#id_milestones-0-activity option", "os => os.map(o => o.text)")
    assert offered[1:] == ["Health checks", "Volunteer training"]
    page.fill("#id_milestones-0-title", "Volunteers trained")
    page.fill("#id_milestones-0-due_date", "2025-01-20")
    page.select_option("#id_milestones-0-activity", label="Volunteer training")
    assert page.locator("[data-submit-missing]").inner_text() == "Add at least one activity."
    _continue(page)
    assert sorted(Activity.objects.filter(project=project).values_list("title", flat=True)) == [
        "Health checks",
        "Volunteer training",
    ]
    assert Milestone.objects.get(project=project).activity.title == "Volunteer training"

    # Budget: the total follows the amounts and the removed row.
    assert page.locator("[data-submit-missing]").inner_text() == "Add at least one budget line."
    page.select_option("#id_budget-0-category", "materials")
    page.fill("#id_budget-0-description", "Blood pressure monitors")
    page.fill("#id_budget-0-amount", "1200")
    _add_row(page, "budget", 1)
    page.select_option("#id_budget-1-category", "venue")
    page.fill("#id_budget-1-description", "Community hall")
    page.fill("#id_budget-1-amount", "300.50")
    _add_row(page, "budget", 2)
    page.select_option("#id_budget-2-category", "venue")
    page.fill("#id_budget-2-description", "Second hall")
    page.fill("#id_budget-2-amount", "99.50")
    expect(page.locator("[data-budget-total]")).to_have_text("¥1,600.00", timeout=15000)
    page.click("#rows-budget fieldset[data-index='2'] [data-remove-row]")
    expect(page.locator("[data-budget-total]")).to_have_text("¥1,500.50", timeout=15000)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _continue(page)
    assert sorted(BudgetLine.objects.filter(project=project).values_list("amount", flat=True)) == [
        Decimal("300.50"),
        Decimal("1200.00"),
    ]

    # A saved row is removed at the next save, and can be put back until then.
    page.goto(f"{page.base}/o/{org.slug}/projects/{project.pk}/edit/budget/")
    saved = BudgetLine.objects.get(project=project, amount=Decimal("300.50"))
    row = page.locator(f"#rows-budget fieldset[data-saved='{saved.pk}']")
    row.locator("[data-remove-row]").click()
    expect(row).to_be_hidden()
    expect(page.locator("[data-budget-total]")).to_have_text("¥1,200.00", timeout=15000)
    page.click("[data-removed-note] button")
    expect(page.locator("[data-budget-total]")).to_have_text("¥1,500.50", timeout=15000)
    row.locator("[data-remove-row]").click()
    _continue(page)
    assert list(BudgetLine.objects.filter(project=project).values_list("amount", flat=True)) == [
        Decimal("1200.00")
    ]

    # Indicators, then the submit button is ready.
    assert page.locator("[data-submit-missing]").inner_text() == "Add at least one indicator."
    page.fill("#id_indicators-0-name", "Older people checked")
    page.fill("#id_indicators-0-unit", "people")
    page.select_option("#id_indicators-0-value_type", "count")
    page.fill("#id_indicators-0-baseline", "0")
    page.fill("#id_indicators-0-target", "200")
    _continue(page)
    assert page.locator("[data-submit-missing]").count() == 0
    page.click("[data-submit-ready]")
    page.wait_for_load_state("networkidle")
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert getattr(page, "csp_violations", []) == []
