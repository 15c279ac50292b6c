"""Errors as RFC 9457 problem details (application/problem+json), for every answer of the API that is not a
success: refused parameters, unknown objects, too many requests, unknown addresses and methods."""

import json
from http import HTTPStatus

from django.http import HttpResponse

MEDIA_TYPE = "application/problem+json"


def problem(status: int, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None):
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "errors": errors or [],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=f"{MEDIA_TYPE}; charset=utf-8"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_problem(response) -> bool:
    return response.get("Content-Type", "").startswith(MEDIA_TYPE)
