"""Full-text search helpers that work the same on SQLite and PostgreSQL.

PostgreSQL parses what visitors type with websearch_to_tsquery and highlights
with ts_headline. SQLite has neither, so parse_websearch reads the same syntax
(words, "quoted phrases", -negation, `or`) and websearch_q turns it into plain
icontains lookups: a simpler match with the same interface.

The texts searched are untrusted, so every highlighter here escapes first and
marks only its own <mark> tags safe. Terms are matched on the raw text and each
piece escaped on its own: a search for "amp" never lands inside "&amp;".

Pure functions on strings (the Q is only built, never run): cheap to test.
"""
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HEADLINE_START = "\ue000"  # private-use markers PostgreSQL's ts_headline is told to put around matches
HEADLINE_STOP = "\ue001"
MAX_QUERY_LENGTH = 200  # longer queries are cut here before parsing

APOSTROPHES = "'\u2019"
ELLIPSIS = "\u2026"

# A "quoted phrase" (optionally -negated, possibly unclosed), or a run of anything else but spaces.
_TOKEN = re.compile(r'(-*)"([^"]*)"?|([^\s"]+)')


@dataclass(frozen=True)
class Term:
    text: str  # a word or a phrase (without its quotes)
    negated: bool  # preceded by '-'


def _is_alnum(ch):
    """A letter or digit in any script (combining marks count: Urdu and Hindi need them)."""
    return unicodedata.category(ch)[0] in "LNM"


def _is_word_char(ch):
    return _is_alnum(ch) or ch in APOSTROPHES or ch == "-"


def _words(chunk):
    """The words in an unquoted chunk: runs of word characters, edges trimmed of - and '."""
    runs = "".join(ch if _is_word_char(ch) else " " for ch in chunk).split()
    return [word for run in runs if (word := run.strip("-" + APOSTROPHES))]


def parse_websearch(query: str) -> list[list[Term]]:
    """The query as OR-ed groups of AND-ed terms, read the way websearch_to_tsquery reads it."""
    if not isinstance(query, str):
        return []
    query = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in query[:MAX_QUERY_LENGTH])
    groups, group = [], []
    for match in _TOKEN.finditer(query):
        hyphens, phrase, chunk = match.groups()
        if chunk is None:  # a quoted phrase
            text = " ".join(phrase.split())
            if any(_is_alnum(ch) for ch in text):
                group.append(Term(text, negated=bool(hyphens)))
            continue
        body = chunk.lstrip("-")
        negated = body != chunk and bool(body) and _is_word_char(body[0])
        words = _words(body)
        if not negated and [word.casefold() for word in words] == ["or"]:
            if group:  # a leading, doubled or dangling `or` separates nothing
                groups.append(group)
                group = []
            continue
        group.extend(Term(word, negated=negated and i == 0) for i, word in enumerate(words))
    if group:
        groups.append(group)
    return groups


def websearch_q(fields: Sequence[str], query: str) -> Q | None:
    """A Q matching rows where the query holds in any of fields; None when there is nothing to search."""
    groups = parse_websearch(query)
    if not groups or not fields:
        return None
    result = None
    for group in groups:
        conditions = Q()
        for term in group:
            found = Q()
            for field in fields:
                found |= Q(**{f"{field}__icontains": term.text})
            conditions &= ~found if term.negated else found
        result = conditions if result is None else result | conditions
    return result


def positive_terms(query: str) -> list[str]:
    """The texts to highlight: every term not negated, once each whatever its case, longest first."""
    seen = {}
    for group in parse_websearch(query):
        for term in group:
            if not term.negated:
                seen.setdefault(term.text.casefold(), term.text)
    return sorted(seen.values(), key=len, reverse=True)


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
