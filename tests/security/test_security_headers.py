"""Security headers on every kind of response: pages, the portal, the admin, error pages, downloads."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.parametrize("who", ["anonymous", "a_admin", "administrator"])
def test_pages_carry_a_strict_csp_and_the_other_security_headers(client, people, org_a, who):
    if people[who]:
        client.force_login(people[who])
    urls = {
        "anonymous": ["/", reverse("organizations:apply"), reverse("account_login"), "/no-such-page/"],
        "a_admin": [reverse("organizations:portal_dashboard", args=[org_a.slug])],
        "administrator": [reverse("admin:index"), reverse("staff_home")],
    }[who]
    for url in urls:
        response = client.get(url)
        csp = _csp(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert csp["form-action"] == ["'self'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_same_site_and_the_session_expires(client, people, org_a, settings):
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    from tests.factories.core import PASSWORD

    login = {"login": "a-admin@example.org", "password": PASSWORD, "remember": "on"}
    response = client.post(reverse("account_login"), login)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert int(session["max-age"]) == settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    portal = reverse("organizations:portal_dashboard", args=[org_a.slug])
    assert client.get(portal).status_code == 200
    # The server forgets the session after SESSION_COOKIE_AGE even if the browser keeps sending the cookie.
    with freeze_time(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(portal)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_without_remember_me_the_session_ends_with_the_browser(client, people):
    from tests.factories.core import PASSWORD

    response = client.post(reverse("account_login"), {"login": "a-admin@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()


def test_production_settings_add_hsts_secure_cookies_and_https_redirects():
    import subprocess
    import sys

    from django.conf import settings

    from tests.test_deploy_settings import PRODUCTION

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.MFA_REQUIRED_FOR_PRIVILEGED)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "empowerment.settings", **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True"]
