"""Signed donation notifications answered before the rest of the middleware stack."""

from django.urls import ResolverMatch

from empowerment.middleware import holds_nul, nul_refused


class SignedNotificationMiddleware:
    """Answer a platform's signed donation notification (fundraising.notify) as soon as SecurityMiddleware
    has run. It carries no session, cookie, language or CSRF token, and its JSON answer needs none of the
    headers the rest of the stack adds; on a giving day it is the busiest address of the site (hundreds of
    requests a second), and that work, with resolving the address against every app's patterns, was a
    fifth of what each one cost. The address is matched by the very pattern the URLconf holds
    (fundraising.urls.notify_pattern), so reversing, the permission matrix and the view see one route; any
    other address goes down the stack as before. Place it right after SecurityMiddleware."""

    def __init__(self, get_response):
        from .urls import app_name, notify_pattern  # noqa: PLC0415 (the URLconf imports the views)

        self.get_response = get_response
        self.pattern, self.namespace = notify_pattern, app_name
        self.prefix = "/" + str(notify_pattern.pattern).split("<", 1)[0]

    def __call__(self, request):
        path = request.path_info
        if path.startswith(self.prefix) and (found := self.pattern.resolve(path[1:])) is not None:
            request.get_host()  # a host not allowed is refused (400) as CommonMiddleware would refuse it
            if holds_nul(request):  # as RefuseNulMiddleware refuses it
                return nul_refused(request)
            request.resolver_match = ResolverMatch(
                found.func,
                found.args,
                found.kwargs,
                found.url_name,
                app_names=[self.namespace],
                namespaces=[self.namespace],
                route=found.route,
                captured_kwargs=found.captured_kwargs,
            )
            return found.func(request, *found.args, **found.kwargs)
        return self.get_response(request)
