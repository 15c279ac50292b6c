"""Load a believable demo programme. Idempotent: a second run changes nothing."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from empowerment import demo

# Each app's demo seeder, in dependency order; each is `<module>.seed(ctx)`.
SEEDERS = ["empowerment.demo", "organizations.demo", "trainings.demo", "projects.demo", "fundraising.demo", "transparency.demo"]


class Command(BaseCommand):
    help = "Load the demo programme (areas, organizations, members, and each app's demo data)."

    def handle(self, *args, **options):
        ctx = demo.DemoContext(stdout=self.stdout)
        for name in SEEDERS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue  # this app has no demo data yet
                raise
            self.stdout.write(f"Seeding {name} …")
            with transaction.atomic():
                module.seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is loaded. Demo accounts (password: {demo.DEMO_PASSWORD}):")
        )
        for email, role in ctx.accounts:
            self.stdout.write(f"  {email:<28} {role}")
