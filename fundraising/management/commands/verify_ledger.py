"""Prove the books: the hash chain, balanced transactions, running totals and monthly totals, every source
record against its posting, every stored checkpoint and the public figures stored elsewhere (the dashboard
snapshot). Exits non-zero naming each problem.

    manage.py verify_ledger                      everything (a sound run is remembered)
    manage.py verify_ledger --since-checkpoint   only what was posted after the last checkpoint a full run
                                                 proved
    manage.py verify_ledger --checkpoint FILE    the history up to each checkpoint in FILE is unchanged:
                                                 the open-data checkpoints JSON or CSV, a report PDF or its
                                                 text, kept from when it was published
    manage.py verify_ledger --checkpoint CODE    the same for a stored checkpoint (e.g. D2026-11-30)
"""

from django.core.management.base import BaseCommand, CommandError

from fundraising import verification
from fundraising.models import LedgerEntry


class Command(BaseCommand):
    help = (
        "Verify the books: hash chain, balances, monthly totals, every record against its posting, "
        "checkpoints and stored public figures; exit 1 on any problem."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="Check only what was posted after the last checkpoint a full run proved sound.",
        )
        mode.add_argument(
            "--checkpoint",
            metavar="FILE_OR_CODE",
            help="Prove the history up to published checkpoints unchanged: a file kept from publication "
            "(open-data checkpoints JSON/CSV, a report PDF or its text) or a checkpoint's code.",
        )

    def handle(self, *args, **options):
        def progress(n):
            self.stdout.write(f"  {n} entries checked")

        if options["checkpoint"]:
            try:
                published = verification.load_published(options["checkpoint"])
            except verification.UnreadableCheckpoints as exc:
                raise CommandError(str(exc)) from None
            codes = ", ".join(f"{p.code} (entry {p.seq})" for p in published)
            self.stdout.write(f"Proving the history up to checkpoint(s) {codes} …")
            result = verification.prove_checkpoints(published, progress=progress)
            success = "The history up to each checkpoint is unchanged: the chain gives the published hashes."
        else:
            since = None
            if options["since_checkpoint"]:
                since = verification.last_verified_checkpoint()
                if since is None:
                    self.stdout.write("No checkpoint has been proven by a full run yet: checking everything.")
            total = LedgerEntry.objects.filter(seq__gt=since.seq if since else 0).count()
            self.stdout.write(f"Checking {total} ledger entries …")
            result = verification.verify(since=since, progress=progress)
            success = (
                "The ledger is sound: chain intact, transactions balanced, balances and monthly totals equal "
                "the sums, every record matches its posting, checkpoints hold, stored figures are current."
            )
        for note in result.notes:
            self.stdout.write(f"note: {note}")
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"PROBLEM: {problem}")
            raise CommandError(f"The ledger has {len(result.problems)} problem(s).")
        if not options["checkpoint"] and result.since is None:
            run = verification.verification_record(result)
            where = f", covering checkpoint {run.checkpoint.code}" if run.checkpoint else ""
            self.stdout.write(f"Recorded: proven sound up to entry {run.seq}{where}.")
        self.stdout.write(
            self.style.SUCCESS(f"{success} ({result.entries_checked} entries, {result.seconds} s)")
        )
