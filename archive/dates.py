"""Letter dates in EDTF (Library of Congress Extended Date/Time Format).

The `edtf` package parses and validates; its bounds come back as `struct_time`,
turned here into the `date`s the database sorts and filters on. Its grammar is slow
to run on every row (30-40 ms a string), so plain calendar dates (2026, 2026-02,
2026-02-11: most letters) are read directly, the commonest qualified ones (2026-02-11?,
2026?-02-11) are built as the very objects the grammar would build, and every answer is
cached by its string.
"""

import calendar
import datetime
import functools
import re

from django.core.exceptions import ValidationError
from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import (
    UA,
    Date,
    PartialUncertainOrApproximate,
    UncertainOrApproximate,
)

PLAIN_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# Qualified as a whole (2026-02-11?: EDTF level 1), or in its year and so in nothing else
# (2026?-02-11: level 2's group qualification).
QUALIFIED_DATE = re.compile(r"((\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)([?~%])")
QUALIFIED_YEAR = re.compile(r"(\d{4})([?~%])(?:-(\d{2})(?:-(\d{2}))?)?")
# EDTF's unspecified year (XXXX-02-11): a month and day that a source states, in a year none does.
YEAR_UNKNOWN = re.compile(r"XXXX-(\d{2})(?:-(\d{2}))?")
# With no written basis for a year, the bounds are as wide as a date can be: every filter
# finds such a letter possible, and "newest first" puts it last, not first.
FIRST_YEAR, LAST_YEAR = 1, 9999


# Bounds reaching both of these are year_unknown_bounds': a year no source states.
NO_YEAR_BEFORE = datetime.date(5, 1, 1)
NO_YEAR_AFTER = datetime.date(9995, 12, 31)


def year_stated(earliest, latest):
    """Whether a letter's bounds come from a stated year, so that it has a place on a time axis."""
    return not (earliest < NO_YEAR_BEFORE and latest > NO_YEAR_AFTER)


def year_unknown(value):
    """(month, day or None) of an EDTF date whose year is unspecified (XXXX-02-11), or None."""
    match = YEAR_UNKNOWN.fullmatch(value)
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2)) if match.group(2) else None
    if not 1 <= month <= 12 or (
        day is not None and not 1 <= day <= calendar.monthrange(2000, month)[1]
    ):
        return None  # 2000 is a leap year: 29 February is a possible day
    return month, day


def year_unknown_bounds(month, day):
    first = FIRST_YEAR if day != 29 or month != 2 else 4  # the first and last leap years
    last = LAST_YEAR if day != 29 or month != 2 else 9996
    if day:
        return datetime.date(first, month, day), datetime.date(last, month, day)
    return datetime.date(first, month, 1), datetime.date(
        last, month, calendar.monthrange(last, month)[1]
    )


