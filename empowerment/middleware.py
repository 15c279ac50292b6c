"""Request middleware: two-factor authentication required of the privileged staff groups when the setting
says so; addresses holding a NUL character refused with a 400."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

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


class RefuseNulMiddleware:
    """Answer 400 to an address whose path or query string holds a NUL character (%00).

    No page of ours has a use for one, and PostgreSQL refuses NUL in any text it is given, so a NUL reaching
    a lookup (a code, a search, a token) would end as a server error. Form fields refuse NUL themselves, at
    the field (Django's CharField does); this covers what reaches views without a form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            return nul_refused(request)
        return self.get_response(request)


def holds_nul(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path or "%00" in query or "\x00" in query


def nul_refused(request):
    reason = _("The address contains a NUL character, which is never valid here.")
    if request.path.startswith("/api/"):
        return JsonResponse({"status": "error", "error": "nul_character", "detail": reason}, status=400)
    return render(request, "errors/400.html", {"reason": reason}, status=400)
