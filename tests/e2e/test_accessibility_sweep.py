"""Every page the demo accounts can reach passes axe-core and fits the screen.

On the demo data (seed_demo), a crawler signs in as each demo account (and visits signed out), follows the
links of each page it reaches (same site, GET, HTML pages only) and checks one page per URL name: axe-core
finds no serious or critical violation (labels, contrast, names, ARIA, landmarks) at 1280 px in English and
at 375 px in Chinese, and the page itself never scrolls sideways at either width. The Django admin's
standard model pages are Django's own and are left out; the admin index is checked."""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-2026"  # noqa: S105 - the demo accounts' printed password
ACCOUNTS = [
    None,
    "orgadmin@demo.example",
    "viewer@demo.example",
    "officer@demo.example",
    "finance@demo.example",
    "trainer@demo.example",
    "admin@demo.example",
]
SKIP = re.compile(
    r"^/(accounts/logout|accounts/password|accounts/email|accounts/2fa|admin/.+|static/|files/|media/|api/)"
    r"|\.(pdf|xlsx|csv|json|xml|zip|png|jpg|jpeg|svg|ics|txt)$|/(download|export|discard|delete|sign-out)/?$"
)
LIMIT_PER_ACCOUNT = 120
AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '))"""


def _context(browser, base, width, language):
    w, h = (375, 740) if width == 375 else (1280, 800)
    context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=w == 375, has_touch=w == 375)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(30000)
    page.base = base
    return context, page


def _name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(a => a.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc not in page.base):
            continue
        if not parts.path.startswith("/") or SKIP.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _goto(page, path):
    """The page's response, or None for a download (a file, not a page)."""
    try:
        return page.goto(page.base + path)
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):
            return None
        raise


def _check(page, path, problems, label):
    response = _goto(page, path)
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return False
    assert response.status < 500, f"{label} {path}: {response.status}"
    if response.status != 200:
        return False
    extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if extra > 1:
        problems.append(f"{label} {path}: {extra} px wider than the screen")
    page.add_script_tag(url=f"{page.base}/static/vendor/axe/axe.min.js")
    for violation in page.evaluate(AXE):
        problems.append(f"{label} {path}: {violation}")
    return True


def _crawl(browser, base, email, seen_names, problems):
    """Visit, at 1280 px in English, every page reachable from the account's start pages whose URL name
    no earlier account has visited; return the paths checked, to check again at 375 px in Chinese."""
    context, page = _context(browser, base, 1280, "en")
    checked = []
    try:
        start = ["/"]
        if email:
            login(page, email, PASSWORD)
            start = [urlsplit(page.url).path, "/"]
        queue, queued = deque(start), set(start)
        while queue and len(checked) < LIMIT_PER_ACCOUNT:
            path = queue.popleft()
            name = _name(path.split("?")[0])
            if name is None:
                continue
            if name not in seen_names:
                seen_names.add(name)
                if not _check(page, path, problems, f"{email or 'anonymous'} 1280 en"):
                    continue
                checked.append(path)
            elif path in start:
                # The account's start pages are opened for the links this account sees on them, even when
                # an earlier account checked them; another address of a name already checked (the 40th
                # project page the list links to) is not opened again.
                response = _goto(page, path)
                if response is None or response.status != 200:
                    continue
            else:
                continue
            for link in _links(page):
                if link not in queued and _name(link.split("?")[0]) not in seen_names:
                    queued.add(link)
                    queue.append(link)
    finally:
        context.close()
    return checked


def test_every_reachable_page_passes_axe_and_fits_at_375_and_1280_in_both_languages(browser, live_server):
    call_command("seed_demo", verbosity=0)
    seen_names: set[str] = set()
    problems: list[str] = []
    visited = 0
    for email in ACCOUNTS:
        paths = _crawl(browser, live_server.url, email, seen_names, problems)
        visited += len(paths)
        context, page = _context(browser, live_server.url, 375, "zh-hans")
        try:
            if email:
                login(page, email, PASSWORD)
            for path in paths:
                _check(page, path, problems, f"{email or 'anonymous'} 375 zh")
        finally:
            context.close()
    assert visited > 60, f"only {visited} pages reached: {sorted(seen_names)}"
    assert problems == [], "\n".join(problems)
