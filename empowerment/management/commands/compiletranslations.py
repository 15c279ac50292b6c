"""Compile every .po catalogue of the project to .mo with polib, so no GNU gettext is needed."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        count = 0
        for po_path in sorted(base.glob("**/locale/*/LC_MESSAGES/*.po")):
            if ".venv" in po_path.parts:
                continue
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
