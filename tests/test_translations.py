"""Every catalogue of the project is complete: each message translated into Simplified Chinese.

CI regenerates the catalogues from the code first (`make messages`), so a string added without a
translation fails here."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(
    p
    for p in Path(settings.BASE_DIR).glob("*/**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in p.parts
)


def test_there_are_catalogues():
    assert CATALOGUES, "no zh_Hans catalogue found"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path}: {fuzzy[:10]}"
