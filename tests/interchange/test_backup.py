"""`make backup` keeps everything, and what it keeps restores into an empty database."""

import sqlite3
import subprocess

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from interchange.management.commands.backup import postgres_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]
TABLES = [
    "archive_letter",
    "archive_recipient",
    "archive_requestedaction",
    "claims_claim",
    "claims_response",
    "claims_historicalclaim",
    "claims_verificationstatus",
    "auth_group_permissions",
]


def row_counts(execute):
    return {table: execute(f"SELECT count(*) FROM {table}") for table in TABLES}


def live_counts():
    def count(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    return row_counts(count)


def restored_counts(folder):
    """Restore the dump into a new, empty database, as docs/deployment.md says, and count its rows."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(folder / "database.sqlite3") as restored:
            return row_counts(lambda sql: restored.execute(sql).fetchone()[0])
    settings = connection.settings_dict
    empty = {**settings, "NAME": settings["NAME"] + "_restored"}
    with psycopg.connect(
        postgres_url({**settings, "NAME": "postgres"}), autocommit=True
    ) as maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{empty["NAME"]}"')
        maintenance.execute(f'CREATE DATABASE "{empty["NAME"]}"')
        try:
            subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    "-d",
                    postgres_url(empty),
                    str(folder / "database.dump"),
                ],
                check=True,
                capture_output=True,
            )
            with psycopg.connect(postgres_url(empty)) as restored:
                return row_counts(lambda sql: restored.execute(sql).fetchone()[0])
        finally:
            maintenance.execute(f'DROP DATABASE IF EXISTS "{empty["NAME"]}"')


def test_a_backup_restores_into_an_empty_database_with_its_history(tmp_path, shipped_letters):
    call_command("backup", "--to", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    assert folder.name.startswith("missive-")
    assert (
        folder / "letters.json"
    ).stat().st_size > 10_000  # the round-trip export, tested in test_export_letters
    counts = live_counts()
    assert counts["claims_claim"] == 41 and counts["claims_historicalclaim"] >= 41
    assert restored_counts(folder) == counts


def test_a_backup_that_cannot_be_written_leaves_nothing_behind(tmp_path, shipped_letters):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(CommandError, match="cannot create the backup there"):
        call_command("backup", "--to", str(blocked))
    assert blocked.read_text() == "not a folder"


def test_a_backup_keeps_the_sources_original_files(tmp_path, settings, shipped_letters):
    from django.core.files.base import ContentFile

    from archive.models import Source

    settings.MEDIA_ROOT = tmp_path / "media"
    source = Source.objects.first()
    source.original.save("report.html", ContentFile(b"<html>the page</html>"))
    backups = tmp_path / "backups"

    call_command("backup", "--to", str(backups))

    (folder,) = backups.iterdir()
    assert (folder / "media" / source.original.name).read_bytes() == b"<html>the page</html>"
