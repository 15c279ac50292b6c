"""What every answer under /api/v1/ gets, whatever the operation: CORS for reads, a rate limit per address,
conditional GET (ETag and Last-Modified, 304) and errors as problem details.

- CORS: any origin may read (Access-Control-Allow-Origin: *), never with credentials; a preflight OPTIONS is
  answered here.
- Rate limit: API_RATE_LIMIT requests per API_RATE_WINDOW seconds per client address, counted in the
  shared cache (Redis in production, so every web process counts together); past it, 429 with
  Retry-After, before any database work.
- Conditional GET: the ETag is the SHA-256 of the body (so it changes exactly when the answer does);
  Last-Modified is when the published data last changed (api.selectors.last_changed). If-None-Match is
  checked against the ETag; If-Modified-Since alone answers 304 before the view runs.
- Answers are stored whole in the shared cache, per address and language, with the versions of the
  freshness topics the public pages show (empowerment.pagecache.DEFAULT_TOPICS) and for at most
  PUBLIC_PAGE_CACHE_SECONDS: a stored answer is served again, with its ETag and Last-Modified, until
  anything it may show changes, exactly as a cached public page is.
- Language: texts come in the language of Accept-Language, or of ?lang=en / ?lang=zh-hans when given;
  a text given only in the other language comes in that one.
- Errors: an answer of 400 or more that is not already a problem (an unknown address under /api/v1/, a
  method other than GET) becomes one.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _

from empowerment import freshness
from empowerment.pagecache import DEFAULT_TOPICS

from . import selectors
from .problems import is_problem, problem

PREFIX = "/api/v1/"  # the public read API only (not the donation notification endpoint under /api/)
CACHE_SECONDS = 60
EXPOSED = "ETag, Last-Modified, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")[:64]


def _limit() -> tuple[int, int]:
    return getattr(settings, "API_RATE_LIMIT", 120), getattr(settings, "API_RATE_WINDOW", 60)


def _count(request, read: list | None = None) -> tuple[int, int, int, dict]:
    """(requests of this address in the current window, the limit, seconds until the window ends, what
    was found of the cache keys `read`). On Redis the count and the read are one round trip."""
    limit, window = _limit()
    now = time.time()
    slot = int(now // window)
    key = f"api:rate:{_client(request)}:{slot}"
    both = getattr(cache, "count_and_get_many", None)
    if both is not None:
        count, found = both(key, window + 1, read or [])
    else:
        cache.add(key, 0, window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 1)
            count = 1
        found = cache.get_many(read) if read else {}
    reset = max(1, math.ceil((slot + 1) * window - now))
    return count, limit, reset, found


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED
    return response


def _etag_matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _asked_language(request) -> None:
    """?lang=en or ?lang=zh-hans chooses the language of the answer's texts (names, titles, descriptions
    stored in both languages, labels) over the Accept-Language header and the language cookie: it is made
    the request's language before LocaleMiddleware reads it. Any other value is ignored."""
    lang = request.GET.get("lang", "").lower()
    if lang in dict(settings.LANGUAGES):
        request.META["HTTP_ACCEPT_LANGUAGE"] = lang
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = lang


def _cache_seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 120)


def _stored_key(request) -> str:
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]  # host: links in it
    return f"api:answer:{translation.get_language_from_request(request)}:{address}"


def _stored(entry, stamp: str):
    """(ETag, Last-Modified timestamp or None, body) of an answer stored for a request, if it is still
    fresh (the same freshness stamp, younger than PUBLIC_PAGE_CACHE_SECONDS)."""
    if not entry or entry[0] != stamp or time.time() - entry[1] >= _cache_seconds():
        return None
    return entry[2:]


def _counted_and_read(request) -> tuple[tuple[int, int, int], str | None, tuple | None]:
    """The rate count of a request ((count, limit, reset): `_count`), and for a GET the freshness stamp of
    what the API shows and the answer stored for it (None when there is none): read together, in one cache
    round trip on Redis (the count, the versions and the stored answer)."""
    if request.method != "GET":
        return _count(request)[:3], None, None
    stored_key = _stored_key(request)
    counted = {}

    def read(names):
        count, limit, reset, found = _count(request, [*names, stored_key])
        counted.update(rate=(count, limit, reset), entry=found.pop(stored_key, None))
        return found

    stamp = freshness.versions(*DEFAULT_TOPICS, read=read)
    return counted["rate"], stamp, counted["entry"]


def _store(request, stamp: str, etag: str, changed, body: bytes) -> None:
    if _cache_seconds() > 0:
        modified = changed.timestamp() if changed is not None else None
        cache.set(_stored_key(request), (stamp, time.time(), etag, modified, body), _cache_seconds())


def _not_modified(request, etag: str, modified) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return _etag_matches(if_none_match, etag)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return bool(since and modified is not None and int(modified) <= since)


def _answer(request, etag: str, modified, body: bytes | None):
    response = HttpResponseNotModified() if _not_modified(request, etag, modified) else None
    if response is None:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _is_data(request) -> bool:
    """An answer made of published data (not the documentation page or the schema)."""
    return not request.path.rstrip("/").endswith(("/docs", "/openapi.json"))


class PublicApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        _asked_language(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
            response["Access-Control-Allow-Headers"] = (
                "Accept, Accept-Language, If-None-Match, If-Modified-Since"
            )
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        (count, limit, reset), stamp, entry = _counted_and_read(request)
        rate = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - count)),
            "RateLimit-Reset": str(reset),
        }
        if count > limit:
            return _cors(
                problem(
                    429,
                    _("Too many requests from this address; try again in %(s)s seconds.") % {"s": reset},
                    headers={"Retry-After": str(reset), **rate},
                )
            )
        if stamp is not None:
            found = _stored(entry, stamp)
            if found is not None:
                response = _answer(request, *found)
                response["Vary"] = "Accept-Language, Cookie"  # as LocaleMiddleware says of a rendered one
                response["X-API-Cache"] = "hit"
                return self._finish(response, rate)
        changed = selectors.last_changed() if request.method == "GET" and _is_data(request) else None
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        if (
            changed is not None
            and since
            and not request.META.get("HTTP_IF_NONE_MATCH")
            and int(changed.timestamp()) <= since
        ):
            response = HttpResponseNotModified()
            response["Last-Modified"] = http_date(changed.timestamp())
            return self._finish(response, rate)
        response = self.get_response(request)
        if response.status_code >= 400 and not is_problem(response):
            allow = response.get("Allow") or ("GET, OPTIONS" if response.status_code == 405 else "")
            response = problem(
                response.status_code,
                _("This address or method is not part of the API."),
                headers={"Allow": allow} if allow else None,
            )
        if response.status_code == 200 and not response.streaming and _is_json(response):
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            if stamp is not None:
                _store(request, stamp, etag, changed, response.content)
            vary = response.get("Vary")
            response = _answer(request, etag, changed.timestamp() if changed else None, response.content)
            if vary:
                response["Vary"] = vary
            response["X-API-Cache"] = "miss"
        return self._finish(response, rate)

    def _finish(self, response, rate):
        for name, value in rate.items():
            response[name] = value
        return _cors(response)
