"""The checker's tools: errors collected with their locations, types, lengths from the models."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from interchange.format import MAX_ERRORS

# The longest text a field of a letters file may hold: a statement, a summary, a note.
MAX_TEXT = 20_000
# A source's text, a whole report or transcript, may be longer.
MAX_SOURCE_TEXT = 2_000_000


class Checker:
    """Walks the document, collecting errors with their paths instead of stopping."""

    TYPE_NAMES = {
        str: "a string",
        list: "a list",
        dict: "an object",
        bool: "true or false",
        int: "a whole number",
    }

    class TooMany(Exception):
        pass

    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{path or '$'}: {message}")
        if len(self.errors) >= MAX_ERRORS:
            raise Checker.TooMany

    def object(self, value, path, required=(), optional=()):
        """value as a dict with only the known keys, or None (error recorded)."""
        if not isinstance(value, dict):
            self.error(path, f"expected an object, got {describe(value)}")
            return None
        for key in value.keys() - set(required) - set(optional):
            self.error(
                at(path, key), "unknown field (check its spelling against the import format)"
            )
        for key in required:
            if key not in value:
                self.error(at(path, key), "missing")
            elif value[key] is None:
                self.error(at(path, key), "is null; a value is required")
        return value

    def value(self, obj, key, path, kind, required=True, default=None, limit=MAX_TEXT):
        """obj[key] if present and of the right type; errors for wrong types, empty strings and
        text longer than `limit` characters (a statement, a note: no field takes a book)."""
        if obj is None or key not in obj or obj[key] is None:
            return default
        value = obj[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            self.error(at(path, key), f"expected {self.TYPE_NAMES[kind]}, got {describe(value)}")
            return default
        if kind is str and required and not value.strip():
            self.error(at(path, key), "must not be empty")
            return default
        if kind is str and len(value) > limit:
            self.error(at(path, key), f"longer than {limit:,} characters ({len(value):,})")
            return default
        return value

    def items(self, obj, key, path):
        """The list under key, as (index, item, item_path); empty when absent or wrong."""
        values = self.value(obj, key, path, list, default=[])
        return [(index, item, f"{at(path, key)}[{index}]") for index, item in enumerate(values)]

    def choice(self, obj, key, path, choices, default=None):
        value = self.value(obj, key, path, str, default=None)
        if value is None:
            return default
        if value not in choices:
            allowed = ", ".join(f"'{choice}'" for choice in choices)
            self.error(at(path, key), f"unknown value '{value}'; expected one of {allowed}")
            return default
        return value

    def slug(self, obj, key, path, model):
        """obj[key] as a slug that fits the `model` field of that name."""
        value = self.value(obj, key, path, str)
        if value is not None:
            try:
                validate_slug(value)
            except ValidationError:
                self.error(
                    at(path, key),
                    f"'{value}' is not a slug (letters, digits, hyphens, underscores)",
                )
                return None
            if len(value) > (maximum := max_length(model, key)):
                self.error(at(path, key), f"longer than {maximum} characters")
                return None
        return value

    def length(self, obj, key, path, model, required=False):
        """obj[key] as text that fits the `model` field of that name, cut to fit (error recorded)."""
        maximum = max_length(model, key)
        value = self.value(obj, key, path, str, required=required, default="")
        if len(value) > maximum:
            self.error(at(path, key), f"longer than {maximum} characters ({len(value)})")
            return value[:maximum]
        return value

    def iso_date(self, obj, key, path):
        value = self.value(obj, key, path, str, required=False)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.error(at(path, key), f"'{value}' is not a date in YYYY-MM-DD form")
            return None


def max_length(model, field):
    """The longest text the model's field holds: every length the import checks comes from the models."""
    return model._meta.get_field(field).max_length


def at(path, key):
    """The location of key inside path, as in letters[1].claims[4].status."""
    return f"{path}.{key}" if path else key


def describe(value):
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def check_position(checker, obj, path, index, taken=None):
    """An explicit `position` (from 1; unique in the letter when `taken` is given) or the item's place in its list."""
    position = checker.value(obj, "position", path, int, default=index + 1)
    if not 1 <= position <= 32767:
        checker.error(f"{path}.position", "expected a whole number from 1 to 32767")
    elif taken is not None:
        if position in taken:
            checker.error(
                f"{path}.position", f"position {position} is already taken in this letter"
            )
        taken.add(position)
    return position


def check_datetime(checker, obj, key, path):
    """An ISO 8601 date and time with its offset (2026-02-11T09:30:00+00:00), or None."""
    value = checker.value(obj, key, path, str, required=False)
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        checker.error(
            at(path, key), f"'{value}' is not a date and time like 2026-02-11T09:30:00+00:00"
        )
        return None
    if moment.tzinfo is None:
        checker.error(at(path, key), f"'{value}' has no time zone offset; add one, e.g. +00:00")
        return None
    return moment
