"""Build the scale data set (benchmarks.scale) on top of the demo data: `seed_scale tenth|province|tiny`."""

import io
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.scale import POSTGRES_ONLY, SCALES, ScaleError, build


class Command(BaseCommand):
    help = (
        "Add a province-sized programme (or a tenth of it, or a tiny one for tests) to the database with bulk "
        "inserts, every money event posted through the ledger. Needs PostgreSQL except for tiny."
    )

    def add_arguments(self, parser):
        parser.add_argument("scale", choices=list(SCALES))
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo data first.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, scale, no_demo=False, quiet=False, **options):
        if scale in POSTGRES_ONLY and connection.vendor != "postgresql":
            raise CommandError(
                f"The {scale} scale needs PostgreSQL: set DATABASE_URL=postgres://... "
                "(only the tiny scale runs on SQLite)."
            )
        started = time.monotonic()
        try:
            if not no_demo:
                call_command("seed_demo", stdout=io.StringIO() if quiet else self.stdout)
            result = build(scale, stream=sys.stderr, quiet=quiet)
        except ScaleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {scale} built in {time.monotonic() - started:.0f} s: "
                f"{result['organizations']} organizations, {result['projects']} projects (set {result['tag']})."
            )
        )
