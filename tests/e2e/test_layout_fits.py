"""Every main page fits its screen: at 375 and 1280 px (and, by resizing the same page, 360 and 1920 px), in
English and Chinese, signed
out and signed in as each kind of user, the page itself never scrolls sideways (a wide table scrolls inside
its own box) and the signed-in person's menu (name, organization, sign out) opens and is on screen."""

import pytest
from django.conf import settings
from django.urls import reverse

from empowerment.authz import FINANCE_OFFICER, PROGRAMME_OFFICER
from organizations.models import Role
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, member, staff_user
from tests.transparency.conftest import programme  # noqa: F401 - the seeded public programme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("programme"),
]

WIDTHS = {"phone": (375, 740), "laptop": (1280, 800)}
# The narrowest and widest screens checked too, on the same loaded page resized (no second load): the
# layout is recomputed by the browser, so a page that scrolls sideways there shows it.
ALSO = {"phone": 360, "laptop": 1920}
LANGUAGES = ["en", "zh-hans"]
# Demo-like names: as long as the demo's, so that a name stacking word by word would show.
OFFICER_NAME = "Wang Li (programme officer)"
FINANCE_NAME = "Zhao Min (finance officer)"
ADMIN_NAME = "Chen Jingyi (organization administrator)"


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _open(browser, base, width, language):
    w, h = WIDTHS[width]
    context = browser.new_context(
        viewport={"width": w, "height": h}, is_mobile=width == "phone", has_touch=width == "phone"
    )
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(20000)
    page.base = base
    return context, page


def _check_pages(page, paths, label):
    wide = []
    size = dict(page.viewport_size)
    other = ALSO["phone" if size["width"] < 768 else "laptop"]
    for path in paths:
        response = page.goto(page.base + path)
        assert response.status == 200, f"{label} {path}: {response.status}"
        page.wait_for_load_state("load")
        extra = _overflow(page)
        if extra > 0:
            wide.append((path, size["width"], extra))
        page.set_viewport_size({"width": other, "height": size["height"]})
        extra = _overflow(page)
        if extra > 0:
            wide.append((path, other, extra))
        page.set_viewport_size(size)
    assert wide == [], f"{label}: pages wider than the screen (path, width, px): {wide}"


def _open_user_menu(page, width, name):
    if width == "phone":
        toggler = page.locator(".site-nav .navbar-toggler")
        assert toggler.is_visible()
        toggler.click()
        page.locator("#mainnav.show").wait_for()
    button = page.locator("#user-menu")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert box["height"] < 60, "the name in the toggle must stay on one line"
    button.click()
    menu = page.locator(".user-menu .dropdown-menu")
    menu.wait_for(state="visible")
    assert name in menu.inner_text()
    sign_out = menu.locator("button[type=submit]")
    assert sign_out.is_visible()
    out = sign_out.bounding_box()
    assert out["x"] >= 0 and out["x"] + out["width"] <= page.viewport_size["width"] + 1
    return sign_out


PUBLIC = [
    "/",
    "/projects/",
    "/projects/health-checks/",
    "/organizations/",
    "/campaigns/",
    "/funds/flow/",
    "/reports/",
    "/open-data/",
    "/verify/",
    "/accounts/login/",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_public_pages_fit_the_screen_and_the_navigation_collapses_on_a_phone(
    browser, live_server, width, language
):
    context, page = _open(browser, live_server.url, width, language)
    try:
        _check_pages(page, [*PUBLIC, reverse("organizations:apply")], f"{width} {language} anonymous")
        page.goto(page.base + "/")
        toggler = page.locator(".site-nav .navbar-toggler")
        assert toggler.is_visible() == (width == "phone")
        if width == "phone":
            toggler.click()
            page.locator("#mainnav.show").wait_for()
            assert page.locator(
                "#mainnav a.btn", has_text="Sign in" if language == "en" else "登录"
            ).is_visible()
            assert _overflow(page) <= 0
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", list(WIDTHS))
def test_portal_and_staff_pages_fit_and_the_user_menu_is_reachable(
    browser, live_server, org_a, width, language
):
    admin = member(org_a, Role.ADMIN, email="chen@example.org", full_name=ADMIN_NAME)
    officer = staff_user(PROGRAMME_OFFICER, email="wang.li@example.org", full_name=OFFICER_NAME)
    finance = staff_user(FINANCE_OFFICER, email="zhao.min@example.org", full_name=FINANCE_NAME)
    portal = [
        reverse("organizations:portal_home") + "?all=1",
        reverse("organizations:portal_dashboard", args=[org_a.slug]),
        reverse("organizations:members", args=[org_a.slug]),
        reverse("organizations:profile_edit", args=[org_a.slug]),
        "/",
    ]
    cases = [
        (admin, ADMIN_NAME, portal),
        (officer, OFFICER_NAME, [reverse("staff_home"), reverse("projects:staff_review"), "/projects/"]),
        (finance, FINANCE_NAME, [reverse("staff_home"), reverse("fundraising:dashboard"), "/funds/flow/"]),
    ]
    for user, name, paths in cases:
        context, page = _open(browser, live_server.url, width, language)
        try:
            login(page, user.email, PASSWORD)
            _check_pages(page, paths, f"{width} {language} {name}")
            page.goto(page.base + paths[0])
            if user is admin:
                page.goto(page.base + reverse("organizations:portal_dashboard", args=[org_a.slug]))
            sign_out = _open_user_menu(page, width, name)
            if user is admin:
                organization = page.locator('.user-menu [data-user-menu="organization"]')
                assert organization.is_visible() and organization.inner_text().strip() in (
                    org_a.name_zh_hans,
                    org_a.name_en,
                )
            sign_out.click()
            # Signing out clears the offline caches first: wait for the signed-out page itself.
            page.locator("#user-menu").wait_for(state="detached")
            assert page.locator("#user-menu").count() == 0  # signed out
        finally:
            context.close()
