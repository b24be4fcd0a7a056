"""Search helpers: websearch parsing, the SQLite fallback, and highlighting that stays escaped."""

import pytest
from django.db.models import Q
from django.utils.safestring import SafeString

from archive.models import Actor
from core.search.backends.sqlite import websearch_q
from core.search.headlines import HEADLINE_START as START
from core.search.headlines import HEADLINE_STOP as STOP
from core.search.headlines import mark_terms, render_headline, snippet
from core.search.query import MAX_QUERY_LENGTH, Term, parse_websearch, positive_terms


def word(text):
    return Term(text, negated=False)


def minus(text):
    return Term(text, negated=True)


def contains(text, fields=("name",)):
    found = Q()
    for field in fields:
        found |= Q(**{f"{field}__icontains": text})
    return found


# parse_websearch


def test_words_must_all_hold():
    assert parse_websearch("river flood") == [[word("river"), word("flood")]]


def test_quoted_phrase_is_one_term():
    assert parse_websearch('"river flooded" inquiry') == [[word("river flooded"), word("inquiry")]]


def test_minus_excludes_a_word():
    assert parse_websearch("river -flood") == [[word("river"), minus("flood")]]


def test_minus_excludes_a_phrase():
    assert parse_websearch('-"river flooded" inquiry') == [
        [minus("river flooded"), word("inquiry")]
    ]


def test_or_between_words_offers_alternatives():
    assert parse_websearch("river flood or inquiry") == [
        [word("river"), word("flood")],
        [word("inquiry")],
    ]


def test_or_is_recognised_in_any_case():
    assert parse_websearch("a OR b Or c") == [[word("a")], [word("b")], [word("c")]]


def test_quoted_or_is_a_search_term():
    assert parse_websearch('"or"') == [[word("or")]]


def test_dangling_leading_and_doubled_or_are_ignored():
    assert parse_websearch("or a or or b or") == [[word("a")], [word("b")]]


def test_only_or_is_no_query():
    assert parse_websearch("or OR or") == []


def test_group_of_only_negated_terms_is_kept():
    assert parse_websearch("river or -flood") == [[word("river")], [minus("flood")]]


def test_lone_minus_is_ignored():
    assert parse_websearch("river - flood -") == [[word("river"), word("flood")]]


def test_minus_before_punctuation_negates_nothing():
    assert parse_websearch("-,flood") == [[word("flood")]]


def test_hyphen_inside_a_word_is_kept_and_does_not_negate():
    assert parse_websearch("self-declared") == [[word("self-declared")]]


def test_apostrophe_inside_a_word_is_kept_but_trimmed_at_the_edges():
    assert parse_websearch("don't 'quoted'") == [[word("don't"), word("quoted")]]


def test_punctuation_splits_unquoted_words():
    assert parse_websearch("river,flood; (inquiry)! x_y 50%") == [
        [word("river"), word("flood"), word("inquiry"), word("x"), word("y"), word("50")]
    ]


def test_phrase_keeps_its_punctuation_and_collapses_whitespace():
    assert parse_websearch('"  50%   off\\now "') == [[word("50% off\\now")]]


def test_unclosed_quote_runs_to_the_end():
    assert parse_websearch('inquiry "river flooded') == [[word("inquiry"), word("river flooded")]]


def test_empty_and_punctuation_only_phrases_are_ignored():
    assert parse_websearch('"" "   " "..." river') == [[word("river")]]


def test_lone_double_quote_is_no_query():
    assert parse_websearch('"') == []


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "!@#$%^&*()", "- -- ---", "''", "_ _"])
def test_empty_or_punctuation_only_query_is_no_query(query):
    assert parse_websearch(query) == []


def test_nul_and_control_characters_are_spaces():
    assert parse_websearch("river\x00-flood\x07inquiry") == [
        [word("river"), minus("flood"), word("inquiry")]
    ]


def test_script_tag_is_just_words():
    assert parse_websearch("<script>alert(1)</script>") == [
        [word("script"), word("alert"), word("1"), word("script")]
    ]


