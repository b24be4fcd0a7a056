"""Quote anchoring, the Hypothesis way: position first, then quote scored by context."""

from archive.anchoring import context, is_ambiguous, locate, occurrences

TEXT = "alpha beta gamma. alpha beta delta. alpha beta gamma."


def test_a_quote_at_its_stored_position_is_kept_there():
    found = locate(TEXT, "alpha beta", hint=18)
    assert (found.start, found.end) == (18, 28)


def test_a_stale_position_falls_back_to_searching_by_context():
    # The stored position points at nothing useful; the suffix says which occurrence.
    found = locate(TEXT, "alpha beta", prefix="gamma. ", suffix=" delta", hint=3)
    assert found.start == 18


def test_context_outweighs_nearness():
    found = locate(TEXT, "alpha beta", suffix=" gamma.", hint=20)
    assert TEXT[found.end : found.end + 7] == " gamma."
    assert found.start in (0, 36)


def test_nearness_breaks_a_tie_in_context():
    assert locate(TEXT, "alpha beta gamma", hint=30).start == 36
    assert locate(TEXT, "alpha beta gamma", hint=2).start == 0


def test_a_missing_quote_is_not_found():
    assert locate(TEXT, "omega") is None
    assert locate(TEXT, "") is None


def test_found_anchors_carry_their_context():
    found = locate(TEXT, "delta")
    assert (found.prefix, found.suffix) == context(TEXT, found.start, found.end)
    assert TEXT[found.start : found.end] == "delta"


def test_occurrences_include_overlapping_ones():
    assert occurrences("aaaa", "aa") == [0, 1, 2]


def test_a_repeated_quote_without_context_is_ambiguous():
    assert is_ambiguous(TEXT, "alpha beta gamma")
    assert not is_ambiguous(TEXT, "alpha beta gamma", prefix="delta. ")
    assert not is_ambiguous(TEXT, "delta")


def test_a_repeated_quote_at_a_valid_position_is_not_ambiguous():
    assert not is_ambiguous(TEXT, "alpha beta gamma", hint=36)
