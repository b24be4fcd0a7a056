"""Importing letters: the Missive JSON format (docs/import-format.md) or CMIF.

Three steps, so that bad input never half-writes: read (read.py), check every part of
the document and collect every error with its location (check.py), and only then write,
in one transaction (write.py).
"""

import re
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from interchange.cmif.read import cmif_document, looks_like_xml
from interchange.format import ImportFailed, ImportReport

from .check import check
from .read import in_stored_form, parse, read_bytes
from .write import Writer

LETTER_PLACE = re.compile(r"^letters\[(\d+)\]")


def import_document(document, reason="Imported", skip_invalid=False, progress=None):
    """Check, then write in one transaction. Raises ImportFailed; returns an ImportReport.

    All or nothing, unless `skip_invalid`: then letters with errors are left out, each
    reported with its errors, and the rest is imported, still in one transaction. An error
    outside every letter (an actor, a source, the file itself) still refuses the whole file.
    `progress(total, stage)` makes a progress bar told of each letter checked, then written
    (core.progress).
    """
    document = in_stored_form(document)
    letters = document.get("letters") if isinstance(document, dict) else None
    places = list(range(len(letters))) if isinstance(letters, list) else []  # in the file
    refused = []
    while True:
        try:
            plan = check(document, progress)
            break
        except ImportFailed as failure:
            in_letters = letter_errors(failure.errors) if skip_invalid else None
            if not in_letters or len(in_letters) == len(document["letters"]):
                raise  # all or nothing; or an error outside every letter; or no letter left
            for index, errors in sorted(in_letters.items()):
                # Errors name the letter's place in the file, not in what is left of it.
                in_file = [LETTER_PLACE.sub(f"letters[{places[index]}]", error) for error in errors]
                refused.append(
                    (describe_letter(document["letters"][index], places[index]), in_file)
                )
            document = {
                **document,
                "letters": [
                    letter
                    for index, letter in enumerate(document["letters"])
                    if index not in in_letters
                ],
            }
            places = [place for index, place in enumerate(places) if index not in in_letters]
    try:
        with transaction.atomic():
            report = Writer(reason, progress).write(plan)
    except (DatabaseError, ValidationError) as error:
        raise ImportFailed([f"$: the database refused the import, nothing was written ({error})"])
    report.refused = refused
    return report


def letter_errors(errors):
    """{letter index: [its errors]}, or None when an error lies outside every letter."""
    by_letter = {}
    for error in errors:
        place = LETTER_PLACE.match(error)
        if place is None:
            return None
        by_letter.setdefault(int(place.group(1)), []).append(error)
    return by_letter


def describe_letter(letter, place):
    if isinstance(letter, dict) and isinstance(letter.get("title"), str):
        return f"letters[{place}] “{letter['title']}”"
    return f"letters[{place}]"


def import_file(path, skip_invalid=False, progress=None):
    """Import a file in the Missive format or, if it is XML, in CMIF (letters and correspondents only)."""
    raw = read_bytes(path)
    # The reason is public (the change record, the feed): the file's name, never where it lay.
    reason = f"Imported from {PurePath(str(getattr(path, 'name', path))).name}"
    if looks_like_xml(raw):
        document, unmapped = cmif_document(raw, str(path))
        if document.pop("already_here") and not document["letters"]:
            report = ImportReport()  # every letter it lists is this archive's own: nothing to do
        else:
            report = import_document(document, reason, skip_invalid, progress)
        report.unmapped = unmapped
        return report
    return import_document(parse(raw, str(path)), reason, skip_invalid, progress)
