"""No page raises a Content-Security-Policy violation in a real browser: every public page without
arguments, every portal page of an organization admin, the staff pages and a sample of the admin."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories.core import PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP_PREFIXES = ("/admin/", "/i18n/", "/healthz", "/api/", "/accounts/logout", "/accounts/3rdparty")


def _walk(resolver, namespace="", prefix=""):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _walk(item, ns, prefix + str(item.pattern))
        elif isinstance(item, URLPattern) and item.name:
            yield f"{namespace}{item.name}", list(item.pattern.converters)


def _paths(args_wanted: list[str], **kwargs) -> list[str]:
    paths = []
    for name, converters in _walk(get_resolver()):
        if sorted(converters) != sorted(args_wanted):
            continue
        try:
            path = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: S112 - names whose arguments are not the ones given
            continue
        if not path.startswith(SKIP_PREFIXES) and path not in paths:
            paths.append(path)
    return paths


def _leave_error_page(page) -> None:
    """Chromium answers an empty 405 or a download with its own error navigation, which would interrupt the
    next page.goto; settle on a blank page first."""
    from playwright.sync_api import Error

    for _ in range(3):
        try:
            page.goto("about:blank")
            return
        except Error:
            page.wait_for_timeout(200)


def _visit_all(page, paths):
    from playwright.sync_api import Error

    visited = []
    for path in paths:
        try:
            response = page.goto(f"{page.base}{path}")
        except Error:  # a download (export, XML) or a POST-only URL: not a page
            _leave_error_page(page)
            continue
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("networkidle")
        visited.append((path, response.status))
        page.csp_violations[:] = [v if isinstance(v, tuple) else (path, v) for v in page.csp_violations]
    return visited


def test_public_pages_raise_no_csp_violation(page, org_a):
    visited = _visit_all(page, _paths([]))
    assert len(visited) >= 8, visited
    assert page.csp_violations == [], page.csp_violations


def test_portal_pages_of_an_organization_admin_raise_no_csp_violation(page, people, org_a):
    login(page, "a-admin@example.org", PASSWORD)
    visited = _visit_all(page, _paths(["org_slug"], org_slug=org_a.slug))
    assert sum(1 for _, status in visited if status == 200) >= 3, visited
    assert page.csp_violations == [], page.csp_violations


def test_staff_and_admin_pages_raise_no_csp_violation(page, people, org_a):
    login(page, "admin@example.org", PASSWORD)
    paths = ["/staff/", "/staff/audit/", reverse("admin:index")]
    for model in ("organizations_organization", "organizations_programmeapplication", "empowerment_document"):
        paths.append(reverse(f"admin:{model}_changelist"))
    paths += [reverse("admin:organizations_organization_change", args=[org_a.pk])]
    paths += [reverse("admin:organizations_organization_history", args=[org_a.pk])]
    paths += [p for p in _paths([]) if p.startswith("/staff/")]
    visited = _visit_all(page, paths)
    assert sum(1 for _, status in visited if status == 200) >= 6, visited
    assert page.csp_violations == [], page.csp_violations
