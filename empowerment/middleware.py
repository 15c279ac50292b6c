"""Require two-factor authentication of the privileged staff groups when the setting says so."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from empowerment.authz import _group_names


class PrivilegedMFAMiddleware:
    """Members of settings.MFA_REQUIRED_GROUPS without an authenticator are sent to set one up; until
    then they may reach only the account pages (to activate TOTP or log out) and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "MFA_REQUIRED_FOR_PRIVILEGED", False) and self._needs_mfa(request):
            allowed = (reverse("account_logout"), "/accounts/", settings.STATIC_URL, "/i18n/", "/healthz")
            if not request.path.startswith(allowed):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not (user.is_superuser or _group_names(user) & set(settings.MFA_REQUIRED_GROUPS)):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
