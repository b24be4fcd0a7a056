"""Importing letters: the Missive JSON format (docs/import-format.md) or CMIF.

Three steps, so that bad input never half-writes: read (read.py), check every part of
the document and collect every error with its location (check.py), and only then write,
in one transaction (write.py).
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from interchange.cmif.read import cmif_document, looks_like_xml
from interchange.format import ImportFailed, ImportReport

from .check import check
from .read import parse, read_bytes
from .write import Writer


def import_document(document, reason="Imported"):
    """Check, then write in one transaction. Raises ImportFailed; returns an ImportReport."""
    plan = check(document)
    try:
        with transaction.atomic():
            return Writer(reason).write(plan)
    except (DatabaseError, ValidationError) as error:
        raise ImportFailed([f"$: the database refused the import, nothing was written ({error})"])


def import_file(path):
    """Import a file in the Missive format or, if it is XML, in CMIF (letters and correspondents only)."""
    raw = read_bytes(path)
    # The reason is public (the change record, the feed): the file's name, never where it lay.
    reason = f"Imported from {PurePath(str(getattr(path, 'name', path))).name}"
    if looks_like_xml(raw):
        document, unmapped = cmif_document(raw, str(path))
        if document.pop("already_here") and not document["letters"]:
            report = ImportReport()  # every letter it lists is this archive's own: nothing to do
        else:
            report = import_document(document, reason=reason)
        report.unmapped = unmapped
        return report
    return import_document(parse(raw, str(path)), reason=reason)
