import os
import tempfile

from django.core.management.base import BaseCommand, CommandError

from core.progress import terminal_progress
from interchange.archive_export import write_archive


class Command(BaseCommand):
    help = (
        "Write the whole archive (statuses, actors, sources, letters with their recipients, "
        "requested actions, claims, responses and evidence) to PATH in the import format. "
        "`import_letters PATH` on an empty database gives the same archive back, history aside. "
        "Use - for standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON file to write, or - for standard output")

    def handle(self, *args, path, **options):
        if path == "-":
            self.stdout.ending = ""  # the JSON brings its own line breaks
            write_archive(self.stdout)
            return
        # Write beside the target and rename, so a failed export never leaves half a backup.
        directory = os.path.dirname(os.path.abspath(path))
        try:
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=".json")
        except OSError as error:
            raise CommandError(f"{path}: cannot write there ({error.strerror or error})")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                count = write_archive(stream, progress=terminal_progress())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        self.stdout.write(
            self.style.SUCCESS(f"{path}: wrote {count} letter{'s' if count != 1 else ''}.")
        )
