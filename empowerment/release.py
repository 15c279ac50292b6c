"""What this release draws pages with, as one short fingerprint: the project's templates, translations and
code. A drawing kept in the database (transparency.projectparts) is stamped with it, so that a deployment
that changes how a page is drawn or worded draws it again, however long ago it was drawn; several
machines running the same release agree on it (it is read from the files' contents, not their dates)."""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

SUFFIXES = frozenset({".py", ".html", ".txt", ".svg", ".mo"})


@functools.cache
def fingerprint() -> str:
    """Sixteen hexadecimal digits over every such file's path and contents (read once per process)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    # The site's templates and the project's own apps (each package holds its templates and translations).
    own_apps = [app for app in settings.INSTALLED_APPS if "." not in app and (base / app).is_dir()]
    for folder in ("templates", *own_apps):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in SUFFIXES and "migrations" not in path.parts and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()
