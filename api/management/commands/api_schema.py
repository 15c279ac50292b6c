"""Print the public API's OpenAPI document (English), or write it to api/schema/v1.json with --write."""

from django.core.management.base import BaseCommand

from api import contract


class Command(BaseCommand):
    help = "Print the public API's OpenAPI document, or write it to api/schema/v1.json (--write)."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Write api/schema/v1.json.")

    def handle(self, *args, write=False, **options):
        schema = contract.generated()
        if write:
            contract.SCHEMA_PATH.write_text(contract.text(schema), encoding="utf-8")
            self.stdout.write(f"Wrote {contract.SCHEMA_PATH.name}: {contract.digest(schema)}")
        else:
            self.stdout.write(contract.text(schema), ending="")
