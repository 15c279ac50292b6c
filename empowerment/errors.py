"""Error pages that never depend on the database, so they render even when it is down."""

from django.shortcuts import render


def _page(request, status, template):
    return render(request, template, status=status)


def not_found(request, exception=None):
    return _page(request, 404, "errors/404.html")


def forbidden(request, exception=None):
    return _page(request, 403, "errors/403.html")


def bad_request(request, exception=None):
    return _page(request, 400, "errors/400.html")


def server_error(request):
    return _page(request, 500, "errors/500.html")