def test_query_is_cut_at_max_length():
    assert parse_websearch("x" * 10_000) == [[word("x" * MAX_QUERY_LENGTH)]]


def test_long_query_of_many_words_is_cut_too():
    groups = parse_websearch("ab " * 5_000)
    assert groups == [[word("ab")] * 67]


def test_urdu_words_with_diacritics_are_words():
    assert parse_websearch("حکومتِ پاکستان -مَسئلہ") == [
        [word("حکومتِ"), word("پاکستان"), minus("مَسئلہ")]
    ]


def test_curly_double_quotes_are_punctuation_as_in_postgresql():
    assert parse_websearch("“river flooded”") == [[word("river"), word("flooded")]]


def test_curly_apostrophe_stays_inside_a_word():
    assert parse_websearch("it’s") == [[word("it’s")]]


# websearch_q


def test_no_terms_gives_no_q():
    assert websearch_q(["name"], ' "" - or ') is None


def test_no_fields_gives_no_q():
    assert websearch_q([], "river") is None


def test_each_term_is_sought_in_any_field():
    fields = ("name", "description")
    assert websearch_q(fields, "river flood") == contains("river", fields) & contains(
        "flood", fields
    )


def test_negated_term_is_excluded_from_every_field():
    fields = ("name", "description")
    assert websearch_q(fields, "-flood") == ~contains("flood", fields)


def test_groups_are_or_ed():
    assert websearch_q(["name"], 'river -flood or "an inquiry"') == (
        (contains("river") & ~contains("flood")) | contains("an inquiry")
    )


@pytest.mark.django_db
def test_q_finds_rows_on_sqlite_with_or_and_minus():
    Actor.objects.create(
        name="River board", slug="river-board", kind="state", description="Saw the flood."
    )
    Actor.objects.create(
        name="River office", slug="river-office", kind="state", description="Dry all year."
    )
    Actor.objects.create(name="Inquiry", slug="inquiry", kind="state", description="")
    Actor.objects.create(name="Other", slug="other", kind="state", description="Nothing here.")
    q = websearch_q(["name", "description"], "RIVER -flood or inquiry")
    assert list(Actor.objects.filter(q).values_list("slug", flat=True)) == [
        "inquiry",
        "river-office",
    ]


@pytest.mark.django_db
def test_percent_underscore_and_backslash_in_a_phrase_are_literal():
    for slug, name in [
        ("percent", "50% off"),
        ("digits", "500 off"),
        ("underscore", "a_b"),
        ("any-char", "axb"),
        ("backslash", "C:\\temp"),
        ("no-backslash", "C:temp"),
    ]:
        Actor.objects.create(name=name, slug=slug, kind="state")

    def found(query):
        return list(
            Actor.objects.filter(websearch_q(["name"], query)).values_list("slug", flat=True)
        )

    assert found('"50%"') == ["percent"]
    assert found('"a_b"') == ["underscore"]
    assert found('"C:\\temp"') == ["backslash"]


# positive_terms


def test_positive_terms_skip_negated_and_repeat_and_put_longest_first():
    assert positive_terms('river -flood or RIVER "river flooded" or an') == [
        "river flooded",
        "river",
        "an",
    ]


def test_positive_terms_of_nothing_is_empty():
    assert positive_terms("-flood") == []
    assert positive_terms('"') == []


# mark_terms


def test_mark_terms_wraps_every_occurrence_whatever_its_case():
    result = mark_terms("River rises; the river floods.", ["river"])
    assert isinstance(result, SafeString)
    assert result == "<mark>River</mark> rises; the <mark>river</mark> floods."


def test_mark_terms_escapes_script_tags():
    assert mark_terms("<script>alert('x')</script>", ["alert"]) == (
        "&lt;script&gt;<mark>alert</mark>(&#x27;x&#x27;)&lt;/script&gt;"
    )


def test_mark_terms_never_matches_inside_an_escaped_entity():
    assert (
        mark_terms('a & b < c > "d"', ["amp", "lt", "gt", "quot"])
        == "a &amp; b &lt; c &gt; &quot;d&quot;"
    )