def plain_date(value):
    """(year, month or None, day or None) of an unqualified calendar date, or None for anything else.

    Months 13 and up are EDTF seasons and year 0000 has no calendar day: both go to the parser.
    """
    match = PLAIN_DATE.fullmatch(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    if year == 0 or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day


def parse(value):
    """The edtf library's object for an EDTF string, or EDTFParseException.

    A calendar date qualified as a whole or in its year is built directly, as the grammar's
    parse actions would build it (tests/archive/test_dates.py holds the two to the same
    objects); every other form goes through the grammar.
    """
    if (match := QUALIFIED_DATE.fullmatch(value)) and plain_date(match[1]):
        _, year, month, day, qualifier = match.groups()
        return UncertainOrApproximate(Date(year=year, month=month, day=day), UA(qualifier))
    if (match := QUALIFIED_YEAR.fullmatch(value)) and plain_date(
        "-".join(part for part in match.group(1, 3, 4) if part)
    ):
        year, qualifier, month, day = match.groups()
        return PartialUncertainOrApproximate(year=year, month=month, day=day, year_ua=UA(qualifier))
    return parse_edtf(value)


@functools.lru_cache(maxsize=16384)
def edtf_bounds(value):
    """(earliest, latest) possible day of an EDTF string, or ValidationError."""
    value = (value or "").strip()
    if not value:
        raise ValidationError("Give a date in EDTF, e.g. 2026-01-04, 2026?-02-11 or 2026-02.")
    if plain := plain_date(value):
        year, month, day = plain
        if day:
            return datetime.date(year, month, day), datetime.date(year, month, day)
        if month:
            return datetime.date(year, month, 1), datetime.date(
                year, month, calendar.monthrange(year, month)[1]
            )
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if unknown := year_unknown(value):
        return year_unknown_bounds(*unknown)
    try:
        parsed = parse(value)
        # Fuzzy: an uncertain or approximate part widens the bounds (2026?-02-11: 2025-02-11 to
        # 2027-02-11), so no filter, sort or export reads one day where the date is not known.
        earliest = struct_time_to_date(parsed.lower_fuzzy())
        latest = struct_time_to_date(parsed.upper_fuzzy())
    except (EDTFParseException, ValueError, OverflowError, TypeError, AttributeError):
        raise ValidationError(
            "“%(value)s” is not a date in EDTF. Examples: 2026-01-04 (a day), "
            "2026?-02-11 (year uncertain), 2026-02 (a month), 1947/1948 (an interval).",
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


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@functools.lru_cache(maxsize=16384)  # a list page shows many dates
def describe_edtf(value, inferred=False):
    """An EDTF date in words, saying how certain it is: "11 February, year inferred as 2026".

    Falls back to the EDTF string itself for forms too rare to phrase (sets, seasons,
    unspecified digits), so a reader always sees the date as the editors gave it.
    """
    if plain := plain_date((value or "").strip()):
        return _words(*plain) + (" (inferred)" if inferred else "")
    if unknown := year_unknown((value or "").strip()):
        month, day = unknown
        return (
            f"{day} {MONTHS[month - 1]}, year unknown"
            if day
            else f"{MONTHS[month - 1]}, year unknown"
        )
    try:
        parsed = parse((value or "").strip())
        text = _describe(parsed, inferred)
    except (EDTFParseException, ValueError, TypeError, AttributeError, IndexError):
        return value
    if text is None:
        return value
    if inferred and "inferred" not in text:
        text += " (inferred)"
    return text


def _describe(parsed, inferred):
    kind = type(parsed).__name__
    if kind == "Date":
        return _plain(parsed)
    if kind == "UncertainOrApproximate":
        base = _plain(parsed.date)
        if base is None:
            return None
        both = parsed._uncertain_and_approximate
        if parsed._is_approximate or both:
            base = f"about {base}"
        if parsed._is_uncertain or both:
            base += " (inferred)" if inferred else " (uncertain)"
        return base
    if kind == "PartialUncertainOrApproximate":
        return _partly_uncertain(parsed, inferred)
    if kind == "Interval":
        lower, upper = _describe(parsed.lower, inferred), _describe(parsed.upper, inferred)
        if lower is None or upper is None:
            return None
        return f"between {lower} and {upper}"
    return None


def _parts(parsed):
    year, month, day = parsed._year, parsed._month, parsed._day
    if not year or not year.isdigit() or any(p and not p.isdigit() for p in (month, day)):
        return None  # unspecified digits ("202X") are left to the EDTF string
    return int(year), int(month) if month else None, int(day) if day else None


def _plain(parsed):
    parts = _parts(parsed)
    if parts is None:
        return None
    return _words(*parts)


def _words(year, month, day):
    if day:
        return f"{day} {MONTHS[month - 1]} {year}"
    if month:
        return f"{MONTHS[month - 1]} {year}"
    return str(year)


def _partly_uncertain(parsed, inferred):
    parts = _parts(parsed)
    if parts is None or parsed.season:
        return None
    year, month, day = parts
    year_only = parsed.year_ua and not any(
        (parsed.month_ua, parsed.day_ua, parsed.year_month_ua, parsed.month_day_ua, parsed.all_ua)
    )
    if year_only and parsed._is_uncertain and not parsed._is_approximate and month:
        known = f"{day} {MONTHS[month - 1]}" if day else MONTHS[month - 1]
        return (
            f"{known}, year inferred as {year}" if inferred else f"{known} {year} (year uncertain)"
        )
    base = _plain(parsed)
    qualifier = "partly inferred" if inferred else "partly uncertain or approximate"
    return f"{base} ({qualifier})"


@functools.lru_cache(maxsize=16384)
def html_datetime(value, inferred=False):
    """The HTML `<time datetime>` value for the parts of a date the sources state, or None.

    A plain date is itself; a day and month whose year is unknown or uncertain is a
    yearless date (02-11: HTML's yearless date string without its optional leading "--",
    which the Nu Html Checker refuses); anything else has no machine-readable form that
    would not claim more than is known, so pages show it in words alone.
    """
    value = (value or "").strip()
    if plain_date(value) and not inferred:
        return value
    if uncertain_year := re.fullmatch(r"\d{4}\?(-\d{2}-\d{2})", value):
        value = "XXXX" + uncertain_year.group(1)  # a year the sources do not state is not published
    if (unknown := year_unknown(value)) and unknown[1]:
        return f"{unknown[0]:02d}-{unknown[1]:02d}"
    return None


def date_meaning(value):
    """What an EDTF date says is known, for the editor typing it: "day and month known, year unknown".

    Raises ValidationError as the field would. Plain and yearless dates say which parts the
    sources state; anything else gives the span of days it allows, as the filters read it.
    """
    value = (value or "").strip()
    earliest, latest = edtf_bounds(value)  # the field's own check, and its message
    if plain := plain_date(value):
        _, month, day = plain
        if day:
            return "day, month and year known"
        return "month and year known, day unknown" if month else "year known, month and day unknown"
    if unknown := year_unknown(value):
        if unknown[1]:
            return "day and month known, year unknown"
        return "month known, day and year unknown"
    signs = (("%", "uncertain and approximate"), ("?", "uncertain"), ("~", "approximate"))
    qualifier = next((word for sign, word in signs if sign in value), None)
    span = "one day" if earliest == latest else f"any day from {_day(earliest)} to {_day(latest)}"
    return f"{qualifier}: {span}" if qualifier else span


def _day(day):
    if day.year in (FIRST_YEAR, LAST_YEAR):
        return f"{day.day} {MONTHS[day.month - 1]} of an unknown year"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
