"""Letter dates in words, saying how certain they are."""
import pytest

from archive.dates import describe_edtf


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