def test_mark_terms_finds_a_term_containing_angle_brackets():
    assert mark_terms("see <b> here", ["<b>"]) == "see <mark>&lt;b&gt;</mark> here"


def test_mark_terms_treats_regex_characters_literally():
    assert (
        mark_terms("a.b axb (c)* c", ["a.b", "(c)*", "\\"])
        == "<mark>a.b</mark> axb <mark>(c)*</mark> c"
    )


def test_mark_terms_merges_overlapping_and_adjacent_matches():
    assert mark_terms("abcd riverbank aaa", ["abc", "bcd", "river", "bank", "aa"]) == (
        "<mark>abcd</mark> <mark>riverbank</mark> <mark>aaa</mark>"
    )


def test_mark_terms_phrase_matches_across_line_breaks():
    assert mark_terms("river\n  flooded", ["river flooded"]) == "<mark>river\n  flooded</mark>"


def test_mark_terms_without_terms_only_escapes():
    assert mark_terms("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
    assert mark_terms("<i>x</i>", ["", "  "]) == "&lt;i&gt;x&lt;/i&gt;"


def test_mark_terms_handles_urdu_and_nul():
    assert mark_terms("حکومتِ پاکستان\x00", ["پاکستان"]) == "حکومتِ <mark>پاکستان</mark>\x00"


def test_mark_terms_handles_ten_kilobytes():
    result = mark_terms("<a&b> " * 2_000, ["a&b"])
    assert result == "&lt;<mark>a&amp;b</mark>&gt; " * 2_000


# render_headline


def test_headline_markers_become_marks_and_text_is_escaped():
    assert render_headline(f"<p>the {START}river{STOP} & {START}flood{STOP}") == (
        "&lt;p&gt;the <mark>river</mark> &amp; <mark>flood</mark>"
    )


def test_literal_mark_tags_in_the_text_are_escaped():
    assert (
        render_headline(f"<mark>{START}x{STOP}</mark>") == "&lt;mark&gt;<mark>x</mark>&lt;/mark&gt;"
    )


def test_unpaired_headline_marker_is_dropped():
    assert render_headline(f"a {START}b") == "a b"
    assert render_headline(f"a{STOP} b") == "a b"


def test_nested_headline_markers_never_produce_unbalanced_tags():
    assert render_headline(f"{START}a {START}b{STOP} c{STOP}") == "<mark>a b</mark> c"


def test_empty_headline_pair_is_dropped():
    assert render_headline(f"a{START}{STOP}b") == "ab"


def test_headline_of_nothing_is_empty_safe_string():
    result = render_headline("")
    assert isinstance(result, SafeString)
    assert result == ""


# snippet

TEXT = " ".join(f"word{i}" for i in range(100))


def test_short_text_is_returned_whole_with_newlines_collapsed():
    assert snippet("the river\n\n  flooded\r\n", ["absent"]) == "the river flooded"


def test_snippet_centres_on_the_first_match_and_cuts_between_words():
    assert (
        snippet(TEXT, ["WORD50"], width=60) == "…word47 word48 word49 word50 word51 word52 word53…"
    )


def test_snippet_without_a_match_is_the_start():
    assert snippet(TEXT, ["absent"], width=30) == "word0 word1 word2 word3 word4…"


def test_snippet_near_the_end_has_no_trailing_ellipsis():
    assert snippet(TEXT, ["word99"], width=30) == "…word96 word97 word98 word99"


def test_snippet_cuts_inside_a_word_only_when_there_is_no_space():
    assert snippet("x" * 50, [], width=10) == "x" * 10 + "…"


def test_snippet_is_plain_text_not_escaped():
    assert snippet("<script>&amp;</script>", ["amp"]) == "<script>&amp;</script>"


def test_snippet_of_ten_kilobytes_stays_near_width():
    text = "filler " * 1_500 + "the river flooded " + "filler " * 1_500
    result = snippet(text, ["river"])
    assert result.startswith("…filler") and result.endswith("filler…")
    assert "the river flooded" in result
    assert 200 <= len(result) <= 242
