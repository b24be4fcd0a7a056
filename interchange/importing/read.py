"""Step 1 of an import: the file must be non-empty, valid UTF-8 JSON."""

import json
import math
import re

from django.conf import settings

from archive.anchoring import normalised
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
    if problem := shape_problem(text):
        raise ImportFailed([f"{name}: {problem}"])
    try:
        return json.loads(
            text, object_pairs_hook=keys_once, parse_constant=no_constant, parse_float=finite
        )
    except json.JSONDecodeError as error:
        raise ImportFailed(
            [f"{name}: not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"]
        )
    except KeyGivenTwice as error:
        raise ImportFailed(
            [f'{name}: the key "{error}" is given twice in one object; give it once']
        )
    except NotANumber as error:
        raise ImportFailed([f"{name}: not valid JSON: {error} is not a number JSON allows"])


def in_stored_form(value):
    """Every string in value as the archive keeps text (archive.anchoring.normalised): a quote
    and its source's text then compare as the archive will compare them once written."""
    if isinstance(value, str):
        return normalised(value)
    if isinstance(value, list):
        return [in_stored_form(item) for item in value]
    if isinstance(value, dict):
        return {key: in_stored_form(item) for key, item in value.items()}
    return value


# What json.loads would choke on (a RecursionError, a ValueError) or read as what no text can
# hold (half a surrogate pair), found before it runs, with its place in the file. One regular
# expression walks the text: strings whole, brackets, and runs of digits too long for a number.
MAX_DEPTH = 100  # a letters file nests about six levels
MAX_DIGITS = 100  # the longest number a letters file holds has four digits
TOKENS = re.compile(rf'"(?:[^"\\]|\\.)*"|[\[\]{{}}]|[0-9]{{{MAX_DIGITS + 1},}}')
ESCAPES = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)")
# The same checks at the regular expression engine's speed, for the files that pass them.
STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
LONG_NUMBER = re.compile(rf"[0-9]{{{MAX_DIGITS + 1},}}")
NOT_BRACKET = re.compile(r"[^\[\]{}]+")
INNERMOST_PAIR = re.compile(r"\[\]|\{\}")


def shape_problem(text, where=None):
    """Why the JSON text cannot be a letters file although it may parse, or None.

    Walking every token in Python took a second for a 13 MB file, so most files, which pass,
    are passed by regular expressions alone: no surrogate escape anywhere, and once the
    strings are gone, no long number and brackets that close within MAX_DEPTH levels. Only a
    file that fails one of these is walked, to say where its problem lies.
    """
    if not SURROGATE_ESCAPE.search(text):
        structure = STRINGS.sub("", text)
        if not LONG_NUMBER.search(structure) and nests_within(MAX_DEPTH, structure):
            return None
    return first_problem(text, where or line_and_column(text))


def nests_within(levels, structure):
    """Whether the brackets of `structure` (no strings in it) all close within `levels` levels:
    each pass removes the innermost pairs, so a file nested n deep is empty after n passes."""
    brackets = NOT_BRACKET.sub("", structure)
    for _ in range(levels):
        if not brackets:
            return True
        brackets = INNERMOST_PAIR.sub("", brackets)
    return not brackets


def first_problem(text, where):
    depth = 0
    for token in TOKENS.finditer(text):
        first = token.group()[0]
        if first == '"':
            if "\\u" in token.group() and (problem := surrogate_problem(token, where)):
                return problem
        elif first in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return f"nested too deeply to be a letters file (more than {MAX_DEPTH} levels)"
        elif first in "]}":
            depth -= 1
        else:
            digits = len(token.group())
            return invalid(where(token.start()), f"a number of {digits} digits")
    return None


def surrogate_problem(string, where):
    """A \ud800–\udfff escape in the string token that is not half of a high-low pair, or None."""
    high = None  # a high half, waiting for its low half right after it
    for escape in ESCAPES.finditer(string.group()):
        code = int(escape.group(1), 16) if escape.group(1) else 0
        is_low = 0xDC00 <= code < 0xE000
        if high is not None:
            if not (is_low and escape.start() == high.end()):
                break
            high = None
        elif 0xD800 <= code < 0xDC00:
            high = escape
        elif is_low:
            high = escape  # a low half with no high half before it
            break
    if high is None:
        return None
    return invalid(
        where(string.start() + high.start()),
        f"\\u{high.group(1)} is half of a UTF-16 surrogate pair, which no text can hold",
    )


def line_and_column(text):
    """Where a position of `text` lies, as (line, column), both counted from 1."""

    def where(position):
        line = text.count("\n", 0, position) + 1
        return line, position - (text.rfind("\n", 0, position) + 1) + 1

    return where


def invalid(place, message):
    return f"not valid JSON: line {place[0]}, column {place[1]}: {message}"


class KeyGivenTwice(ValueError):
    pass


def keys_once(pairs):
    """An object as a dict, refusing a key given twice (json.loads would keep the last silently)."""
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise KeyGivenTwice(key)
        seen[key] = value
    return seen


class NotANumber(ValueError):
    pass


def no_constant(name):
    """Python reads NaN, Infinity and -Infinity; JSON has no such numbers."""
    raise NotANumber(name)


def finite(literal):
    """A float, unless it is too large for one (1e999 would read as infinity)."""
    value = float(literal)
    if math.isinf(value):
        raise NotANumber(literal)
    return value
