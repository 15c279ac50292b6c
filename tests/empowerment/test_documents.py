"""The shared PDF pipeline: request → render (eagerly in tests, after commit) → ready with a hash; failures
with the reason and a retry; the renderer's refusal to fetch anything but the site's own files."""

import hashlib
import http.server
import threading

import pypdf
import pytest

from empowerment.documents import registry, rendering
from empowerment.documents.services import document_request
from empowerment.models import Document

pytestmark = pytest.mark.django_db


def _request(org, user, capture, language="zh-hans", **kwargs):
    with capture(execute=True):
        document = document_request(
            kind="organization_profile", subject=org, language=language, requested_by=user, **kwargs
        )
    document.refresh_from_db()
    return document


def _text(document) -> str:
    with document.file.open("rb") as fh:
        return "".join(page.extract_text() for page in pypdf.PdfReader(fh).pages)


def test_a_profile_pdf_is_rendered_with_its_hash_and_the_chinese_name(
    org_a, people, django_capture_on_commit_callbacks
):
    document = _request(org_a, people["a_viewer"], django_capture_on_commit_callbacks)
    assert document.status == Document.Status.READY
    assert document.error == ""
    assert document.attempts == 1
    with document.file.open("rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF-")
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    text = _text(document)
    assert "甲社区服务中心" in text
    assert document.verification_code in text
    assert "统一社会信用代码" in text  # the labels are in the requested language
    # pypdf may split a long code where the glyphs are spaced apart; the code is in the text all the same.
    assert org_a.credit_code in "".join(text.split())


def test_an_english_pdf_has_english_labels(org_a, people, django_capture_on_commit_callbacks):
    document = _request(org_a, people["a_viewer"], django_capture_on_commit_callbacks, language="en")
    text = _text(document)
    assert "Unified social credit code" in text
    assert "甲社区服务中心" in text


def test_the_same_request_while_queued_returns_the_same_document(org_a, people):
    first = document_request(
        kind="organization_profile", subject=org_a, language="en", requested_by=people["a_admin"]
    )
    second = document_request(
        kind="organization_profile", subject=org_a, language="en", requested_by=people["a_editor"]
    )
    assert second.pk == first.pk
    assert Document.objects.count() == 1
    other_language = document_request(kind="organization_profile", subject=org_a, language="zh-hans")
    assert other_language.pk != first.pk


