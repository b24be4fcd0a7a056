"""Step 1 of an import: the file must be non-empty, valid UTF-8 JSON."""

import json

from django.conf import settings

from interchange.format import ImportFailed


def read_bytes(path):
    limit = settings.MISSIVE_IMPORT_MAX_MB * 1_000_000
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)  # never more than the limit in memory
    except OSError as error:
        raise ImportFailed([f"{path}: cannot be read ({error.strerror or error})"])
    if len(raw) > limit:
        raise ImportFailed(
            [
                f"{path}: larger than the import limit of {settings.MISSIVE_IMPORT_MAX_MB} MB; split it into "
                "several files or raise MISSIVE_IMPORT_MAX_MB"
            ]
        )
    return raw


def read_file(path):
    """The parsed JSON document at path, or ImportFailed saying why it cannot be read."""
    return parse(read_bytes(path), str(path))


def parse(raw, name="input"):
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise ImportFailed([f"{name}: not UTF-8 text (byte {error.start} is invalid)"])
    if not text.strip():
        raise ImportFailed([f'{name}: the file is empty; expected a JSON object with "letters"'])
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            [f"{name}: not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"]
        )


# --- checking -----------------------------------------------------------------------
