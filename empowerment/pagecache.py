"""Whole-page cache of the public pages for anonymous visitors.

A page is stored once per address (path and query string), language and htmx-ness, with the version of
the "pages" freshness topic it was rendered under (read in the same round trip, so a hit costs one): any change a public page may show bumps that version after commit
(`freshness.touch` of any topic does; so does saving or deleting a row of the apps that publish, see
`watch_public_content`), so the next visitor gets a freshly rendered page. A short timeout bounds what
no version can see (the passing of time: "3 days left").

Per-visitor values are not stored: the CSRF token and the view's `holes` (hidden inputs such as a form's
signed time stamp) are replaced by placeholders before the page is stored and filled in for each visitor.
Visitors with a session or messages (signed in, or just sent a form) always get a freshly rendered page.
"""

import functools
import hashlib
import re

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from . import freshness

TOPIC = freshness.PAGES
_KEY_PREFIX = "page:"
_CSRF_FIELD = "csrfmiddlewaretoken"
# Cookies that do not change what an anonymous visitor sees (their token is filled in per visitor).
_NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def timeout() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 120)


def _hidden_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else None


def _placeholder(name: str) -> str:
    return f"\x00hole:{name}\x00"


def _cacheable_request(request) -> bool:
    if request.method != "GET" or timeout() <= 0:
        return False
    return set(request.COOKIES) <= _NEUTRAL_COOKIES


def _key(request) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    htmx = "h" if request.headers.get("HX-Request") else "p"
    return f"{_KEY_PREFIX}{translation.get_language()}:{htmx}:{address}"


def _lookup(key: str) -> tuple[int, tuple | None]:
    """(current pages version, the stored page if it was stored under that version): one cache round trip."""
    found = cache.get_many([key, freshness.key(TOPIC)])
    version = found.get(freshness.key(TOPIC))
    if version is None:
        version = freshness.version(TOPIC)
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return version, stored[1:]
    return version, None


def public_page(view=None, *, holes: dict | None = None):
    """Cache a public GET view's 200 answers for anonymous visitors. `holes` maps the names of hidden
    inputs whose value must be fresh for each visitor to a function making that value."""
    holes = dict(holes or {})

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request)
            version, stored = _lookup(key)
            if stored is not None:
                content, content_type = stored
                values = {name: make() for name, make in holes.items()}
                if _placeholder(_CSRF_FIELD) in content:
                    values[_CSRF_FIELD] = get_token(request)
                for name, value in values.items():
                    content = content.replace(_placeholder(name), value)
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                content = response.content.decode(response.charset)
                for name in [_CSRF_FIELD, *holes]:
                    value = _hidden_value(content, name)
                    if value:
                        content = content.replace(value, _placeholder(name))
                cache.set(key, (version, content, response["Content-Type"]), timeout())
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


# Invalidation -------------------------------------------------------------------------------------------


def _bump() -> None:
    freshness.touch(TOPIC)


def content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Public pages must be rendered again once the current transaction commits (once per transaction)."""
    pending = connections[using].run_on_commit
    if any(func is _bump for _sids, func, _robust in pending):
        return
    transaction.on_commit(_bump, using=using)


def _changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    content_changed(using)


def watch_public_content(labels, *, except_models=()) -> None:
    """Bump the pages' version after any save or delete of the given models ("app_label.model") or of
    every model of the given apps ("app_label"), history tables and `except_models` left out. Called
    once, from the ready() of the app that publishes the pages."""
    skip = {name.lower() for name in except_models}
    models = []
    for label in labels:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    for model in models:
        name = f"{model._meta.app_label}.{model._meta.model_name}"
        if model._meta.model_name.startswith("historical") or name in skip:
            continue
        uid = f"pagecache:{name}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name)
