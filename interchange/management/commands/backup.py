"""`manage.py backup [--to DIR]`: everything needed to bring the archive back, in one new folder.

- letters.json: the archive in the import format (`import_letters` on an empty database gives it
  back, history aside): readable, and portable between databases;
- database.dump (PostgreSQL, `pg_dump --format=custom`) or database.sqlite3 (SQLite, an online
  copy): the whole database, history, users and sign-in records included;
- media/: the uploaded files (sources' originals), when there are any, as MEDIA_ROOT holds them.

The folder is written under a temporary name and renamed when complete, so a failed
backup never looks like a good one. docs/deployment.md (Backups) says how to restore.
"""

import io
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def postgres_url(settings_dict):
    """A libpq connection string for the database Django uses (the password goes in PGPASSWORD)."""
    parts = {
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER"),
    }
    return " ".join(f"{key}='{quoted(value)}'" for key, value in parts.items() if value)


def quoted(value):
    return str(value).replace("\\", "\\\\").replace("'", "\\'")


def postgres_environment(settings_dict):
    """The environment for pg_dump and pg_restore: the password where `ps` cannot show it."""
    password = settings_dict.get("PASSWORD")
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def dump_database(folder):
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={target}",
                postgres_url(connection.settings_dict),
            ],
            capture_output=True,
            text=True,
            env=postgres_environment(connection.settings_dict),
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # consistent even while the site is serving
        return target
    raise CommandError(f"No database backup for {connection.vendor}.")


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", default="backups", help="the folder to create the backup in (default backups/)"
        )

    def handle(self, *args, to, **options):
        name = f"missive-{timezone.now():%Y%m%dT%H%M%SZ}"
        folder = Path(to) / name
        partial = Path(to) / f".{name}.partial"
        try:
            partial.mkdir(parents=True)
        except OSError as error:
            raise CommandError(f"{to}: cannot create the backup there ({error.strerror or error})")
        try:
            call_command("export_letters", str(partial / "letters.json"), stdout=io.StringIO())
            dump = dump_database(partial)
            if Path(settings.MEDIA_ROOT).is_dir():
                shutil.copytree(settings.MEDIA_ROOT, partial / "media")
            os.replace(partial, folder)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"{folder}: letters.json and {dump.name}."))
