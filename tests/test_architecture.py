"""The layers hold (docs/architecture.md): imports go one way, and migrations stand alone."""

import ast
import pathlib
import subprocess
import sys

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import page_cache
from core.models import Revision

ROOT = pathlib.Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(ROOT.glob("*/migrations/[0-9]*.py"))
# What a migration may import besides Django, the standard library and the libraries it runs on:
# its frozen helpers, and the validators Django writes into a field's definition.
MIGRATION_MAY_IMPORT = {
    "archive.migrations._frozen",
    "archive.migrations",
    "archive.dates",
    "archive.languages",
}
APPLICATION_PACKAGES = {"config", "core", "history", "archive", "claims", "interchange"}


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: f"{path.parent.parent.name}/{path.stem}"
)
def test_a_migration_imports_no_application_code_that_may_change_after_it(path):
    own = {
        module
        for module in imported_modules(path)
        if module.split(".")[0] in APPLICATION_PACKAGES and module not in MIGRATION_MAY_IMPORT
    }
    assert not own, f"{path.name} imports {sorted(own)}: copy what it needs into the migration"


def test_the_import_contracts_in_pyproject_are_kept():
    """`lint-imports`: the layers (config > interchange > claims > archive > history > core), no cycles."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


# The last migrations before the layers moved (the revision row belonged to `archive` then).
BEFORE_THE_MOVE = [
    ("archive", "0008_unknown_date_parts"),
    ("claims", "0011_status_basis_guards"),
    ("core", None),
]


def test_a_database_made_before_the_layers_moved_migrates_and_keeps_its_revision(transactional_db):
    try:
        old = migrate(BEFORE_THE_MOVE)
        assert not MigrationExecutor(connection).loader.applied_migrations.keys() & {
            ("core", "0001_revision_moved_from_archive"),
            ("archive", "0009_revision_moves_to_core"),
        }
        old.get_model("archive", "Revision").objects.update_or_create(pk=1, defaults={"number": 41})

        migrate(latest())

        assert Revision._meta.db_table == "archive_revision"
        assert Revision.objects.get(pk=1).number == 41
        page_cache.bump()
        assert Revision.objects.get(pk=1).number == 42
    finally:
        migrate(latest())  # leave the schema as the other tests expect it, whatever happened
