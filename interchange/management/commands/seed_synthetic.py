import time

from django.core.management.base import BaseCommand, CommandError

from interchange import synthetic


class Command(BaseCommand):
    help = (
        "Add a synthetic archive of the given size (actors, letters with recipients and requested "
        "actions, anchored claims, responses, evidence, statuses and history) for benchmarks and "
        "for trying Missive at scale. All of it or nothing; refuses a database that already has one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--letters", type=int, default=20_000, help="how many letters (default 20,000)"
        )
        parser.add_argument(
            "--claims", type=int, default=200_000, help="how many claims (default 200,000)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed; the same seed gives the same archive"
        )

    def handle(self, *args, letters, claims, seed, **options):
        self.verbosity = options["verbosity"]
        if letters < 1 or claims < 0:
            raise CommandError("Give at least one letter and no negative number of claims.")
        if claims > letters * 49 + 50:
            raise CommandError(
                f"{claims:,} claims cannot fit in {letters:,} letters (at most 49 a letter, "
                "50 in the first); ask for more letters."
            )
        started = time.monotonic()
        try:
            counts = synthetic.seed(letters, claims, seed, progress=self.progress)
        except ValueError as error:
            raise CommandError(str(error))
        self.stdout.write(
            self.style.SUCCESS(f"Seeded in {time.monotonic() - started:.1f} s: {counts.summary()}.")
        )

    def progress(self, message):
        if self.verbosity >= 2:
            self.stdout.write(message)
