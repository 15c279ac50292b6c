"""Browser journeys of the transparency site: the public dashboard with its server-drawn charts and a
project's money page (also on a 375-px phone), a report requested by staff that becomes ready and is then
verified by its code, and an axe-core accessibility check of the public pages."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from fundraising import services as money
from tests.e2e.conftest import login
from tests.factories import fundraising as ff
from tests.factories.core import PASSWORD
from tests.transparency.conftest import programme  # noqa: F401 - the seeded programme with known totals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"


def _no_sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_dashboard_and_project_money_page_on_desktop_and_phone(page, phone_page, programme):  # noqa: F811
    page.goto(f"{page.base}/")
    assert page.inner_text('[data-figure="raised"]') == "¥32,000.00"
    assert page.inner_text('[data-figure="spent"]') == "¥8,500.00"
    assert page.inner_text('[data-figure="balance"]') == "¥23,500.00"
    assert page.inner_text('[data-figure="people_reached"]') == "100"
    charts = page.locator("main svg")
    assert charts.count() >= 5
    assert charts.first.bounding_box()["height"] > 50  # drawn, not an empty box
    assert page.locator("main svg title").count() >= 5
    assert page.csp_violations == []

    page.goto(f"{page.base}/projects/health-checks/")
    main = page.inner_text("main")
    assert "Health checks for older residents" in main
    assert "¥2,500.00" in main  # spent on activities
    assert "<script>" in main  # the organization's text is shown as text, never run
    assert page.locator("main svg").count() >= 1

    for path in ("/", "/projects/health-checks/", "/campaigns/", "/projects/"):
        phone_page.goto(f"{phone_page.base}{path}")
        assert _no_sideways_scroll(phone_page) <= 375, path


def test_staff_requests_a_report_watches_it_become_ready_and_verifies_its_code(page, programme):  # noqa: F811
    login(page, programme.officer.email, PASSWORD)
    page.goto(f"{page.base}/staff/transparency/reports/")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_period", "2026-Q1")
    page.select_option("#id_language", "en")
    page.click("main form button[type=submit]")
    assert re.search(r"/documents/[0-9a-f-]{36}/$", page.url)
    page.wait_for_selector('[data-status="ready"]', timeout=30000)
    code = page.inner_text("#document-status dd code")
    with page.expect_download() as download_info:
        page.click("text=Download the PDF")
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    digest = hashlib.sha256(pdf).hexdigest()

    page.goto(f"{page.base}/verify/{code}/")
    assert page.locator('[data-verify="valid"]').is_visible()
    assert digest in page.inner_text("main")
    page.goto(f"{page.base}/reports/{code}/")
    assert page.inner_text("#sha256") == digest
    page.goto(f"{page.base}/verify/NOT-A-CODE/")
    assert page.locator('[data-verify="unknown"]').is_visible()


def test_public_pages_pass_the_axe_core_accessibility_check(page, programme):  # noqa: F811
    campaign = ff.campaign(money.fund_for_project(programme.p1))
    org = programme.p1.organization
    paths = [
        "/",
        "/projects/",
        f"/projects/{programme.p1.slug}/",
        f"/funds/{programme.general.code}/",
        "/organizations/",
        f"/organizations/{org.slug}/",
        "/campaigns/",
        f"/campaigns/{campaign.slug}/",
        "/open-data/",
        "/funds/flow/",
        "/verify/",
    ]
    problems = {}
    for path in paths:
        response = page.goto(f"{page.base}{path}")
        assert response.status == 200, path
        # The CSP forbids inline scripts: load the vendored axe-core from the site's own static files.
        page.add_script_tag(url=f"{page.base}/static/vendor/axe/axe.min.js")
        violations = page.evaluate(
            """async () => (await axe.run()).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
        )
        if violations:
            problems[path] = violations
    assert AXE.exists()
    assert problems == {}
