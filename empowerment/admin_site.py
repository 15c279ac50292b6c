"""The staff admin's site: Django's, with each person's navigation kept for a minute instead of being built
and drawn again on every admin page.

Django builds the list of models (every registered model's permission checks and two URL reversals each)
and draws the sidebar from it (sixty models' rows) on every page: half a large changelist's time. What they
show depends only on the person's permissions (the ModelAdmins' has_*_permission ask through has_perm:
superuser, staff flag, staff groups, model permissions), the language (the models' names), the site's URL
prefix and which of its links the current address is under, so those make the key; the minute bounds
anything the key could miss (the links' targets check permissions again when followed)."""

import threading
import time
from urllib.parse import quote

from django.contrib.admin import AdminSite
from django.urls import get_script_prefix
from django.utils import translation

NAVIGATION_SECONDS = 60
NAVIGATION_KEPT = 500

_lock = threading.Lock()
_navigation: dict[tuple, "_Navigation"] = {}


class _Navigation:
    """One person's list of models, and its sidebar as drawn under each of its links."""

    __slots__ = ("app_list", "expires", "links", "sidebars")

    def __init__(self, app_list: list, expires: float):
        self.app_list, self.expires, self.sidebars = app_list, expires, {}
        self.links = [app["app_url"] for app in app_list]
        self.links += [
            model["admin_url"] for app in app_list for model in app["models"] if model["admin_url"]
        ]

    def sidebar(self, request, draw) -> str:
        # The sidebar marks the application and model whose links the address contains (Django's
        # nav_sidebar.html compares them with request.path|urlencode).
        path = quote(request.path, safe="/")
        marked = frozenset(link for link in self.links if link in path)
        drawn = self.sidebars.get(marked)
        if drawn is None:
            drawn = self.sidebars[marked] = draw()
        return drawn


def permissions_key(user) -> tuple | None:
    """What the admin's permission answers for `user` depend on, or None to build the list afresh."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return (user.pk, True, user.is_staff)
    from empowerment.authz import _group_names  # noqa: PLC0415

    return (user.pk, False, user.is_staff, _group_names(user), frozenset(user.get_all_permissions()))


class PlatformAdminSite(AdminSite):
    def navigation(self, request) -> _Navigation | None:
        """The person's kept navigation (built if missing or older than a minute), or None when it is
        not kept (signed out, inactive)."""
        user_key = permissions_key(request.user)
        if user_key is None:
            return None
        key = (self.name, user_key, translation.get_language(), get_script_prefix())
        now = time.monotonic()
        kept = _navigation.get(key)
        if kept is None or kept.expires <= now:
            kept = _Navigation(super().get_app_list(request), now + NAVIGATION_SECONDS)
            with _lock:
                if len(_navigation) >= NAVIGATION_KEPT:
                    _navigation.clear()
                _navigation[key] = kept
        return kept

    def get_app_list(self, request, app_label=None):
        kept = self.navigation(request) if app_label is None else None
        return super().get_app_list(request, app_label) if kept is None else kept.app_list


def forget_navigation() -> None:
    with _lock:
        _navigation.clear()
