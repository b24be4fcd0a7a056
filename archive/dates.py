"""Letter dates in EDTF (Library of Congress Extended Date/Time Format).

The `edtf` package parses and validates; its bounds come back as `struct_time`,
turned here into the `date`s the database sorts and filters on.
"""
import datetime

from django.core.exceptions import ValidationError
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException


def edtf_bounds(value):
    """(earliest, latest) possible day of an EDTF string, or ValidationError."""
    value = (value or "").strip()
    if not value:
        raise ValidationError("Give a date in EDTF, e.g. 2026-01-04, 2026-02-11? or 2026-02.")
    try:
        parsed = parse_edtf(value)
        earliest = struct_time_to_date(parsed.lower_strict())
        latest = struct_time_to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, OverflowError, TypeError, AttributeError):
        raise ValidationError(
            "“%(value)s” is not a date in EDTF. Examples: 2026-01-04 (a day), "
            "2026-02-11? (uncertain), 2026-02 (a month), 1947/1948 (an interval).",
            params={"value": value},
            code="invalid_edtf",
        )
    if not isinstance(earliest, datetime.date) or not isinstance(latest, datetime.date):
        raise ValidationError(
            "“%(value)s” has no bounded earliest and latest day; give a closed date or interval.",
            params={"value": value},
            code="unbounded_edtf",
        )
    if earliest > latest:
        raise ValidationError(
            "“%(value)s” ends before it begins.", params={"value": value}, code="reversed_edtf"
        )
    return earliest, latest


def validate_edtf(value):
    edtf_bounds(value)
