"""Editing the organization profile in the portal, with a logo upload checked by its content."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

pytestmark = pytest.mark.django_db


def _png(width=120, height=60, colour=(200, 30, 30), text: str | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _bomb_png(width=20000, height=20000) -> bytes:
    """A valid PNG header and one compressed all-zero image: a few kilobytes that decode to 400 megapixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _form_data(org, **changes) -> dict:
    data = {
        "name_zh_hans": org.name_zh_hans,
        "name_en": org.name_en,
        "legal_form": org.legal_form,
        "credit_code": org.credit_code or "",
        "registration_date": "",
        "area": str(org.area_id),
        "address": org.address,
        "description_zh_hans": org.description_zh_hans or "",
        "description_en": org.description_en or "",
        "themes": [],
        "staff_count": str(org.staff_count),
        "volunteer_count": str(org.volunteer_count),
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
        "contact_email": org.contact_email,
        "website": org.website,
    }
    data.update(changes)
    return data


@pytest.fixture
def editor_client(client, people):
    client.force_login(people["a_editor"])
    return client


def _post(client, org, upload=None, **changes):
    data = _form_data(org, **changes)
    if upload is not None:
        data["logo_upload"] = upload
    return client.post(f"/o/{org.slug}/profile/", data)


def test_an_editor_saves_the_profile_with_a_logo_which_is_re_encoded_without_metadata(
    editor_client, org_a, people, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("我的 logo.png", _png(text="GPS 40.8N 111.7E"), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(editor_client, org_a, upload, address="包头市昆都仑区少先路 8 号", staff_count="9")
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.address == "包头市昆都仑区少先路 8 号"
    assert org_a.staff_count == 9
    assert org_a.logo.name.startswith(f"logos/{org_a.slug}/") and org_a.logo.name.endswith(".png")
    stored = org_a.logo.read()
    assert stored.startswith(b"\x89PNG")
    assert b"GPS 40.8N" not in stored  # metadata dropped by re-encoding
    assert Image.open(io.BytesIO(stored)).size == (120, 60)
    assert org_a.history.first().history_user == people["a_editor"]

    logo = editor_client.get(f"/logos/{org_a.slug}/")
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == stored


def test_a_new_logo_replaces_the_old_file(editor_client, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(editor_client, org_a, SimpleUploadedFile("a.png", _png(colour=(0, 0, 255))))
    org_a.refresh_from_db()
    first = org_a.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        _post(editor_client, org_a, SimpleUploadedFile("b.png", _png(colour=(0, 255, 0))))
    org_a.refresh_from_db()
    assert org_a.logo.name != first
    assert not org_a.logo.storage.exists(first)
    assert org_a.logo.storage.exists(org_a.logo.name)


def test_a_big_photo_is_scaled_down_to_the_logo_size(editor_client, org_a):
    _post(editor_client, org_a, SimpleUploadedFile("big.png", _png(2000, 1000)))
    org_a.refresh_from_db()
    assert Image.open(org_a.logo).size == (800, 400)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "is not an image"),
        (
            "logo.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "is not an image",
        ),
        ("logo.png", _png()[:40], "could not be read"),
        ("logo.png", _png() + b"\0" * (5 * 1024 * 1024), "The image is too large"),
        ("logo.png", _bomb_png(), "too many pixels"),
        ("logo.png", _bomb_png(8000, 8000), "too many pixels (8000 × 8000)"),
    ],
    ids=["pdf", "svg", "truncated-png", "over-5-MB", "decompression-bomb", "over-the-pixel-limit"],
)
def test_a_bad_upload_gets_a_field_error_and_nothing_is_saved(
    editor_client, org_a, settings, name, content, message
):
    before = org_a.history.count()
    response = _post(editor_client, org_a, SimpleUploadedFile(name, content), address="Changed address")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["logo_upload"]
    assert message in errors["logo_upload"][0]
    org_a.refresh_from_db()
    assert org_a.address != "Changed address"
    assert not org_a.logo
    assert org_a.history.count() == before
    assert not (settings.MEDIA_ROOT / "logos").exists()


def test_the_decompression_bomb_is_small_on_disk():
    bomb = _bomb_png()
    assert len(bomb) < 200_000
    assert bomb[16:24] == (20000).to_bytes(4, "big") * 2  # the IHDR declares 20000 × 20000 pixels


def test_a_wrong_credit_code_in_the_profile_gets_a_field_error(editor_client, org_a):
    code = org_a.credit_code
    response = _post(editor_client, org_a, credit_code=code[:-1] + ("1" if code[-1] != "1" else "2"))
    assert "check character does not match" in response.context["form"].errors["credit_code"][0]
    org_a.refresh_from_db()
    assert org_a.credit_code == code


def test_another_organizations_name_gets_a_field_error(editor_client, org_a, org_b):
    response = _post(editor_client, org_a, name_zh_hans=org_b.name_zh_hans)
    assert response.status_code == 200
    assert "name_zh_hans" in response.context["form"].errors
    org_a.refresh_from_db()
    assert org_a.name_zh_hans == "甲社区服务中心"


def test_a_jpeg_logo_is_stored_and_served_as_a_jpeg(editor_client, org_a):
    out = io.BytesIO()
    Image.new("RGB", (90, 90), (10, 120, 10)).save(out, format="JPEG")
    _post(editor_client, org_a, SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg"))
    org_a.refresh_from_db()
    assert org_a.logo.read().startswith(b"\xff\xd8")
    assert org_a.logo.name.endswith(".jpg")
    assert editor_client.get(f"/logos/{org_a.slug}/")["Content-Type"] == "image/jpeg"
