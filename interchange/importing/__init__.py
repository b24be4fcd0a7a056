"""Importing letters: the Missive JSON format (docs/import-format.md) or CMIF.

Three steps, so that bad input never half-writes: read (read.py; a file too large to hold
whole, a backup, a letter at a time: stream.py), check every part with every error at its
location (check.py), and write (write.py), all in one transaction. The head of the file
(format, statuses, actors, sources) is checked and written first; then each batch of letters
is written as soon as it is checked. Once a letter is found wrong nothing more is written,
the check goes on to report every error, and the transaction is rolled back: nothing is
written unless all is right.
"""

import os
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from interchange.cmif.read import cmif_document, looks_like_xml
from interchange.format import MAX_ERRORS, ImportFailed, ImportReport

from .check import check_head, check_letter_in_file
from .checker import Checker
from .read import in_stored_form, parse, read_bytes
from .stream import read_streamed
from .write import LETTER_BATCH, Writer

# Files larger than this are read a letter at a time; a smaller one is parsed whole.
STREAM_ABOVE_BYTES = 16_000_000


def import_document(document, reason="Imported", skip_invalid=False, progress=None):
    """Check and write, in one transaction. Raises ImportFailed; returns an ImportReport.

    All or nothing, unless `skip_invalid`: then letters with errors are left out, each
    reported with its errors, and the rest is imported, still in one transaction. An error
    outside every letter (an actor, a source, the file itself) still refuses the whole file.
    `progress(total, stage)` makes a progress bar told of each letter imported (core.progress).
    """
    letters = document.get("letters") if isinstance(document, dict) else None
    if not isinstance(letters, list):  # the check says what the document is instead
        return import_letters(document, None, reason, skip_invalid, progress)
    head = {**document, "letters": ()}  # the letters are checked one by one, not with the head
    return import_letters(head, letters, reason, skip_invalid, progress, total=len(letters))


def import_letters(head, letters, reason, skip_invalid=False, progress=None, total=None):
    """Check the head (format, statuses, actors, sources), then each of `letters` (an iterable,
    or None when "letters" is not a list), writing each batch of valid letters as it is checked,
    in one transaction; once anything is wrong nothing more is written, every error is found,
    and the transaction is rolled back."""
    checker = Checker()
    try:
        plan, context = check_head(checker, in_stored_form(head))
        if letters is None:  # "letters" is not a list: the checker says what it is instead
            letters = [item for _, item, _ in checker.items(head, "letters", "")]
    except Checker.TooMany:
        raise ImportFailed([*checker.errors, stopped()])
    checked = Letters(letters, context, checker, skip_invalid, progress, total)
    # A file of statuses, actors or sources alone is an import; a file of nothing is not.
    vocabulary = any(head.get(key) for key in ("statuses", "actors", "sources"))
    try:
        with transaction.atomic():
            writer = Writer(reason)
            if not checker.errors:
                writer.write_head(plan)
            for batch in checked.batches():
                writer.write_letters(batch)
            if not checked.count and not vocabulary:
                checker.error("letters", "the list is empty; nothing to import")
            if checker.errors:
                raise ImportFailed(checker.errors)
            if checked.refused and not checked.written:  # no letter left: refused, as a whole
                errors = [error for _, errors in checked.refused for error in errors]
                if len(errors) >= MAX_ERRORS:
                    errors = [*errors[:MAX_ERRORS], stopped()]
                raise ImportFailed(errors)
            report = writer.finish()
    except (DatabaseError, ValidationError) as error:
        raise ImportFailed([f"$: the database refused the import, nothing was written ({error})"])
    report.refused = checked.refused
    return report


class Letters:
    """The file's letters, each checked as it comes, in batches fit to write.

    With `skip_invalid`, a letter with errors is set aside in `refused` with its errors; without,
    or once the head is wrong, the first error stops the batches and the check goes on to the
    last letter, so every error is reported.
    """

    def __init__(self, letters, context, checker, skip_invalid, progress, total):
        self.letters, self.context, self.checker = letters, context, checker
        self.skip_invalid = skip_invalid and not checker.errors  # an error outside every letter
        self.progress, self.total = progress, total
        self.refused, self.count, self.written = [], 0, 0

    def batches(self):
        batch = []
        bar = self.progress(self.total, "Importing") if self.progress else None
        try:
            for index, item in enumerate(self.letters):
                self.count += 1
                if bar is not None:
                    bar.update()
                if (letter := self.check(index, in_stored_form(item))) is None:
                    continue
                batch.append(letter)
                if len(batch) == LETTER_BATCH:
                    yield batch
                    self.written, batch = self.written + len(batch), []
        finally:
            if bar is not None:
                bar.close()
        if batch and not self.checker.errors:
            yield batch
            self.written += len(batch)

    def check(self, index, item):
        """The letter checked, or None: refused, or not to be written after an error."""
        checker, known = self.checker, len(self.checker.errors)
        try:
            letter = check_letter_in_file(checker, item, f"letters[{index}]", self.context)
        except Checker.TooMany:
            if not self.skip_invalid:
                raise ImportFailed([*checker.errors, stopped()])
            letter = None
        if self.skip_invalid and len(checker.errors) > known:
            self.refused.append((describe_letter(item, index), checker.errors[known:]))
            del checker.errors[known:]
            return None
        return None if checker.errors else letter


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
    """import_document for a file read a letter at a time."""
    with open(path, "rb") as handle:
        head, letters = read_streamed(handle, str(path))
        return import_letters(head, letters, reason, skip_invalid, progress)


def stopped():
    return f"$: stopped after {MAX_ERRORS} errors; correct these and import again"
