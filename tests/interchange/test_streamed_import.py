"""A file too large to hold whole is read a letter at a time: the same archive as a whole-file
import, the same errors at the same lines and columns, and still nothing written when any
letter is wrong.

Every test reads the file in chunks of a few characters, so that values, strings, numbers
and escapes are cut at chunk boundaries as a large file's are.
"""

import io
import json

import pytest
from django.db import transaction

from archive.models import Letter
from claims.models import Claim
from interchange import importing
from interchange.archive_export import write_archive
from interchange.importing import ImportFailed, import_file
from interchange.importing import stream as streaming
from interchange.synthetic import seed
from tests.interchange.test_importer import claim, letter, row_counts, valid_document, write

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[7, 64, 4096], ids=lambda size: f"chunks of {size}")
def streamed(request, monkeypatch):
    """import_file reading every file a letter at a time, in chunks of the given size."""
    monkeypatch.setattr(streaming, "CHUNK", request.param)
    monkeypatch.setattr(importing, "STREAM_ABOVE_BYTES", 0)


def whole(monkeypatch):
    monkeypatch.setattr(importing, "STREAM_ABOVE_BYTES", 10**12)


def outcome(path, **options):
    """The import's summary and refusals, or its errors; and the rows it left."""
    before = row_counts()
    try:
        report = import_file(path, **options)
        result = (report.summary(), report.refused)
    except ImportFailed as failure:
        assert row_counts() == before  # all or nothing
        result = failure.errors
    return result, row_counts()


def exported():
    out = io.StringIO()
    write_archive(out)
    return json.loads(out.getvalue())


def test_a_backup_read_a_letter_at_a_time_restores_the_same_archive(tmp_path, streamed):
    seed(12, 60, seed=3)
    backup = exported()
    path = write(tmp_path, json.dumps(backup, indent=2).encode())
    for model in (Claim, Letter):
        model.objects.all().delete()

    report = import_file(path)

    assert report.created["letters"] == 12 and report.created["claims"] == 60
    assert exported()["letters"] == backup["letters"]
    assert import_file(path).summary().startswith("created nothing; updated nothing")


def broken(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


VALID = json.dumps(valid_document(), indent=1)
SECOND_LETTER = json.dumps(
    {**valid_document(), "letters": [letter(), letter("second", claims=[claim(kind="guess")])]},
    indent=1,
)
BAD_FILES = {
    "a key twice in a letter": broken(VALID, '"title"', '"date": "2026-01-04", "title"'),
    "a key twice at the top": broken(VALID, '"version": 1', '"version": 1, "version": 1'),
    "not a number JSON allows": broken(VALID, '"version": 1', '"version": NaN'),
    "a number too large": broken(VALID, '"version": 1', '"version": 1e999'),
    "a number too long": broken(VALID, '"version": 1', '"version": ' + "9" * 5000),
    "a long number in a letter": broken(VALID, '"role": "to"', '"role": ' + "9" * 200),
    "half a surrogate pair": broken(VALID, "Letter about", "Letter \\ud800 about"),
    "nested too deeply": broken(VALID, '"role": "to"', '"role": ' + "[" * 150 + "]" * 150),
    "a letter cut short": VALID[:-40],
    "a missing comma": broken(VALID, '"title": "Letter about the bridge",', '"title": "x"'),
    "a trailing comma": broken(VALID, '"claims": [', '"claims": [{},'),
    "data after the object": VALID + " []",
    "not UTF-8": broken(VALID, "Letter about", "Letter \udcff about"),
    "an error in the second letter": SECOND_LETTER,
    "letters not a list": broken(VALID, '"letters": [', '"letters": 5, "x": ['),
    # The head's lists (actors, sources) are read an item at a time too.
    "a key twice in a source": broken(VALID, '"title": "A report"', '"title": "A", "title": "B"'),
    "a missing comma between actors": broken(
        VALID, '"kind": "office"\n  }', '"kind": "office"\n  } {}'
    ),
    "a trailing comma in the sources": broken(VALID, '"sources": [', '"sources": [{},'),
    "nested too deeply in a source": broken(
        VALID, '"title": "A report"', '"title": ' + "[" * 150 + "]" * 150
    ),
    "half a surrogate pair in an actor": broken(VALID, "The Ministry", "The \\udc00 Ministry"),
    "sources cut short": VALID[: VALID.index('"letters"') - 30],
    "an empty list of actors": broken(VALID, '"actors": [', '"actors": [], "x": ['),
    "actors not a list": broken(VALID, '"actors": [', '"actors": {"a": ['),
    "no letters": '{"format": "missive-letters", "version": 1}',
    "no letters at all": '{"format": "missive-letters", "version": 1, "letters": []}',
}


@pytest.mark.parametrize("text", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_gets_the_errors_a_whole_file_read_gives(tmp_path, monkeypatch, text, streamed):
    path = write(tmp_path, text.encode("utf-8", "surrogateescape"))

    read_in_pieces = outcome(path)
    whole(monkeypatch)

    assert read_in_pieces == outcome(path)
    assert isinstance(read_in_pieces[0], list), "the file was accepted"


def test_a_wrong_letter_after_a_written_batch_still_leaves_nothing_written(
    tmp_path, monkeypatch, streamed
):
    monkeypatch.setattr(importing, "LETTER_BATCH", 1)  # the first letter is written at once
    path = write(tmp_path, SECOND_LETTER.encode())

    errors, rows = outcome(path)

    assert errors == [
        "letters[1].claims[0].kind: unknown value 'guess'; expected one of "
        + ", ".join(f"'{kind}'" for kind in Claim.Kind.values)
    ]
    assert rows["Letter"] == 0


ONLY_WRONG_LETTERS = json.dumps(
    {
        **valid_document(),
        "letters": [letter(f"l{n}", claims=[claim(kind="guess")]) for n in range(3)],
    }
)


@pytest.mark.parametrize(
    "text", [SECOND_LETTER, ONLY_WRONG_LETTERS], ids=["one wrong", "all wrong"]
)
def test_skipping_invalid_letters_imports_the_rest_as_a_whole_file_read_does(
    tmp_path, monkeypatch, text, streamed
):
    path = write(tmp_path, text.encode())

    with transaction.atomic():
        read_in_pieces = outcome(path, skip_invalid=True)
        transaction.set_rollback(True)  # the whole-file import starts from the same archive
    whole(monkeypatch)

    assert read_in_pieces == outcome(path, skip_invalid=True)
    assert read_in_pieces[1]["Letter"] == (1 if text == SECOND_LETTER else 0)


def test_letters_must_come_last_in_a_file_read_a_letter_at_a_time(tmp_path, streamed):
    document = valid_document()
    document = {"letters": document.pop("letters"), **document}
    path = write(tmp_path, json.dumps(document).encode())

    [error] = outcome(path)[0]

    assert error == (
        f'{path}: "letters" must be the last member of a file this large, as export_letters '
        "writes it: its letters are read one at a time, and what came after them could not be "
        "checked first"
    )
