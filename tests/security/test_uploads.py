"""Uploads: type by content, limits in bytes and pixels (a decompression bomb included), SVG/HTML/polyglots
refused, safe names, EXIF stripped by re-encoding; private files only through permission-checked views."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from empowerment.uploads import clean_document, clean_image, safe_filename


def _image(fmt="JPEG", size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, "teal").save(out, format=fmt, **kwargs)
    return out.getvalue()


def _upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _code(call) -> str:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.code


def test_an_image_is_recognised_by_its_content_whatever_its_name():
    cleaned = clean_image(_upload("photo.txt", _image("PNG"), "text/plain"))
    assert cleaned.name == "photo.png"
    assert Image.open(io.BytesIO(cleaned.read())).format == "PNG"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("photo.jpg", b"<html><body><script>alert(document.cookie)</script></body></html>"),
        ("photo.png", b"GIF89a/*<script>alert(1)</script>*/" + b"\x00" * 100),  # GIF header + script
        ("report.pdf", b"%PDF-1.4\n%<html><script>alert(1)</script>"),  # a PDF is not an image
        ("a.jpg", b""),
    ],
)
def test_svg_html_and_polyglot_files_are_refused_as_images(name, data):
    assert _code(lambda: clean_image(_upload(name, data, "image/jpeg"))) in ("not_image", "broken")


def test_a_file_larger_than_the_byte_limit_is_refused_before_it_is_decoded():
    assert _code(lambda: clean_image(_upload("big.jpg", _image()), max_bytes=100)) == "too_large"


def test_a_small_file_that_decodes_to_a_huge_image_is_refused():
    # A 1-bit PNG of 20000 x 20000 pixels is a few kilobytes and would need 400 million pixels in memory.
    out = io.BytesIO()
    Image.new("1", (20000, 20000), 0).save(out, format="PNG", optimize=True)
    data = out.getvalue()
    assert len(data) < 100_000
    assert _code(lambda: clean_image(_upload("bomb.png", data))) == "too_many_pixels"


def test_a_damaged_image_is_refused_with_a_message():
    data = _image()[:200]
    assert _code(lambda: clean_image(_upload("cut.jpg", data))) == "broken"


def test_re_encoding_strips_exif_including_gps():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif.get_ifd(0x8825)[2] = (40.0, 48.0, 0.0)  # GPS latitude
    exif.get_ifd(0x8825)[1] = "N"
    original = _image(exif=exif.tobytes())
    assert b"SpyCam" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the original carries a position
    cleaned = clean_image(_upload("gps.jpg", original)).read()
    assert b"SpyCam" not in cleaned
    assert not Image.open(io.BytesIO(cleaned)).getexif()


def test_large_images_are_scaled_down():
    cleaned = clean_image(_upload("wide.png", _image("PNG", size=(5000, 100))))
    assert Image.open(io.BytesIO(cleaned.read())).width == 2400


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("photo<script>.jpg", "photo-script.jpg"),
        ("报告 2024.pdf", "报告-2024.pdf"),
        ("", "file"),
        (".htaccess", "htaccess"),
        ("a" * 300 + ".pdf", "a" * 60 + ".pdf"),
        ("evil.php%00.jpg", "evil.php-00.jpg"),
    ],
)
def test_file_names_are_made_safe(name, expected):
    cleaned = safe_filename(name)
    assert "/" not in cleaned and "\\" not in cleaned and not cleaned.startswith(".")
    assert cleaned == expected


def test_documents_are_checked_by_content_not_name():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    assert clean_document(_upload("../scan.exe", pdf)).name == "scan.exe"
    with pytest.raises(ValidationError):
        clean_document(_upload("invoice.pdf", b"<html><script>alert(1)</script></html>"))
    with pytest.raises(ValidationError):
        clean_document(_upload("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200))  # a Windows executable
    with pytest.raises(ValidationError):
        clean_document(_upload("big.pdf", pdf), max_bytes=10)


@pytest.mark.django_db
def test_nothing_serves_the_media_folder(client, settings, people):
    """Stored files have no public URL: /files/... answers 404 even for a file that exists, for anyone."""
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "receipt.pdf").write_bytes(b"%PDF-1.4 private")
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "x.png").write_bytes(_image("PNG"))
    for user in (None, people["administrator"]):
        if user:
            client.force_login(user)
        for path in ("documents/receipt.pdf", "logos/x.png"):
            response = client.get(f"{settings.MEDIA_URL}{path}")
            assert response.status_code == 404
            assert b"private" not in response.content


@pytest.mark.django_db
def test_a_private_document_downloads_only_through_its_permission_checked_view_as_an_attachment(
    client, people, org_a, django_capture_on_commit_callbacks
):
    from empowerment.documents.services import document_request

    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind="organization_profile", subject=org_a, language="en")
    document.refresh_from_db()
    url = f"/documents/{document.pk}/download/"
    for role, status in (("anonymous", 404), ("b_admin", 404), ("a_viewer", 200)):
        client.logout()
        if people[role]:
            client.force_login(people[role])
        response = client.get(url)
        assert response.status_code == status, role
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
