"""Load a believable demo programme. Idempotent: a second run changes nothing."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from empowerment import demo

# Each app's demo seeder, in dependency order; each is `<module>.seed(ctx)`.
SEEDERS = [
    "empowerment.demo",
    "organizations.demo",
    "trainings.demo",
    "projects.demo",
    "fundraising.statements.demo_history",  # last year's books, before the demo year
    "fundraising.demo",
    "fundraising.bills.demo",
    "fundraising.receipts.demo",
    "fundraising.statements.demo",
    "transparency.demo",
    "transparency.workreport_demo",
]


class Command(BaseCommand):
    help = "Load the demo programme (areas, organizations, members, and each app's demo data)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["tiny", "tenth", "province"],
            help="Then add the scale data set of this size (see seed_scale; tenth and province need PostgreSQL).",
        )

    def handle(self, *args, scale=None, **options):
        if scale:
            from django.core.management import call_command  # noqa: PLC0415

            call_command("seed_scale", scale, stdout=self.stdout, stderr=self.stderr)
            return
        ctx = demo.DemoContext(stdout=self.stdout)
        # Notifications that seeding triggers (workflow emails) are not for anyone: keep them off the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is loaded. Demo accounts (password: {demo.DEMO_PASSWORD}):")
        )
        for email, role in ctx.accounts:
            self.stdout.write(f"  {email:<28} {role}")

    def _seed(self, ctx):
        for name in SEEDERS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
                    continue  # this app has no demo data yet
                raise
            self.stdout.write(f"Seeding {name} …")
            with transaction.atomic():
                module.seed(ctx)
