"""The release's fingerprint (empowerment.release), which a drawing kept in the database is stamped with:
it follows the contents of the templates, translations and code, not where or when the files were written."""

import os

from empowerment import release


def _fingerprint(settings, base):
    settings.BASE_DIR = base
    return release.fingerprint.__wrapped__()


def test_it_follows_what_the_pages_are_drawn_with_and_nothing_else(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "transparency" / "locale").mkdir(parents=True)
    (tmp_path / "transparency" / "migrations").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ figure }}</p>")
    (tmp_path / "transparency" / "views.py").write_text("x = 1\n")
    first = _fingerprint(settings, tmp_path)
    assert len(first) == 16 and first == _fingerprint(settings, tmp_path)
    os.utime(page, (1, 1))  # written at another time: the same release
    (tmp_path / "transparency" / "migrations" / "0002_more.py").write_text("ops = []\n")  # not drawn with
    (tmp_path / "transparency" / "notes.md").write_text("a note\n")
    assert _fingerprint(settings, tmp_path) == first
    page.write_text("<p>{{ figure }} yuan</p>")
    second = _fingerprint(settings, tmp_path)
    assert second != first
    (tmp_path / "transparency" / "locale" / "django.mo").write_bytes(b"\x95\x04\x12\xde")
    assert _fingerprint(settings, tmp_path) != second