def test_someone_who_may_not_request_it_is_refused_and_nothing_is_queued(org_a, people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        document_request(
            kind="organization_profile", subject=org_a, language="en", requested_by=people["b_admin"]
        )
    assert not Document.objects.exists()


def test_the_portal_button_queues_the_pdf_and_the_status_page_offers_the_download(
    client, org_a, people, django_capture_on_commit_callbacks
):
    client.force_login(people["a_viewer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/o/{org_a.slug}/profile/pdf/")
    document = Document.objects.get()
    assert response["Location"] == f"/documents/{document.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f"/documents/{document.pk}/download/" in page
    download = client.get(f"/documents/{document.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    client.force_login(people["b_admin"])
    for suffix in ["", "status/", "download/"]:
        assert client.get(f"/documents/{document.pk}/{suffix}").status_code == 404


# Failures and retry -----------------------------------------------------------------------------------


class _Exploding:
    """A subject attribute that raises when the template reads it, while `broken` is set."""

    broken = True

    def __init__(self, org):
        self.org = org

    @property
    def name(self):
        if _Exploding.broken:
            raise ValueError("the template could not read the name")
        return self.org.name

    name_zh_hans = name  # the profile template reads the name in each language
    name_en = name


@pytest.fixture
def failing_kind():
    def can(user, org):
        return user.has_perm("organizations.request_profile_pdf", org)

    kind = registry.register(
        registry.DocumentKind(
            name="test_failing_profile",
            template="organizations/pdf/profile.html",
            build_context=lambda org, params: {
                "org": _Exploding(org),
                "themes": [],
                "area_path": [],
                "members": 0,
                "volunteer_teams": [],
                "resources": [],
            },
            title=lambda org, params: "Failing test document",
            can_request=can,
            can_view=can,
        )
    )
    _Exploding.broken = True
    yield kind
    registry._KINDS.pop(kind.name, None)


def test_a_failing_render_ends_failed_with_the_reason_and_an_allowed_user_retries_it(
    client, org_a, people, failing_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=failing_kind.name, subject=org_a, language="en")
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert "ValueError: the template could not read the name" in document.error
    assert not document.file

    client.force_login(people["a_viewer"])
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "the template could not read the name" in page
    assert f"/documents/{document.pk}/retry/" in page

    _Exploding.broken = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/documents/{document.pk}/retry/")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    assert document.attempts == 2
    assert document.error == ""


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("a_admin", 302),
        ("a_editor", 302),
        ("a_viewer", 302),
        ("b_admin", 404),
        ("programme_officer", 302),
        ("finance_officer", 302),
        ("trainer", 302),
        ("administrator", 302),
    ],
)
def test_retrying_a_failed_document_is_allowed_to_whoever_may_request_it(
    client, org_a, people, failing_kind, role, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=failing_kind.name, subject=org_a, language="en")
    if people[role]:
        client.force_login(people[role])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/documents/{document.pk}/retry/")
    assert response.status_code == status
    document.refresh_from_db()
    assert document.status == (Document.Status.QUEUED if status == 302 else Document.Status.FAILED)


def test_a_ready_document_cannot_be_retried(client, org_a, people, django_capture_on_commit_callbacks):
    document = _request(org_a, people["a_admin"], django_capture_on_commit_callbacks)
    client.force_login(people["a_admin"])
    assert client.post(f"/documents/{document.pk}/retry/").status_code == 404
    document.refresh_from_db()
    assert document.status == Document.Status.READY


def test_a_failed_document_shows_a_discard_action_and_discarding_deletes_it(
    client, org_a, people, failing_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=failing_kind.name, subject=org_a, language="en")
    client.force_login(people["a_editor"])
    status = client.get(f"/documents/{document.pk}/status/").content.decode()
    assert f'action="/documents/{document.pk}/discard/"' in status
    assert f'action="/documents/{document.pk}/retry/"' in status

    assert client.get(f"/documents/{document.pk}/discard/").status_code == 405  # a GET never discards
    assert Document.objects.filter(pk=document.pk).exists()
    response = client.post(f"/documents/{document.pk}/discard/", {"next": f"/portal/{org_a.slug}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/portal/{org_a.slug}/"
    assert not Document.objects.filter(pk=document.pk).exists()
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    # The same request may be made again afresh.
    with django_capture_on_commit_callbacks(execute=True):
        again = document_request(kind=failing_kind.name, subject=org_a, language="en")
    assert again.pk != document.pk


def test_discarding_ignores_a_next_address_on_another_site(
    client, org_a, people, failing_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=failing_kind.name, subject=org_a, language="en")
    client.force_login(people["a_admin"])
    response = client.post(f"/documents/{document.pk}/discard/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("a_admin", 302),
        ("a_editor", 302),
        ("a_viewer", 302),
        ("b_admin", 404),
        ("programme_officer", 302),
        ("finance_officer", 302),
        ("trainer", 302),
        ("administrator", 302),
    ],
)
def test_discarding_a_failed_document_is_allowed_to_whoever_may_retry_it(
    client, org_a, people, failing_kind, role, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=failing_kind.name, subject=org_a, language="en")
    if people[role]:
        client.force_login(people[role])
    response = client.post(f"/documents/{document.pk}/discard/")
    assert response.status_code == status
    assert Document.objects.filter(pk=document.pk).exists() == (status == 404)


def test_a_ready_or_queued_document_cannot_be_discarded(
    client, org_a, people, django_capture_on_commit_callbacks
):
    document = _request(org_a, people["a_admin"], django_capture_on_commit_callbacks)
    assert document.status == Document.Status.READY
    client.force_login(people["a_admin"])
    assert client.post(f"/documents/{document.pk}/discard/").status_code == 404
    Document.objects.filter(pk=document.pk).update(status=Document.Status.QUEUED, sha256="")
    assert client.post(f"/documents/{document.pk}/discard/").status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()
    assert (
        f"/documents/{document.pk}/discard/" not in client.get(f"/documents/{document.pk}/").content.decode()
    )


def test_without_weasyprint_a_request_fails_with_the_packages_to_install(
    org_a, people, monkeypatch, django_capture_on_commit_callbacks
):
    # The environment, not the subject: the import of weasyprint fails as on a machine without its libraries.
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    with pytest.raises(rendering.PdfEngineUnavailable):
        rendering._load_weasyprint()
    document = _request(org_a, people["a_admin"], django_capture_on_commit_callbacks)
    assert document.status == Document.Status.FAILED
    assert "apt-get install" in document.error
    for package in ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]:
        assert package in document.error


# The renderer fetches nothing but the site's own files ------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_http_server():
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/secret",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/x.png",
        "ftp://127.0.0.1/x",
        "static:../../../etc/passwd",
        "media:../../etc/passwd",
        "static:/etc/passwd",
    ],
)
def test_the_fetcher_refuses_other_schemes_and_paths_outside_the_site(url):
    with pytest.raises(rendering.RefusedURL):
        rendering.make_fetcher().fetch(url)


def test_an_absolute_media_path_stays_inside_the_media_folder(settings):
    (settings.MEDIA_ROOT / "etc").mkdir(parents=True)
    (settings.MEDIA_ROOT / "etc" / "passwd").write_bytes(b"stored file")
    assert rendering.make_fetcher().fetch("media:/etc/passwd").read() == b"stored file"


def test_the_fetcher_serves_data_urls_and_static_files():
    fetcher = rendering.make_fetcher()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    css = fetcher.fetch("static:css/site.css")
    assert css.content_type == "text/css"
    assert len(css.read()) > 0


def test_rendering_html_that_points_at_local_files_and_hosts_fetches_nothing_and_still_gives_a_pdf(
    local_http_server,
):
    html = f"""<html><head><link rel="stylesheet" href="{local_http_server}/style.css"></head><body>
      <h1>社区赋能</h1>
      <img src="file:///etc/passwd"><img src="{local_http_server}/pixel.png">
      <iframe src="file:///etc/hostname"></iframe><object data="file:///etc/passwd"></object>
    </body></html>"""
    pdf = rendering.html_to_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert _Recorder.hits == []  # the local server was never asked
    import io

    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "社区赋能" in text
    assert "root:" not in text
