"""Letter dates in words, saying how certain they are."""

import pytest
from django.core.exceptions import ValidationError

from archive.dates import date_meaning, describe_edtf


@pytest.mark.parametrize(
    ("edtf", "inferred", "words"),
    [
        ("2026-01-04", False, "4 January 2026"),
        ("2026-02", False, "February 2026"),
        ("2026", False, "2026"),
        ("2026?-02-11", True, "11 February, year inferred as 2026"),
        ("2026?-02-11", False, "11 February 2026 (year uncertain)"),
        ("2026-02-11?", False, "11 February 2026 (uncertain)"),
        ("2026-02-11?", True, "11 February 2026 (inferred)"),
        ("2026-01~", False, "about January 2026"),
        ("2026-01-04%", False, "about 4 January 2026 (uncertain)"),
        ("2026-01-04", True, "4 January 2026 (inferred)"),
        ("2026-01/2026-03", False, "between January 2026 and March 2026"),
        ("2026-02-~11", False, "11 February 2026 (partly uncertain or approximate)"),
    ],
)
def test_a_date_is_described_with_its_certainty(edtf, inferred, words):
    assert describe_edtf(edtf, inferred) == words


@pytest.mark.parametrize("edtf", ["202X", "../2026", "2026-21", "not a date", ""])
def test_a_date_too_rare_to_phrase_is_shown_as_given(edtf):
    assert describe_edtf(edtf) == edtf


# Plain calendar dates skip the EDTF grammar (it takes milliseconds); the answer must be the grammar's.
PLAIN_AND_NEAR_PLAIN = [
    "2026",
    "1999",
    "0001",
    "0000",
    "2026-01",
    "2026-12",
    "2026-13",
    "2026-21",
    "2026-00",
    "2024-02-29",
    "2023-02-29",
    "2026-04-31",
    "2026-01-00",
    "2026-12-31",
    "2026-1-4",
    "20260104",
]


@pytest.mark.parametrize("value", PLAIN_AND_NEAR_PLAIN)
def test_plain_dates_get_the_bounds_and_words_the_edtf_grammar_gives(value):
    from django.core.exceptions import ValidationError
    from edtf import parse_edtf, struct_time_to_date

    from archive.dates import _describe, edtf_bounds

    try:
        parsed = parse_edtf(value)
        expected = (
            struct_time_to_date(parsed.lower_strict()),
            struct_time_to_date(parsed.upper_strict()),
        )
    except Exception:
        expected = None
    try:
        got = edtf_bounds(value)
    except ValidationError:
        got = None
    assert got == expected
    if expected is not None and type(parsed).__name__ == "Date":
        assert describe_edtf(value) == _describe(parsed, False)
        assert describe_edtf(value, True) == _describe(parsed, True) + " (inferred)"


def what_the_library_reads(parse, value):
    """Everything the archive reads off a parsed date, or the kind of error parsing raised."""
    from edtf import struct_time_to_date

    from archive.dates import _describe

    try:
        parsed = parse(value)
        return (
            type(parsed).__name__,
            str(parsed),
            (parsed._is_uncertain, parsed._is_approximate, parsed._uncertain_and_approximate),
            [
                struct_time_to_date(bound())
                for bound in (
                    parsed.lower_strict,
                    parsed.upper_strict,
                    parsed.lower_fuzzy,
                    parsed.upper_fuzzy,
                )
            ],
            _describe(parsed, False),
            _describe(parsed, True),
        )
    except Exception as error:
        return type(error).__name__


# Dates qualified as a whole (2026-02-11?) or in their year (2026?-02-11) skip the grammar too.
QUALIFIED = [
    f"{year}{qualifier}{rest}" if in_year else f"{year}{rest}{qualifier}"
    for year in ("0001", "2000", "2026", "9999")
    for rest in ("", "-02", "-02-28", "-02-29", "-04-30", "-12-31", "-13", "-04-31")
    for qualifier in "?~%"
    for in_year in (False, True)
]


@pytest.mark.parametrize("value", QUALIFIED)
def test_qualified_dates_are_the_objects_the_edtf_grammar_builds(value):
    from edtf import parse_edtf

    from archive.dates import parse

    assert what_the_library_reads(parse, value) == what_the_library_reads(parse_edtf, value)


