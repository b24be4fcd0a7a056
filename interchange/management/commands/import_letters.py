from django.core.management.base import BaseCommand, CommandError

from core.progress import terminal_progress
from interchange.importing import ImportFailed, import_file


class Command(BaseCommand):
    help = (
        "Import letters, their sources, actors, claims and responses from a JSON file in the "
        "Missive import format (see README), or letters and their correspondents from a CMIF "
        "(TEI XML) file. The whole file is checked first; nothing is written unless it is "
        "entirely valid. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON file to import")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid letters and report each letter left out, with its errors, "
            "instead of refusing the whole file (an error outside every letter still refuses it)",
        )

    def handle(self, *args, path, skip_invalid=False, **options):
        try:
            report = import_file(path, skip_invalid=skip_invalid, progress=terminal_progress())
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError(f"{path}: {len(failure.errors)} error(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{path}: {report.summary()}."))
        if report.refused:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.refused)} letter(s) left out, each with its errors:"
                )
            )
            for letter, errors in report.refused:
                self.stdout.write(f"  {letter}")
                for error in errors:
                    self.stdout.write(f"    {error}")
        if report.unmapped:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.unmapped)} thing(s) in the file could not be recorded in Missive:"
                )
            )
            for item in report.unmapped:
                self.stdout.write(f"  {item}")
