from django.core.management.base import BaseCommand, CommandError

from empowerment.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an EMPTY database (DATABASE_URL) and an empty file storage "
        "(MEDIA_ROOT or the S3 bucket); checks row and file counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            counts = restore(folder)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {sum(counts.values())} rows in {len(counts)} tables; counts match the backup."
        )
