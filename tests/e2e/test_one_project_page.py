"""The one public page of a project on a 375-px phone: nothing scrolls sideways, the money section is there
with in − out = balance readable from its figures, its reports are linked, and an older address lands on it."""

from datetime import date
from decimal import Decimal

import pytest

from empowerment.models import Document
from tests.transparency.conftest import programme  # noqa: F401 - the seeded programme with known totals
from transparency import services
from transparency.periods import Period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _amount(text: str) -> Decimal:
    return Decimal(text.replace("¥", "").replace(",", "").strip())


def test_the_project_page_on_a_phone_shows_its_money_and_links_its_reports(phone_page, programme):  # noqa: F811
    report = services.report_request(
        period=Period("quarter", date(2026, 1, 1), date(2026, 3, 31)), language="en", project=programme.p1
    )
    Document.objects.filter(pk=report.document.pk).update(status=Document.Status.READY, sha256="0" * 64)
    page = phone_page

    response = page.goto(f"{page.base}/money/projects/health-checks/")  # an older address
    assert response.status == 200
    assert page.url == f"{page.base}/projects/health-checks/"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    money = page.locator("#money")
    money.scroll_into_view_if_needed()
    assert money.is_visible()
    figures = {name: page.locator(f'[data-figure="{name}"]') for name in ("money-in", "money-out", "balance")}
    for locator in figures.values():
        assert locator.count() == 1 and locator.is_visible()
    money_in, money_out, balance = (
        _amount(figures[n].inner_text()) for n in ("money-in", "money-out", "balance")
    )
    assert (money_in, money_out, balance) == (Decimal("11000.00"), Decimal("2500.00"), Decimal("8500.00"))
    assert money_in - money_out == balance
    assert page.locator("#money-equation").is_visible()
    items = page.locator("#money-out-items")
    assert "Blood pressure monitors" in items.inner_text()

    link = page.locator(f'#project-reports a[href="/reports/{report.document.verification_code}/"]')
    assert link.count() == 1
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    link.click()
    page.wait_for_url(f"{page.base}/reports/{report.document.verification_code}/")
    assert "Health checks for older residents" in page.inner_text("main")
