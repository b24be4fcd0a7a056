"""Highlighting quoted passages in a letter: overlapping quotes, balanced tags, untrusted text."""

import html
import random
import re
import time
from html.parser import HTMLParser

from django.utils.safestring import SafeString

from core.highlight import Span, highlight


def span(start, end, key, label=None, url=None, css_class=""):
    return Span(start, end, key, label or key.upper(), url or f"/{key}/", css_class)


def anchor(key):
    return f'<span class="quote-start" id="{key}"></span>'


def link(key, css="quote-ref"):
    return f'<a class="{css}" href="/{key}/" lang="en-gb" dir="auto">{key.upper()}</a>'


def mark(depth, text):
    return f'<mark class="quote depth-{depth}">{text}</mark>'


class Rendered(HTMLParser):
    """Reads highlight() output back: the plain text, what happens where, and whether tags balance."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.text = ""  # the letter text, with labels left out
        self.depths = []  # the depth class of each character of text (0 outside marks)
        self.events = []  # (offset, "start", id) and (offset, "end", label, href, class), in order
        self.stack = []
        self.label = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        assert tag in {"mark", "span", "a"}, f"unexpected <{tag}>"
        assert not self.stack, (
            f"<{tag}> opened inside {self.stack}"
        )  # marks never hold anchors or links
        if tag == "mark":
            classes = attrs["class"].split()
            assert classes[0] == "quote" and len(classes) == 2
            self.depth = int(classes[1].removeprefix("depth-"))
            self.mark_start = len(self.text)
        elif tag == "span":
            assert attrs["class"] == "quote-start"
            self.events.append((len(self.text), "start", attrs["id"]))
        else:
            self.label = ""
            self.link_attrs = attrs
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()
        if tag == "mark":
            assert len(self.text) > self.mark_start, "empty <mark>"
        if tag == "a":
            attrs = self.link_attrs
            self.events.append((len(self.text), "end", self.label, attrs["href"], attrs["class"]))
            self.label = None

    def handle_data(self, data):
        if self.label is not None:
            self.label += data
        else:
            self.text += data
            self.depths += [self.depth if self.stack == ["mark"] else 0] * len(data)

    def close(self):
        super().close()
        assert not self.stack, f"left open: {self.stack}"


# --- the basics -------------------------------------------------------------------------------


def test_without_spans_the_text_comes_back_escaped_and_unchanged():
    text = 'Line one & "two"\n<b>three</b>'
    result = highlight(text, [])
    assert result == "Line one &amp; &quot;two&quot;\n&lt;b&gt;three&lt;/b&gt;"
    assert isinstance(result, SafeString)


def test_an_empty_text_renders_as_nothing():
    assert highlight("", []) == ""
    assert highlight("", [span(0, 0, "q")]) == ""


def test_a_single_span_gets_an_anchor_a_mark_and_a_link_to_its_claim():
    text = "We saw the flood. Nobody came."
    quote = Span(7, 16, "quote-claim-12", "Claim 3: Disputed", "/claims/12/", "status-disputed")
    assert text[7:16] == "the flood"
    assert highlight(text, [quote]) == (
        "We saw "
        '<span class="quote-start" id="quote-claim-12"></span>'
        '<mark class="quote depth-1">the flood</mark>'
        '<a class="quote-ref status-disputed" href="/claims/12/" lang="en-gb" dir="auto">'
        "Claim 3: Disputed</a>"
        ". Nobody came."
    )


def test_a_link_without_css_class_has_only_the_quote_ref_class():
    assert highlight("abc", [span(1, 2, "q")]) == "a" + anchor("q") + mark(1, "b") + link("q") + "c"


# --- spans that meet ------------------------------------------------------------------------


def test_nested_span_is_highlighted_twice_inside_its_parent():
    text = "one two three"
    result = highlight(text, [span(4, 7, "inner"), span(0, 13, "outer")])
    assert result == (
        anchor("outer")
        + mark(1, "one ")
        + anchor("inner")
        + mark(2, "two")
        + link("inner")
        + mark(1, " three")
        + link("outer")
    )


def test_overlapping_spans_are_cut_into_pieces_and_never_interleave():
    text = "one two three"
    result = highlight(text, [span(0, 7, "a"), span(4, 13, "b")])
    assert result == (
        anchor("a")
        + mark(1, "one ")
        + anchor("b")
        + mark(2, "two")
        + link("a")
        + mark(1, " three")
        + link("b")
    )
    assert Rendered(result).text == text


def test_identical_spans_share_one_mark_of_depth_two_and_are_ordered_by_key():
    result = highlight("xabcx", [span(1, 4, "claim-2a"), span(1, 4, "claim-1b")])
    assert result == (
        "x"
        + anchor("claim-1b")
        + anchor("claim-2a")
        + mark(2, "abc")
        + link("claim-1b")
        + link("claim-2a")
        + "x"
    )


def test_adjacent_spans_close_the_first_before_opening_the_second():
    result = highlight("onetwo", [span(3, 6, "second"), span(0, 3, "first")])
    assert result == (
        anchor("first")
        + mark(1, "one")
        + link("first")
        + anchor("second")
        + mark(1, "two")
        + link("second")
    )


def test_spans_starting_together_open_outermost_first_whatever_their_keys():
    result = highlight("abcdefghi", [span(0, 3, "a"), span(0, 9, "z")])
    assert result.startswith(
        anchor("z") + anchor("a") + mark(2, "abc") + link("a") + mark(1, "defghi")
    )


def test_spans_ending_together_close_innermost_first_whatever_their_keys():
    result = highlight("abcdefghi", [span(0, 9, "a"), span(6, 9, "z")])
    assert result.endswith(mark(1, "abcdef") + anchor("z") + mark(2, "ghi") + link("z") + link("a"))


def test_spans_at_the_very_start_and_end_of_the_text_are_kept():
    text = "whole letter"
    assert highlight(text, [span(0, len(text), "all")]) == anchor("all") + mark(1, text) + link(
        "all"
    )
    assert highlight(text, [span(0, 1, "w"), span(len(text) - 1, len(text), "r")]) == (
        anchor("w")
        + mark(1, "w")
        + link("w")
        + "hole lette"
        + anchor("r")
        + mark(1, "r")
        + link("r")
    )


def test_depth_classes_stop_at_three():
    result = highlight("abcdefghi", [span(i, 9 - i, f"q{i}") for i in range(5)])
    depths = re.findall(r'<mark class="quote depth-(\d+)">(.*?)</mark>', result)
    assert depths == [
        ("1", "a"),
        ("2", "b"),
        ("3", "c"),
        ("3", "d"),
        ("3", "e"),
        ("3", "f"),
        ("3", "g"),
        ("2", "h"),
        ("1", "i"),
    ]


def test_invalid_spans_are_ignored():
    text = "short text"
    invalid = [
        span(-1, 3, "neg"),
        span(2, 11, "long"),
        span(4, 4, "empty"),
        span(6, 2, "back"),
        span(0, 99, "far"),
    ]
    assert highlight(text, invalid) == "short text"
    assert highlight(text, invalid + [span(6, 10, "ok")]) == "short " + anchor("ok") + mark(
        1, "text"
    ) + link("ok")


# --- untrusted data ---------------------------------------------------------------------------


def test_script_inside_a_highlighted_passage_comes_out_as_text():
    text = 'Read <script>alert(1)</script> & "quote" now'
    start = text.index("<script>")
    end = text.index(" &")
    result = highlight(text, [span(start, end, "q")])
    assert "<script" not in result
    assert result == (
        "Read "
        + anchor("q")
        + mark(1, "&lt;script&gt;alert(1)&lt;/script&gt;")
        + link("q")
        + " &amp; &quot;quote&quot; now"
    )


def test_label_key_url_and_css_class_are_all_escaped():
    hostile = Span(
        0,
        1,
        key='k"><script>x</script>',
        label="<b>Claim</b> & 'co'",
        url='/c/?a=1&b="2"><script>',
        css_class='x" onclick="evil()',
    )
    assert highlight("A", [hostile]) == (
        '<span class="quote-start" id="k&quot;&gt;&lt;script&gt;x&lt;/script&gt;"></span>'
        '<mark class="quote depth-1">A</mark>'
        '<a class="quote-ref x&quot; onclick=&quot;evil()" href="/c/?a=1&amp;b=&quot;2&quot;&gt;&lt;script&gt;" '
        'lang="en-gb" dir="auto">'
        "&lt;b&gt;Claim&lt;/b&gt; &amp; &#x27;co&#x27;</a>"
    )


def test_newlines_are_kept_as_they_are():
    text = "Dear Sir,\n\nthe river\nflooded."
    assert (
        highlight(text, [span(11, 20, "q")])
        == "Dear Sir,\n\n" + anchor("q") + mark(1, "the river") + link("q") + "\nflooded."
    )


# --- any layout at all ------------------------------------------------------------------------

NASTY_CHARACTERS = "ab <>&\"'\n;#"


def random_layout(rng):
    text = "".join(rng.choice(NASTY_CHARACTERS) for _ in range(rng.randint(0, 30)))
    spans = []
    for i in range(rng.randint(0, 8)):
        # Few distinct offsets, so boundaries are often shared; some fall outside the text.
        start, end = rng.randint(-2, len(text) + 2), rng.randint(-2, len(text) + 2)
        if rng.random() < 0.8:
            start, end = sorted((start, end))
        label = "".join(rng.choice(NASTY_CHARACTERS) for _ in range(rng.randint(0, 5)))
        spans.append(
            Span(
                start,
                end,
                f'q{i}<&"',
                label,
                f"/claims/{i}/?a&b",
                rng.choice(["", 's<"', "status-ok"]),
            )
        )
    return text, spans


def expected_events(text, spans):
    """The spec's order: by offset; ends before starts; ends innermost first; starts outermost first; then key."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    ends = [
        (
            (s.end, 0, -s.start, s.key),
            (s.end, "end", s.label, s.url, f"quote-ref {s.css_class}".strip()),
        )
        for s in valid
    ]
    starts = [((s.start, 1, -s.end, s.key), (s.start, "start", s.key)) for s in valid]
    return [event for _, event in sorted(ends + starts)], valid


