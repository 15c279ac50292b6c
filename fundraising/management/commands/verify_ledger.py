"""Prove the ledger was not altered: hash chain, balanced transactions, running totals equal the sums."""

from django.core.management.base import BaseCommand, CommandError

from fundraising.ledger import ledger_verify
from fundraising.models import LedgerEntry


class Command(BaseCommand):
    help = "Verify the ledger's hash chain, balanced transactions and fund balances; exit 1 on any problem."

    def handle(self, *args, **options):
        total = LedgerEntry.objects.count()
        self.stdout.write(f"Checking {total} ledger entries …")
        problems = ledger_verify(progress=lambda n: self.stdout.write(f"  {n}/{total} entries checked"))
        if problems:
            for problem in problems:
                self.stderr.write(f"PROBLEM: {problem}")
            raise CommandError(f"The ledger has {len(problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                "The ledger is sound: chain intact, transactions balanced, balances equal sums."
            )
        )
