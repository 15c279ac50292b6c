"""Tenancy for the organization portal: the one place that resolves `request.organization` and the
member's role from the `org_slug` in the URL. Every portal view is wrapped by `portal_view`."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .rules import member_role
from .selectors import organization_for_portal


def portal_view(permission: str | None = None):
    """Require login and a visible organization (404 when absent or not the user's); then, if given,
    the permission on the organization (403 when the role does not allow it)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            organization = organization_for_portal(request.user, org_slug)
            request.organization = organization
            request.org_role = member_role(request.user, organization)
            if permission and not request.user.has_perm(permission, organization):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
