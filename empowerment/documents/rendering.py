"""HTML to PDF with WeasyPrint, fetching nothing but the site's own static and stored files and data: URLs.

Templates refer to assets as ``static:css/pdf.css`` or ``media:<storage name>`` (see the ``pdf_static``
and ``pdf_media`` template tags); any other scheme (file:, http:, ftp: ...) is refused.
"""

import logging
import mimetypes
import posixpath

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"


class PdfEngineUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are missing on this machine."""


class RefusedURL(ValueError):
    pass


class BrokenResource(ValueError):
    """One of the site's own files (an image, a stylesheet) could not be read or decoded: the document is
    not rendered without it; the reason names the file."""


class _FailedLoads(logging.Handler):
    """Collects WeasyPrint's "Failed to load ..." errors during one render."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("Failed to load"):
            self.messages.append(message[:300])


def _load_weasyprint():
    try:
        import weasyprint  # noqa: PLC0415 - imported lazily so the site starts without its libraries
    except (OSError, ImportError) as exc:
        raise PdfEngineUnavailable(
            "PDF rendering is unavailable: WeasyPrint could not load its system libraries "
            f"({exc}). Install them with: apt-get install {SYSTEM_PACKAGES}"
        ) from exc
    return weasyprint


def _safe_name(name: str) -> str:
    clean = posixpath.normpath(name.lstrip("/"))
    if clean.startswith("..") or clean.startswith("/") or "\\" in clean or clean == ".":
        raise RefusedURL(f"Refused path: {name}")
    return clean


def make_fetcher():
    """A URL fetcher that serves static:, media: and data: URLs and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class SiteOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data"}, timeout=5, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("static:"):
                name = _safe_name(url.removeprefix("static:"))
                path = finders.find(name)
                if not path:
                    raise RefusedURL(f"No static file {name}")
                with open(path, "rb") as fh:
                    body = fh.read()
                return URLFetcherResponse(url, body=body, headers={"Content-Type": _mime(name)})
            if url.startswith("media:"):
                name = _safe_name(url.removeprefix("media:"))
                with default_storage.open(name, "rb") as fh:
                    body = fh.read()
                return URLFetcherResponse(url, body=body, headers={"Content-Type": _mime(name)})
            if not url.startswith("data:"):
                logger.warning("PDF renderer refused to fetch %s", url[:200])
                raise RefusedURL(f"Refused URL: {url[:200]}")
            return super().fetch(url, headers)

    return SiteOnlyFetcher()


def _mime(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes. The same HTML always gives the same bytes.

    A URL of another scheme (file:, http:, ...) is refused and left out (logged). A damaged or missing file
    of the site's own (static:, media:) raises BrokenResource instead of giving a PDF without it.
    """
    weasyprint = _load_weasyprint()
    failed = _FailedLoads()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(failed)
    try:
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=make_fetcher())
        pdf = document.write_pdf(pdf_identifier=b"empowerment", uncompressed_pdf=False)
    finally:
        weasy_logger.removeHandler(failed)
    own = [
        m for m in failed.messages if "'static:" in m or "'media:" in m or " static:" in m or " media:" in m
    ]
    if own:
        raise BrokenResource("; ".join(own))
    return pdf
