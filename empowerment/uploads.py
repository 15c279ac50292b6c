"""Checks for uploaded files: type by content (not by name), size in bytes and in pixels; nothing is stored
with its metadata: images are re-encoded (which drops EXIF, GPS included) on every path, photos and documents
alike; PDFs and Office files lose their author and location properties while their content stays."""

import io
import os
import re
import warnings
import zipfile

import filetype
import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf.generic import NameObject

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


def _decode(upload, *, max_pixels: int) -> Image.Image:
    """Open and fully decode an uploaded image, refusing decompression bombs and damaged files."""
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
    return image


def _re_encode(image: Image.Image, *, mime: str, name: str, max_side: int, default: str) -> ContentFile:
    """Draw the pixels into a new file: nothing of the original's metadata (EXIF, GPS, XMP, comments)
    survives. The orientation EXIF asked for is applied to the pixels first."""
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if mime == "image/jpeg":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        ext = "jpg"
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        ext = "png"
    stem = os.path.splitext(safe_filename(name, default))[0]
    return _cleaned(ContentFile(out.getvalue(), name=f"{stem}.{ext}"))


def _cleaned(file):
    file.metadata_stripped = True  # cleaning twice (form, then service) must not re-encode twice
    return file


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
    image = _decode(upload, max_pixels=max_pixels)
    return _re_encode(
        image, mime=kind.mime, name=getattr(upload, "name", "image"), max_side=max_side, default="image"
    )


# A scanned receipt or certificate must stay legible: documents that are images keep more pixels than photos.
DOCUMENT_IMAGE_MAX_SIDE = 4000


def _pdf_without_metadata(data: bytes) -> bytes | None:
    """The PDF rewritten by pypdf with every page and object kept, but with an empty document information
    dictionary (author, creator, producer, title, dates) and no XMP metadata streams (which can carry a
    location). None when pypdf cannot rewrite it reliably (damaged or encrypted): the caller keeps the
    bytes as they were, since a document's content must not be lost."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None
        pages = len(reader.pages)
        writer = pypdf.PdfWriter(clone_from=reader)
        writer.metadata = {}
        metadata = NameObject("/Metadata")
        if metadata in writer.root_object:
            del writer.root_object[metadata]
        for page in writer.pages:
            if metadata in page:
                del page[metadata]
        writer.compress_identical_objects(remove_identicals=False, remove_orphans=True)
        out = io.BytesIO()
        writer.write(out)
        rewritten = out.getvalue()
        if len(pypdf.PdfReader(io.BytesIO(rewritten)).pages) != pages:
            return None
        return rewritten
    except Exception:  # noqa: BLE001 - any failure of the rewrite keeps the original bytes
        return None


_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
_EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
)


def _office_without_metadata(data: bytes) -> bytes | None:
    """A .docx/.xlsx with its document properties (author, last editor, company, manager) emptied; every
    other part copied as it is. None when the file is not an Office package."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            names = source.namelist()
            if "[Content_Types].xml" not in names:
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    if info.filename == "docProps/core.xml":
                        target.writestr(info, _EMPTY_CORE)
                    elif info.filename == "docProps/app.xml":
                        target.writestr(info, _EMPTY_APP)
                    else:
                        target.writestr(info, source.read(info.filename))
        return out.getvalue()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return None


def clean_document(upload, *, max_bytes: int | None = None, allowed: set[str] | None = None):
    """Validate an uploaded document (PDF, image, Office file) by its content and size, and return it
    without metadata: an image is re-encoded (EXIF and GPS gone), a PDF loses its author and XMP metadata
    (pages untouched), an Office file its document properties."""
    if getattr(upload, "metadata_stripped", False):
        return upload
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
    name = safe_filename(upload.name, "document")
    if kind.mime in IMAGE_TYPES:
        image = _decode(upload, max_pixels=settings.UPLOAD_MAX_IMAGE_PIXELS)
        return _re_encode(
            image, mime=kind.mime, name=name, max_side=DOCUMENT_IMAGE_MAX_SIDE, default="document"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if kind.mime == "application/pdf":
        cleaned = _pdf_without_metadata(data)
    else:
        cleaned = _office_without_metadata(data)
    if cleaned is None:
        upload.name = name
        return _cleaned(upload)
    return _cleaned(ContentFile(cleaned, name=name))


def clean_new_upload(value, cleaner):
    """For a model form's file field (the admin's): a new upload goes through `cleaner` (clean_image or
    clean_document); the file already stored, or a cleared field, passes as it is."""
    if isinstance(value, UploadedFile):
        return cleaner(value)
    return value
