"""A stored open-data file answered before the rest of the middleware stack."""

from django.core.cache import cache
from django.utils import translation

from empowerment import pagecache

_HEADERS_PREFIX = "storedfileheaders:"
# Headers each answer sets itself (transparency.views.opendata's stored answer, FileResponse) or has of its
# own; the others are those the stack adds to the same answer (framing, content policy, Vary, language).
_OWN_HEADERS = {
    "cache-control",
    "content-disposition",
    "content-length",
    "content-type",
    "date",
    "etag",
    "last-modified",
    "location",
}
# The stack's headers are taken again from a whole answer this often (a new deployment's content policy is
# then on every download within this time).
_KEPT_SECONDS = 10 * 60


class StoredFileMiddleware:
    """Answer a GET for a whole open-data file that a worker stored (transparency.opendata_files) before the
    session, language, CSRF, authentication, content-policy and other middleware, as CachedPageMiddleware
    answers a stored page: a visitor's download (or its revalidation, a 304) then costs the web process the
    file's row and the file handed to the server, not the whole stack (which adds only the same headers to
    every such answer).

    The answer is the view's own (`transparency.views.opendata.stored_answer`: the file's row read at each
    request, so a file built again is served at once with its new ETag); the headers the stack adds to it
    are kept from the last answer the whole stack gave for the same address and language, and until there
    is one (or for a visitor with a session, or without a stored file) the request goes through the stack.
    Place it after CachedPageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = self._download(request)
        if asked is None:
            return self.get_response(request)
        request.get_host()  # a host not allowed is refused (400) as CommonMiddleware would refuse it
        language = translation.get_language_from_request(request)
        key = f"{_HEADERS_PREFIX}{language}:{request.path_info}"
        kept = cache.get(key)
        if kept is not None:
            from .views.opendata import stored_answer  # noqa: PLC0415 - views import the app's models

            with translation.override(language):
                response = stored_answer(request, *asked)
            if response is not None:
                for name, value in kept:
                    if name not in response:
                        response[name] = value
                if not response.streaming and not response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))  # as CommonMiddleware adds it
                return response
        response = self.get_response(request)
        if getattr(response, "from_stored_file", False) and response.status_code in (200, 304):
            kept = [(k, v) for k, v in response.items() if k.lower() not in _OWN_HEADERS]
            cache.set(key, kept, _KEPT_SECONDS)
        return response

    @staticmethod
    def _download(request):
        """(dataset, format) of the open-data download a visitor without a session asks for, or None. An
        address with a query string goes through the stack (whose checks of it, such as the refusal of a
        NUL character, apply as to any address)."""
        if not pagecache.anonymous_get(request) or request.META.get("QUERY_STRING"):
            return None
        found = pagecache.resolved_view(request.path_info)
        if found is None or not getattr(found[0], "stored_file", False):
            return None
        return found[1]["dataset"], found[1]["fmt"]
