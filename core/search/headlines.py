"""Search terms marked in text, safely.

The texts searched are untrusted, so every highlighter here escapes first and marks
only its own <mark> tags safe. Terms are matched on the raw text and each piece escaped
on its own: a search for "amp" never lands inside "&amp;".
"""

import re
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HEADLINE_START = (
    "\ue000"  # private-use markers PostgreSQL's ts_headline is told to put around matches
)
HEADLINE_STOP = "\ue001"
ELLIPSIS = "\u2026"


def _pattern(term):
    """A term as a literal regex; whitespace inside a phrase matches any run of whitespace."""
    return r"\s+".join(re.escape(part) for part in term.split())


def _spans(text, terms):
    """Merged (start, end) spans of every case-insensitive occurrence of any term, overlaps included."""
    spans = []
    for term in terms:
        if term and term.strip():
            for match in re.finditer(f"(?=({_pattern(term)}))", text, re.IGNORECASE):
                spans.append((match.start(1), match.end(1)))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark_terms(text: str, terms: Sequence[str]) -> SafeString:
    """text escaped, with every occurrence of any term wrapped in <mark>."""
    text = text or ""
    pieces, position = [], 0
    for start, end in _spans(text, terms):
        pieces += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))


def render_headline(marked: str) -> SafeString:
    """A ts_headline result as HTML: text escaped, paired markers as <mark>, stray markers dropped."""
    html, highlighted = [], None  # highlighted collects the pieces inside an open marker
    for piece in re.split(f"({HEADLINE_START}|{HEADLINE_STOP})", marked or ""):
        if piece == HEADLINE_START:
            if highlighted is None:
                highlighted = []
        elif piece == HEADLINE_STOP:
            if highlighted:
                html += ["<mark>", *highlighted, "</mark>"]
            highlighted = None
        elif piece:
            (html if highlighted is None else highlighted).append(escape(piece))
    html += highlighted or []  # a START never closed highlights nothing
    return mark_safe("".join(html))


def snippet(text: str, terms: Sequence[str], width: int = 240) -> str:
    """Plain text: about width characters around the first match of any term, cut between words."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    spans = _spans(text, terms)
    match_start, match_end = spans[0] if spans else (0, 0)
    start = max(0, match_start - max(0, width - (match_end - match_start)) // 2)
    end = min(len(text), start + width)
    start = max(0, end - width)
    # Move each cut to a space, giving up at most half the window and never the match.
    if start > 0 and text[start - 1] != " ":
        space = text.find(" ", start, min(match_start, start + width // 2))
        start = space + 1 if space != -1 else start
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", max(match_end, end - width // 2), end)
        end = space if space != -1 else end
    window = text[start:end].strip()
    return (ELLIPSIS if start > 0 else "") + window + (ELLIPSIS if end < len(text) else "")
