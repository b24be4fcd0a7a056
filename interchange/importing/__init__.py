"""Importing letters: the Missive JSON format (docs/import-format.md) or CMIF.

Three steps, so that bad input never half-writes: read (read.py), check every part of
the document and collect every error with its location (check.py), and only then write,
in one transaction (write.py). A file too large to hold whole (a backup) is read a letter
at a time (stream.py) and each batch of letters is written as soon as it is checked, still
in one transaction: the first error stops the writing, the check goes on to report every
error, and the transaction is rolled back, so again nothing is written.
"""

import os
import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from interchange.cmif.read import cmif_document, looks_like_xml
from interchange.format import MAX_ERRORS, ImportFailed, ImportReport

from .check import check, check_head, check_letter_in_file
from .checker import Checker
from .read import in_stored_form, parse, read_bytes
from .stream import read_streamed
from .write import LETTER_BATCH, Writer

# Files larger than this are read a letter at a time; a smaller one is parsed whole.
STREAM_ABOVE_BYTES = 16_000_000

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
    # The reason is public (the change record, the feed): the file's name, never where it lay.
    reason = f"Imported from {PurePath(str(getattr(path, 'name', path))).name}"
    if streamed(path):
        return import_stream(path, reason, skip_invalid, progress)
    raw = read_bytes(path)
    if looks_like_xml(raw):
        document, unmapped = cmif_document(raw, str(path))
        if document.pop("already_here") and not document["letters"]:
            report = ImportReport()  # every letter it lists is this archive's own: nothing to do
        else:
            report = import_document(document, reason, skip_invalid, progress)
        report.unmapped = unmapped
        return report
    return import_document(parse(raw, str(path)), reason, skip_invalid, progress)


def streamed(path):
    """Whether the file is a JSON file large enough to be read a letter at a time."""
    try:
        size = os.path.getsize(path)
        # Over the import limit, read_bytes refuses it as it refuses any file.
        if not STREAM_ABOVE_BYTES < size <= settings.MISSIVE_IMPORT_MAX_MB * 1_000_000:
            return False
        with open(path, "rb") as handle:
            return not looks_like_xml(handle.read(1024))
    except (OSError, TypeError, ValueError):
        return False  # read_bytes says what is wrong with it


def import_stream(path, reason, skip_invalid=False, progress=None):
    """import_document for a file read a letter at a time: the same checks and the same writes,
    each batch of letters written once checked, in one transaction."""
    with open(path, "rb") as handle:
        head, letters = read_streamed(handle, str(path))
        checker = Checker()
        try:
            plan, context = check_head(checker, in_stored_form(head))
        except Checker.TooMany:
            raise ImportFailed([*checker.errors, stopped()])
        if letters is None:  # "letters" is not a list: the checker says what it is instead
            letters = [item for _, item, _ in checker.items(head, "letters", "")]
        if checker.errors:
            # Read to the end first, as a whole file is: a file that is not JSON says so, and
            # one whose letters come before its vocabulary says that, not what it seems to lack.
            for _ in letters:
                pass
            raise ImportFailed(checker.errors)
        try:
            with transaction.atomic():
                report = write_streamed(
                    Writer(reason), plan, checker, context, letters, skip_invalid, progress
                )
        except (DatabaseError, ValidationError) as error:
            raise ImportFailed(
                [f"$: the database refused the import, nothing was written ({error})"]
            )
    return report


def write_streamed(writer, plan, checker, context, letters, skip_invalid, progress):
    writer.write_head(plan)
    refused, batch, count, written = [], [], 0, 0
    bar = progress(None, "Importing") if progress else None
    try:
        for index, item in enumerate(letters):
            count += 1
            if bar is not None:
                bar.update()
            item, path, known = in_stored_form(item), f"letters[{index}]", len(checker.errors)
            try:
                letter = check_letter_in_file(checker, item, path, context)
            except Checker.TooMany:
                if not skip_invalid:
                    raise ImportFailed([*checker.errors, stopped()])
                letter = None
            if skip_invalid and len(checker.errors) > known:
                refused.append((describe_letter(item, index), checker.errors[known:]))
                del checker.errors[known:]
                continue
            if checker.errors:
                continue  # no more writing, once a letter is wrong: the check goes on to the end
            batch.append(letter)
            if len(batch) == LETTER_BATCH:
                writer.write_letters(batch)
                written, batch = written + len(batch), []
    finally:
        if bar is not None:
            bar.close()
    if not count and not (plan.statuses or plan.actors or plan.sources):
        checker.error("letters", "the list is empty; nothing to import")
    if checker.errors:
        raise ImportFailed(checker.errors)
    if refused and not written + len(batch):  # no letter left: refused, as a whole
        errors = [error for _, errors in refused for error in errors]
        raise ImportFailed(
            errors if len(errors) < MAX_ERRORS else [*errors[:MAX_ERRORS], stopped()]
        )
    writer.write_letters(batch)
    report = writer.finish()
    report.refused = refused
    return report


def stopped():
    return f"$: stopped after {MAX_ERRORS} errors; correct these and import again"
