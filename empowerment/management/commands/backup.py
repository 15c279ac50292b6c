from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from empowerment.backup import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc, or SQLite's backup API) and the stored files into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="", help="folder (default backups/<timestamp>)")

    def handle(self, *args, output, **options):
        folder = Path(output or f"backups/{timezone.now():%Y%m%d-%H%M%S}")
        backup(folder)
        self.stdout.write(f"Backup written to {folder}")
