"""A document whose content points at local files or hosts: the pipeline renders it without fetching them
(the unit tests of the fetcher are in tests/empowerment/test_documents.py)."""

import http.server
import threading

import pypdf
import pytest

import empowerment.documents.testing  # noqa: F401 - the test document kind (takes an image URL)
from empowerment.documents.services import document_request
from empowerment.documents.testing import KIND
from tests.factories.core import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http", "file:///proc/self/environ"])
def test_a_document_pointing_at_local_files_or_hosts_renders_without_fetching_them(
    listener, target, django_capture_on_commit_callbacks, caplog
):
    base, hits = listener
    url = f"{base}/steal.png" if target == "http" else target
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=KIND, subject=OrganizationFactory(name="Refusal test"), language="en", params={"image": url}
        )
    document.refresh_from_db()
    assert document.status == "ready", document.error
    assert hits == []  # the local server was never asked
    assert any("refused to fetch" in r.getMessage() for r in caplog.records)
    with document.file.open("rb") as fh:
        text = "".join(p.extract_text() for p in pypdf.PdfReader(fh).pages)
    assert "Refusal test" in text and "root:" not in text
