"""Checks for uploaded files: type by content (not by name), size in bytes and in pixels; images are
re-encoded (which drops EXIF, GPS included) before they are stored."""

import io
import os
import re
import warnings

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
DOCUMENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",  # docx/xlsx are zip containers; filetype may report either
}


def safe_filename(name: str, default: str = "file") -> str:
    base = os.path.basename(name or "")
    stem, ext = os.path.splitext(base)
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip(".-")[:60] or default
    ext = re.sub(r"[^A-Za-z0-9.]", "", ext)[:10].lower()
    return f"{stem}{ext}"


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    return head


def clean_image(upload, *, max_bytes: int | None = None, max_pixels: int | None = None, max_side: int = 2400):
    """Validate an uploaded image and return a re-encoded copy (ContentFile) without metadata.

    Raises ValidationError with a message for the form field when the file is not an image of an
    accepted type, is too large in bytes, or would decode to too many pixels.
    """
    max_bytes = max_bytes or settings.UPLOAD_MAX_IMAGE_BYTES
    max_pixels = max_pixels or settings.UPLOAD_MAX_IMAGE_PIXELS
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large: %(size)s MB; the limit is %(limit)s MB."),
            code="too_large",
            params={"size": round(upload.size / 1048576, 1), "limit": round(max_bytes / 1048576, 1)},
        )
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise ValidationError(
            _("This file is not an image in JPEG, PNG, WebP or GIF format."), code="not_image"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.width * image.height > max_pixels:
                raise ValidationError(
                    _("The image has too many pixels (%(w)s × %(h)s)."),
                    code="too_many_pixels",
                    params={"w": image.width, "h": image.height},
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from None
    except Exception:
        raise ValidationError(_("The image could not be read; it may be damaged."), code="broken") from None
    finally:
        upload.seek(0)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if kind.mime == "image/jpeg":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        ext = "png"
    stem = os.path.splitext(safe_filename(getattr(upload, "name", "image"), "image"))[0]
    return ContentFile(out.getvalue(), name=f"{stem}.{ext}")


def clean_document(upload, *, max_bytes: int | None = None, allowed: set[str] | None = None):
    """Validate an uploaded document (PDF, image, Office file) by its content and size."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_DOCUMENT_BYTES
    allowed = allowed or DOCUMENT_TYPES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large: %(size)s MB; the limit is %(limit)s MB."),
            code="too_large",
            params={"size": round(upload.size / 1048576, 1), "limit": round(max_bytes / 1048576, 1)},
        )
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime not in allowed:
        raise ValidationError(
            _("This type of file is not accepted. Upload a PDF, an image or an Office document."), code="type"
        )
    upload.name = safe_filename(upload.name, "document")
    return upload
