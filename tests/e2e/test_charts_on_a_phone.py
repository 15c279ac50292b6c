"""Charts on a phone and on a desktop, in a real browser: every chart text shown is at least 11 CSS px, the
phone gets the phone's drawing and the desktop the wide one, and the fund flow on a phone puts its tables
first with the picture one tap away, scrolling inside its own box, never the page."""

import pytest

from tests.transparency.conftest import programme  # noqa: F401 - the seeded programme with known totals

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALLEST_TEXT = """() => {
  let smallest = Infinity, shown = 0;
  for (const text of document.querySelectorAll('main svg text')) {
    const box = text.getBoundingClientRect();
    if (!box.width || !box.height) continue;  // in a drawing the screen does not show
    const ctm = text.getScreenCTM();
    const size = parseFloat(text.getAttribute('font-size')) * Math.hypot(ctm.a, ctm.b);
    smallest = Math.min(smallest, size);
    shown += 1;
  }
  return [smallest, shown];
}"""


def _pages(programme):  # noqa: F811
    return ["/", f"/projects/{programme.p1.slug}/", "/funds/flow/"]


def test_chart_text_is_readable_on_a_phone(phone_page, programme):  # noqa: F811
    page = phone_page
    for path in _pages(programme):
        page.goto(f"{page.base}{path}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        smallest, shown = page.evaluate(SMALLEST_TEXT)
        assert shown > 0, path
        assert smallest >= 11, (path, smallest)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    page.goto(f"{page.base}/")
    assert page.locator(".chart-narrow svg:visible").count() >= 3
    assert page.locator(".chart-wide svg:visible").count() == 0


def test_chart_text_is_readable_on_a_desktop(page, programme):  # noqa: F811
    for path in _pages(programme):
        page.goto(f"{page.base}{path}")
        smallest, shown = page.evaluate(SMALLEST_TEXT)
        assert shown > 0 and smallest >= 11, (path, smallest)
    page.goto(f"{page.base}/")  # one drawing of each chart shows, whichever fits its box
    assert page.locator(".chart-set svg:visible").count() == page.locator(".chart-set").count() >= 3
    page.goto(f"{page.base}/projects/{programme.p1.slug}/")
    assert page.locator(".chart-wide svg:visible").count() >= 1  # a full-width box gets the wide drawing
    page.goto(f"{page.base}/funds/flow/")
    assert page.locator("details.flow-picture").get_attribute("open") is not None
    assert not page.locator(".flow-scroll-hint").is_visible()


def test_the_fund_flow_on_a_phone_shows_its_tables_first_and_the_picture_one_tap_away(phone_page, programme):  # noqa: F811
    page = phone_page
    page.goto(f"{page.base}/funds/flow/")
    tables = page.locator("#flow-totals").bounding_box()
    picture = page.locator("details.flow-picture").bounding_box()
    assert tables["y"] < picture["y"]
    assert page.locator("details.flow-picture").get_attribute("open") is None
    assert not page.locator(".chart-sankey").is_visible()
    page.click("details.flow-picture > summary")
    assert page.locator(".chart-sankey").is_visible()
    assert page.locator(".flow-scroll-hint").is_visible()
    box = page.locator(".flow-box")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the picture scrolls inside its box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