def test_the_shortcut_for_qualified_dates_is_taken():
    from unittest import mock

    from archive import dates

    with mock.patch.object(dates, "parse_edtf", side_effect=AssertionError("grammar ran")):
        assert dates.parse("2026?-02-11").year_ua.is_uncertain
        assert dates.parse("2026-02-11~").ua.is_approximate


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        ("XXXX-02-11", "11 February, year unknown"),
        ("XXXX-12", "December, year unknown"),
        ("XXXX-02-29", "29 February, year unknown"),
    ],
)
def test_a_date_whose_year_no_source_states_says_so(edtf, words):
    assert describe_edtf(edtf) == words


# The letter_date tag: a machine-readable <time> only for what the sources state.


@pytest.mark.parametrize(
    ("edtf", "inferred", "html"),
    [
        ("2026-01-04", False, '<time datetime="2026-01-04">4 January 2026</time>'),
        ("2026-02", False, '<time datetime="2026-02">February 2026</time>'),
        ("2026", False, '<time datetime="2026">2026</time>'),
        # A day and month in a year no source states, or one it states with doubt: a yearless date.
        ("XXXX-02-11", False, '<time datetime="02-11">11 February, year unknown</time>'),
        ("2026?-02-11", False, '<time datetime="02-11">11 February 2026 (year uncertain)</time>'),
        ("2026?-02-11", True, '<time datetime="02-11">11 February, year inferred as 2026</time>'),
        # Nothing machine-readable would claim no more than is known: words alone.
        ("2026?-02", False, '<span class="date">February 2026 (year uncertain)</span>'),
        ("XXXX-02", False, '<span class="date">February, year unknown</span>'),
        ("2026-02-11?", False, '<span class="date">11 February 2026 (uncertain)</span>'),
        ("2026-03-01~", False, '<span class="date">about 1 March 2026</span>'),
        ("2026-01-04", True, '<span class="date">4 January 2026 (inferred)</span>'),
        ("1947/1948", False, '<span class="date">between 1947 and 1948</span>'),
    ],
)
def test_the_letter_date_tag_gives_a_datetime_only_for_what_the_sources_state(edtf, inferred, html):
    from archive.models import Letter
    from archive.templatetags.letters import letter_date

    assert letter_date(Letter(date_edtf=edtf, date_inferred=inferred)) == html


def test_the_letter_date_tag_gives_the_dating_note_as_an_escaped_title():
    from archive.models import Letter
    from archive.templatetags.letters import letter_date

    note = 'The report says “February 11” <script>alert("note")</script>.'
    assert letter_date(Letter(date_edtf="XXXX-02-11", date_note=note)) == (
        '<time datetime="02-11" title="The report says “February 11” &lt;script&gt;alert(&quot;note&quot;)'
        '&lt;/script&gt;.">11 February, year unknown</time>'
    )
    assert letter_date(Letter(date_edtf="2026?-02", date_note="A guess.")) == (
        '<span class="date" title="A guess.">February 2026 (year uncertain)</span>'
    )


@pytest.mark.parametrize(
    "edtf, meaning",
    [
        ("2026-01-04", "day, month and year known"),
        ("2026-01", "month and year known, day unknown"),
        ("2026", "year known, month and day unknown"),
        ("XXXX-02-11", "day and month known, year unknown"),
        ("XXXX-02", "month known, day and year unknown"),
        ("2026-01-04/2026-01-10", "any day from 4 January 2026 to 10 January 2026"),
        ("2026-01-XX", "any day from 1 January 2026 to 31 January 2026"),
        ("2026~", "approximate: any day from 1 January 2025 to 31 December 2027"),
    ],
)
def test_a_date_says_which_of_its_parts_are_known(edtf, meaning):
    assert date_meaning(edtf) == meaning


def test_a_date_that_is_not_edtf_has_no_meaning_but_the_field_s_own_message():
    with pytest.raises(ValidationError) as refused:
        date_meaning("4 January")

    assert refused.value.messages
