"""Browser tests: Playwright drives Debian's Chromium (it cannot download its own browser here) against
pytest-django's live server. Data a test creates must be committed, so these tests use the
transactional database (the `live_server` fixture does that)."""

import os
import shutil

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def _chromium() -> str | None:
    path = settings.CHROMIUM_PATH
    return path if os.path.exists(path) else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if not executable:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (own cookies) at desktop size; CSP violations are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 375-px-wide phone viewport."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()


def login(page, email: str, password: str) -> None:
    """Sign in through allauth's login form."""
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
