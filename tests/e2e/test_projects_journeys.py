"""Browser journeys of the projects app: a proposal written, submitted, returned, resubmitted and approved;
a progress update logged with a photo on a phone, approved, then seen on the public page."""

import pytest

from projects.models import ProgressUpdate, Project
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, community_area
from tests.factories.projects import (
    AssessmentFactory,
    IndicatorFactory,
    NeedFactory,
    ProjectFactory,
    jpeg_bytes,
    theme,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _desktop(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    return context, page


def _officer_decides(browser, live_server, officer, project, action, comment=""):
    context, page = _desktop(browser, live_server)
    login(page, officer.email, PASSWORD)
    page.goto(f"{page.base}/staff/projects/review/")
    page.click(f"text={project.title}")
    if comment:
        page.fill("textarea[name=comment]", comment)
    page.click(f"button[name=action][value={action}]")
    page.wait_for_load_state("networkidle")
    status = page.inner_text("#project-status")
    context.close()
    return status


def test_write_submit_return_resubmit_and_approve_a_proposal(page, browser, live_server, org_a, people):
    community = community_area()
    theme()
    NeedFactory(
        assessment=AssessmentFactory(organization=org_a, community=community),
        title="Older people miss early signs of illness",
        chosen=True,
        chosen_reason="Highest weighted score",
    )
    editor = people["a_editor"]
    login(page, editor.email, PASSWORD)
    page.goto(f"{page.base}/o/{org_a.slug}/projects/")
    page.click("text=Write a proposal")
    page.fill("#id_title_en", "Elder health checks")
    page.select_option("#id_theme", label="Services for older people")
    page.select_option("#id_community", value=str(community.pk))
    page.fill("#id_start_date", "2025-01-01")
    page.fill("#id_end_date", "2025-12-31")
    page.click("text=Save and continue")
    page.check("text=Older people miss early signs of illness")
    page.click("text=Save and continue")
    page.fill("#id_problem_statement", "Illness is found late among older people living alone.")
    page.fill("#id_target_group", "Residents over 60 living alone.")
    page.fill("#id_objectives", "Monthly checks for 200 residents.")
    page.click("text=Save and continue")
    page.fill("#id_activities-0-title", "Monthly health-check days")
    page.fill("#id_activities-0-start_date", "2025-01-01")
    page.fill("#id_activities-0-end_date", "2025-12-31")
    page.click("text=Save and continue")  # activities and timeline (no milestone yet) on one page
    page.select_option("#id_budget-0-category", "materials")
    page.fill("#id_budget-0-description", "Blood pressure monitors")
    page.fill("#id_budget-0-amount", "-5")
    page.click("text=Save and continue")
    assert page.locator("text=The amount must be more than zero.").is_visible()
    page.fill("#id_budget-0-amount", "1200.50")
    page.click("text=Save and continue")
    page.fill("#id_indicators-0-name", "Older people checked")
    page.fill("#id_indicators-0-unit", "people")
    page.select_option("#id_indicators-0-value_type", "count")
    page.fill("#id_indicators-0-target", "200")
    page.click("text=Save and continue")
    assert page.locator("text=¥1,200.50").first.is_visible()
    page.click("button:has-text('Submit for review')")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#project-status") == "Submitted"
    project = Project.objects.get(title="Elder health checks")

    officer = people["programme_officer"]
    assert _officer_decides(browser, live_server, officer, project, "return", "Add a transport budget.") == (
        "Returned for changes"
    )
    page.reload()
    assert "Add a transport budget." in page.content()
    page.click("text=Edit the proposal")
    page.click("a:has-text('Budget')")
    page.select_option("#id_budget-1-category", "travel")
    page.fill("#id_budget-1-description", "Transport to the clinic")
    page.fill("#id_budget-1-amount", "300")
    page.click("text=Save and continue")
    page.click("text=Save and continue")
    page.click("button:has-text('Submit for review')")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#project-status") == "Submitted"
    assert _officer_decides(browser, live_server, officer, project, "approve") == "Approved for incubation"
    project.refresh_from_db()
    assert list(project.decisions.values_list("to_status", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    assert page.csp_violations == []


def test_log_an_update_with_a_photo_on_a_phone_and_see_it_public_after_approval(
    phone_page, browser, live_server, org_a, people, tmp_path
):
    project = ProjectFactory(
        organization=org_a, status="active", title="Elder health checks", slug="elder-checks"
    )
    indicator = IndicatorFactory(project=project, name="Older people checked", value_type="count")
    page = phone_page
    login(page, people["a_editor"].email, PASSWORD)
    page.goto(f"{page.base}/o/{org_a.slug}/projects/{project.pk}/")
    page.click("text=Log progress")
    page.fill("#id_period_start", "2025-01-01")
    page.fill("#id_period_end", "2025-01-31")
    page.fill("#id_narrative", "Timely detection, timely feedback, timely care: 30 residents checked.")
    page.fill(f"#id_indicator_{indicator.pk}", "30")
    page.select_option("#id_people-0-sex", "female")
    page.select_option("#id_people-0-age_band", "80+")
    page.fill("#id_people-0-count", "18")
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(jpeg_bytes(gps=True, size=(320, 240)))
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_photo_caption", "Blood pressure checks")
    # The form fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("button[name=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#update-status") == "Submitted"
    update = ProgressUpdate.objects.get()

    context, staff = _desktop(browser, live_server)
    login(staff, people["programme_officer"].email, PASSWORD)
    staff.goto(f"{staff.base}/staff/projects/review/")
    staff.click("a:has-text('Elder health checks ·')")
    staff.select_option("#id_decision", "approve")
    staff.click("text=Record the review")
    staff.wait_for_load_state("networkidle")
    context.close()
    update.refresh_from_db()
    assert update.status == "approved"

    context = browser.new_context(viewport={"width": 375, "height": 740})
    public = context.new_page()
    public.goto(f"{live_server.url}/projects/elder-checks/")
    assert public.locator("text=30 residents checked").is_visible()
    image = public.locator("img[alt='Blood pressure checks']")
    image.scroll_into_view_if_needed()
    # A function, not an expression: Playwright evaluates an expression with eval(), which the site's CSP
    # (script-src 'self') refuses whenever the first check is not already true.
    public.wait_for_function(
        "() => document.querySelector(\"img[alt='Blood pressure checks']\").naturalWidth > 0"
    )
    assert "/projects/photos/" in image.get_attribute("src")
    context.close()
