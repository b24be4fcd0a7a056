"""What a visitor typed, read the way PostgreSQL's websearch_to_tsquery reads it.

Words, "quoted phrases", -negation and `or`, in any script. The SQLite backend matches
the terms itself (backends/sqlite.py); both backends highlight the positive ones
(headlines.py). Pure functions on strings: cheap to test.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200  # longer queries are cut here before parsing
APOSTROPHES = "'\u2019"

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
    query = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch for ch in query[:MAX_QUERY_LENGTH]
    )
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


def positive_terms(query: str) -> list[str]:
    """The texts to highlight: every term not negated, once each whatever its case, longest first."""
    seen = {}
    for group in parse_websearch(query):
        for term in group:
            if not term.negated:
                seen.setdefault(term.text.casefold(), term.text)
    return sorted(seen.values(), key=len, reverse=True)


def clean_query(query):
    """The query as a backend receives it: no NUL (PostgreSQL refuses it), at most MAX_QUERY_LENGTH."""
    return (query or "").replace("\x00", " ")[:MAX_QUERY_LENGTH].strip()
