"""System checks run by `manage.py check --deploy`: settings that are fine on a laptop and wrong in production."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "testserver"}  # noqa: S104 - names compared, not bound


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """SITE_URL is printed on documents (verification links) and in emails sent by workers: it must be the
    public https address of the site, never a development one."""
    url = getattr(settings, "SITE_URL", "")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not url or parts.scheme != "https" or not host or host in LOCAL_HOSTS or host.endswith(".localhost"):
        return [
            checks.Warning(
                f"SITE_URL is {url!r}: documents and emails would link to it.",
                hint="Set SITE_URL to the public https address of the site, e.g. https://programme.example.org.",
                id="empowerment.W001",
            )
        ]
    return []
