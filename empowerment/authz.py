"""Authorization: the one place that answers "may this user do this to this object".

Permissions are django-rules predicates registered under ordinary permission names
(``user.has_perm("organizations.change_profile", organization)``). This module holds the staff
predicates shared by every app; each app adds its own rules in its ``rules.py`` (autodiscovered), built
from these and from the membership predicates in ``organizations.rules``. Views, templates
(``{% has_perm %}`` from rules) and the admin all ask through ``has_perm``.

Rules check objects; they do not filter lists. Every list, export and download uses a scoped selector.
"""

import rules

PROGRAMME_OFFICER = "Programme officer"
FINANCE_OFFICER = "Finance officer"
TRAINER = "Trainer"
ADMINISTRATOR = "Administrator"
STAFF_GROUPS = (PROGRAMME_OFFICER, FINANCE_OFFICER, TRAINER, ADMINISTRATOR)


def _group_names(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_staff_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._staff_group_names = cached
    return cached


def in_staff_group(*names: str):
    """A predicate true for active staff users in any of the named groups (superusers always)."""

    @rules.predicate(name=f"in_staff_group({', '.join(names)})")
    def predicate(user) -> bool:
        if not user.is_authenticated or not user.is_active or not user.is_staff:
            return False
        return user.is_superuser or bool(_group_names(user) & set(names))

    return predicate


is_staff_member = in_staff_group(*STAFF_GROUPS)
is_programme_officer = in_staff_group(PROGRAMME_OFFICER, ADMINISTRATOR)
is_finance_officer = in_staff_group(FINANCE_OFFICER, ADMINISTRATOR)
is_trainer = in_staff_group(TRAINER, PROGRAMME_OFFICER, ADMINISTRATOR)
is_administrator = in_staff_group(ADMINISTRATOR)


def staff_view(permission: str):
    """The one staff gate for views: login required; a 404 for anyone who is not foundation staff (as
    /staff/ does), a 403 for staff without `permission` (a global permission; object checks stay in the
    view or service)."""
    from functools import wraps  # noqa: PLC0415

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from django.contrib.auth.views import redirect_to_login  # noqa: PLC0415
            from django.core.exceptions import PermissionDenied  # noqa: PLC0415
            from django.http import Http404  # noqa: PLC0415

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(request.user):
                raise Http404
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
