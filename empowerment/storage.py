"""The stored files (uploads and rendered documents) as a whole, through Django's storage API only.

The files live in the configured default storage: a folder on the local disk (MEDIA_ROOT) on one machine, or
an S3-compatible object store shared by several web and worker machines. Code never opens a stored file by
its path, so the same backup, restore and checks work on either."""

import tarfile
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.files.utils import validate_file_name


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