def test_random_layouts_give_balanced_tags_the_original_text_and_labels_in_the_right_places():
    rng = random.Random(20260104)
    for layout in range(200):
        text, spans = random_layout(rng)
        result = highlight(text, spans)
        where = f"layout {layout}: {text!r} {spans!r}\n{result}"

        rendered = Rendered(result)  # asserts balance and no tag inside a <mark>
        events, valid = expected_events(text, spans)
        assert rendered.text == text, where
        assert rendered.events == events, where
        coverage = [min(sum(s.start <= i < s.end for s in valid), 3) for i in range(len(text))]
        assert rendered.depths == coverage, where

        without_links = re.sub(r"<a [^>]*>.*?</a>", "", result, flags=re.S)
        assert html.unescape(re.sub(r"<[^>]*>", "", without_links)) == text, where


def test_a_long_letter_with_many_quotes_renders_quickly():
    rng = random.Random(7)
    text = "".join(rng.choice(NASTY_CHARACTERS) for _ in range(200_000))
    spans = []
    for i in range(2_000):
        start = rng.randrange(len(text) - 1)
        spans.append(
            Span(
                start,
                min(len(text), start + rng.randint(1, 5_000)),
                f"q{i}",
                f"Claim {i}",
                f"/claims/{i}/",
            )
        )
    began = time.perf_counter()
    result = highlight(text, spans)
    elapsed = time.perf_counter() - began
    assert elapsed < 1.0, f"took {elapsed:.2f}s"
    assert result.count('<span class="quote-start"') == 2_000
    assert result.count('<a class="quote-ref"') == 2_000


def test_with_labels_as_attributes_the_element_s_text_is_the_text_alone_and_labels_are_escaped():
    text = 'He said "no" & <left>.'
    spans = [Span(3, 7, "quote-1", 'Claim "1" <b>&', "/claims/1/"), Span(0, 2, "q-2", "Two", "/2/")]

    rendered = highlight(text, spans, label_as_text=False)

    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text
    label = "Claim &quot;1&quot; &lt;b&gt;&amp;"
    assert f'aria-label="{label}" data-label="{label}"></a>' in rendered
    assert "<b>" not in rendered and "<left>" not in rendered
