"""Small helpers the transparency views share: the 400 page for input a visitor typed wrong."""

from django.shortcuts import render

from ..periods import BadPeriod, Period, from_query

MAX_QUERY_LENGTH = 100


def bad_request(request, message: str):
    return render(request, "transparency/bad_request.html", {"message": message}, status=400)


def query_period(request, default: Period | None = None):
    """(period, None) or (None, a 400 response) from ?from=YYYY-MM&to=YYYY-MM."""
    try:
        return from_query(request.GET, default=default), None
    except BadPeriod as exc:
        return None, bad_request(request, str(exc))


def text_param(request, name: str) -> str:
    """A query-string value, trimmed, without control characters (PostgreSQL refuses NUL in text)."""
    value = request.GET.get(name, "")
    return "".join(ch for ch in value if ch >= " " or ch == "\t").strip()[:MAX_QUERY_LENGTH]
