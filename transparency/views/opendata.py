"""Open data downloads: CSV and JSON served from the whole files a worker builds when the data changes
(transparency.opendata_files), and until a file is first built streamed row by row; with caching headers
(ETag, Last-Modified, Cache-Control) so that repeated downloads cost a 304."""

import csv
import hashlib
import json

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_GET

from empowerment import storage
from empowerment.pagecache import public_page
from empowerment.querysets import keyset_iterator
from empowerment.spreadsheets import safe_cell

from .. import opendata, opendata_files, selectors

CACHE_SECONDS = 300
STREAM_BLOCK = 1 << 20


class _Echo:
    def write(self, value):
        return value


def _validators(name: str):
    changed = selectors.last_changed()
    stamp = changed.isoformat() if changed else "empty"
    etag = '"' + hashlib.sha256(f"{name}|{stamp}".encode()).hexdigest()[:32] + '"'
    return etag, changed


def _not_modified(request, etag, changed) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return bool(since and changed and int(changed.timestamp()) <= since)


def _headers(response, etag, changed, filename):
    response["ETag"] = etag
    if changed:
        response["Last-Modified"] = http_date(changed.timestamp())
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_page
@require_GET
def open_data(request):
    return render(
        request,
        "transparency/open_data.html",
        {"datasets": opendata.datasets().values(), "last_changed": selectors.last_changed()},
    )


def _csv_stream(dataset):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read the Chinese text as UTF-8
    yield writer.writerow([f.name for f in dataset.fields])
    for row in opendata.rows(dataset):
        yield writer.writerow([safe_cell(v) for v in row.values()])


def _json_stream(dataset):
    yield '{"dataset": ' + json.dumps(dataset.slug) + ', "fields": '
    yield json.dumps(
        [{"name": f.name, "type": f.kind, "description": str(f.description)} for f in dataset.fields],
        ensure_ascii=False,
    )
    yield ', "rows": ['
    first = True
    for row in opendata.rows(dataset):
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False, cls=opendata.JSONEncoder)
        first = False
    yield "]}\n"


def _grants_360_stream():
    yield '{"version": "1.4", "title": "Community Empowerment Programme grants", "grants": ['
    first = True
    for grant in keyset_iterator(selectors.open_grants()):
        yield ("" if first else ",\n") + json.dumps(
            opendata.grant_360(grant), ensure_ascii=False, cls=opendata.JSONEncoder
        )
        first = False
    yield "]}\n"


def _stored(request, stored, filename, content_type):
    """A file the worker built (transparency.opendata_files): its own ETag, Last-Modified at the data's
    change it reflects, read from storage without a query per row. FileResponse hands a local file to the
    server's sendfile; a file in an object store that visitors can reach is downloaded from there, at a
    short-lived signed address (empowerment.storage.direct_url), else read through in large blocks."""
    changed = stored.stamp or stored.built_at
    if _not_modified(request, stored.etag, changed):
        return _headers(HttpResponseNotModified(), stored.etag, changed, filename)
    direct = storage.direct_url(stored.file.name, filename=filename, content_type=content_type)
    if direct is not None:
        response = HttpResponseRedirect(direct)
        # The signed address expires: a browser may keep the redirect for a minute, a shared cache not at all.
        response["Cache-Control"] = "private, max-age=60"
        response["ETag"] = stored.etag
        return response
    response = FileResponse(stored.file.open("rb"), content_type=content_type)
    # Without sendfile (an object store, TLS ended by the server itself) the file passes through Python:
    # in blocks of a megabyte rather than FileResponse's four kilobytes.
    response.block_size = STREAM_BLOCK
    response["Content-Length"] = str(stored.size)
    return _headers(response, stored.etag, changed, filename)


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def stored_answer(request, dataset: str, fmt: str):
    """The answer for `dataset`.`fmt` in the active language from the file a worker stored, or None when
    there is none to serve (an unknown dataset, not built yet, left far behind, its stored copy gone). Used
    by the view, and before the rest of the middleware stack by transparency.middleware.StoredFileMiddleware."""
    if fmt not in CONTENT_TYPES or dataset not in opendata.datasets():
        return None
    language = translation.get_supported_language_variant(translation.get_language() or "en")
    stored = opendata_files.current(f"{dataset}.{fmt}", language)
    if stored is None:
        return None
    try:
        response = _stored(request, stored, f"{dataset}.{fmt}", CONTENT_TYPES[fmt])
    except OSError:  # its stored copy is gone (storage emptied): the view answers from the books
        return None
    response.from_stored_file = True
    return response


@require_GET
def download(request, dataset, fmt):
    datasets = opendata.datasets()
    if dataset not in datasets or fmt not in CONTENT_TYPES:
        raise Http404
    answer = stored_answer(request, dataset, fmt)
    if answer is not None:
        return answer
    # Not built yet (or the worker fell far behind): streamed row by row.
    etag, changed = _validators(f"{dataset}.{fmt}")
    if _not_modified(request, etag, changed):
        return _headers(HttpResponseNotModified(), etag, changed, f"{dataset}.{fmt}")
    spec = datasets[dataset]
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(spec), content_type="text/csv; charset=utf-8")
    elif dataset == "grants":
        response = StreamingHttpResponse(_grants_360_stream(), content_type="application/json; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_stream(spec), content_type="application/json; charset=utf-8")
    return _headers(response, etag, changed, f"{dataset}.{fmt}")


download.stored_file = True  # what transparency.middleware.StoredFileMiddleware answers before the stack


@require_GET
def iati(request):
    etag, changed = _validators("iati.xml")
    if _not_modified(request, etag, changed):
        return _headers(HttpResponseNotModified(), etag, changed, "iati-activities.xml")
    response = HttpResponse(opendata.iati_xml(timezone.now()), content_type="application/xml; charset=utf-8")
    return _headers(response, etag, changed, "iati-activities.xml")
