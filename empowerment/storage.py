"""The stored files (uploads and rendered documents) as a whole, through Django's storage API only.

The files live in the configured default storage: a folder on the local disk (MEDIA_ROOT) on one machine, or
an S3-compatible object store shared by several web and worker machines. Code never opens a stored file by
its path, so the same backup, restore and checks work on either."""

import logging
import tarfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.files.utils import validate_file_name
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

# A stored file no row refers to is deleted once it is this old: younger, it may belong to a transaction
# that has not committed yet (a PDF being rendered, an upload being saved).
UNREFERENCED_GRACE = timedelta(days=1)


def stored_names(storage: Storage | None = None, folder: str = "") -> Iterator[str]:
    """Every stored file's name, folder by folder (sorted, so two listings of the same files compare)."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT that was never created holds no file
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def archive(destination: Path, storage: Storage | None = None) -> dict:
    """Write every stored file into the tar.gz `destination` under its storage name; returns the count and
    bytes written (kept in the backup's manifest so that a restore can check them)."""
    storage = storage or default_storage
    count = size = 0
    with tarfile.open(destination, "w:gz") as tar:
        for name in stored_names(storage):
            with storage.open(name, "rb") as fh:
                info = tarfile.TarInfo(name)
                info.size = storage.size(name)
                info.mode = 0o640
                tar.addfile(info, fh)
            count += 1
            size += info.size
    return {"count": count, "bytes": size}


class RestoreError(RuntimeError):
    pass


def _members(tar: tarfile.TarFile, storage: Storage) -> list[tuple[tarfile.TarInfo, str]]:
    members = []
    for member in tar.getmembers():
        if member.isdir():
            continue
        name = member.name.removeprefix("./")
        if not member.isfile():
            raise RestoreError(f"The backup holds {member.name!r}, which is not a regular file.")
        try:
            validate_file_name(name, allow_relative_path=True)
        except SuspiciousFileOperation as exc:
            raise RestoreError(f"The backup holds a file with a refused name: {member.name!r}") from exc
        if storage.exists(name):
            raise RestoreError(f"The storage already holds {name}: restore into an empty storage.")
        members.append((member, name))
    return members


def check_archive(source: Path, storage: Storage | None = None) -> int:
    """Raise RestoreError if `source` cannot be restored into the storage as it is (see restore_archive);
    returns the number of files it holds. Nothing is written."""
    with tarfile.open(source, "r:gz") as tar:
        return len(_members(tar, storage or default_storage))


def restore_archive(source: Path, storage: Storage | None = None) -> dict:
    """Put every regular file of the tar.gz `source` into the storage under its own name. The storage must
    not hold a file of the same name (a restore goes into an empty store); a member with an absolute name,
    a `..` part, or that is not a regular file is refused before anything is written."""
    storage = storage or default_storage
    count = size = 0
    with tarfile.open(source, "r:gz") as tar:
        for member, name in _members(tar, storage):
            with tar.extractfile(member) as fh:
                saved = storage.save(name, File(fh, name=name))
            if saved != name:
                raise RestoreError(f"{name} was stored as {saved}")
            count += 1
            size += member.size
    return {"count": count, "bytes": size}


def _file_columns(model) -> list[str]:
    """The columns of `model` that hold a stored file's name: its file fields, or for a history model
    (django-simple-history keeps them as text) those of the model it records."""
    recorded = getattr(model, "instance_type", None)
    source = recorded if isinstance(recorded, type) and issubclass(recorded, models.Model) else model
    return [f.attname for f in source._meta.concrete_fields if isinstance(f, models.FileField)]


def referenced_names() -> set[str]:
    """Every stored file's name that a row refers to, in any model's file fields and their history (an
    earlier version of a replaced document is still shown from its history)."""
    names: set[str] = set()
    for model in apps.get_models():
        for column in _file_columns(model):
            rows = model._base_manager.exclude(**{f"{column}__isnull": True}).exclude(**{column: ""})
            names.update(rows.values_list(column, flat=True).iterator())
    return names


def delete_unreferenced(*, now: datetime | None = None, storage: Storage | None = None) -> list[str]:
    """Delete the stored files that no row refers to and that are older than UNREFERENCED_GRACE: the file of
    an upload whose transaction rolled back after the file was written (a refused row, a lost connection),
    which nothing could reach and which may hold a person's data. Returns the names deleted; safe to run
    twice, and at any time (a file being saved now is younger than the grace)."""
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - UNREFERENCED_GRACE
    referenced = referenced_names()
    deleted = []
    for name in stored_names(storage):
        if name in referenced:
            continue
        try:
            if storage.get_modified_time(name) > cutoff:
                continue
            storage.delete(name)
        except FileNotFoundError:  # deleted meanwhile
            continue
        deleted.append(name)
    if deleted:
        logger.info("Deleted %d stored files no row refers to", len(deleted))
    return deleted


# Public files straight from the object store ------------------------------------------------------------

# How long a signed address of a public file stays valid: long enough to follow a redirect and start the
# download (an object store checks the signature when the download starts, not while it runs).
DIRECT_SECONDS = 300


def direct_url(name: str, *, filename: str, content_type: str) -> str | None:
    """A short-lived signed address where a visitor's browser downloads the stored file `name` straight from
    the object store, as an attachment called `filename` of `content_type`; None when the files are on the
    local disk (the web server hands them to sendfile) or the store cannot be reached by visitors (see
    S3_PUBLIC_ENDPOINT_URL in the settings). Only for files anyone may download: the address is not tied to
    a person. Signing is computed here; the store is not asked."""
    store = _public_store()
    if store is None:
        return None
    parameters = {
        "ResponseContentDisposition": f'attachment; filename="{filename}"',
        "ResponseContentType": content_type,
    }
    return store.url(name, parameters=parameters, expire=DIRECT_SECONDS)


_public_stores: dict[tuple, Storage | None] = {}


def _public_store() -> Storage | None:
    """The default storage's object store, addressed as visitors reach it (None: not an object store, or
    not reachable by visitors); one per configuration."""
    config = settings.STORAGES["default"]
    options = dict(config.get("OPTIONS", {}))
    public = getattr(settings, "S3_PUBLIC_ENDPOINT_URL", "")
    key = (config["BACKEND"], tuple(sorted((k, str(v)) for k, v in options.items())), public)
    if key not in _public_stores:
        _public_stores[key] = None
        if config["BACKEND"] == "storages.backends.s3.S3Storage" and (
            public or not options.get("endpoint_url")
        ):
            from storages.backends.s3 import S3Storage  # noqa: PLC0415 - only with an object store

            _public_stores[key] = S3Storage(
                # Signature version 4, which every region of AWS and S3-compatible stores accept.
                **{**options, "endpoint_url": public or None, "signature_version": "s3v4"}
            )
    return _public_stores[key]
