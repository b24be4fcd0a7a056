"""Anchoring quotes in a source text, the way Hypothesis anchors annotations.

A quote is stored as a W3C Web Annotation TextQuoteSelector (exact, prefix, suffix)
plus a TextPositionSelector (start, end). To find it again: trust the stored position
if the text there still equals the quote; otherwise search every occurrence of the
quote and keep the one whose surroundings best match the stored prefix and suffix,
nearest the old position on a tie. A quote found nowhere is an orphan.

Pure functions on strings: no database, so they are cheap to test and to reuse.
"""

import unicodedata
from dataclasses import dataclass

# Characters of context kept either side of a quote, enough to tell repeats apart.
CONTEXT_LENGTH = 32


def normalised(text):
    """text in the one form quotes are anchored in: Unicode NFC, every line break a single \\n.

    A browser sends a textarea's line breaks as \\r\\n and a pasted "é" may come as e and a
    combining accent: normalised on the way in, the same words are the same characters, and
    one offset means one place, whoever entered them.
    """
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    prefix: str
    suffix: str


def context(text, start, end, length=CONTEXT_LENGTH):
    """The prefix and suffix around text[start:end]."""
    return text[max(0, start - length) : start], text[end : end + length]


def occurrences(text, exact):
    """Every start offset of exact in text, overlapping ones included."""
    starts = []
    position = text.find(exact)
    while position != -1:
        starts.append(position)
        position = text.find(exact, position + 1)
    return starts


def _common_suffix_length(a, b):
    length = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        length += 1
    return length


def _common_prefix_length(a, b):
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def rank(text, exact, prefix="", suffix="", hint=None):
    """Candidate start offsets, best first, each with its context score.

    The score counts how many characters of the stored prefix and suffix still
    surround the candidate; ties go to the candidate nearest the hint.
    """
    scored = []
    for start in occurrences(text, exact):
        end = start + len(exact)
        # Only as much of the text as the stored context is long: slicing to the text's ends
        # copied the whole text once per candidate.
        score = _common_suffix_length(
            text[max(0, start - len(prefix)) : start], prefix
        ) + _common_prefix_length(text[end : end + len(suffix)], suffix)
        distance = abs(start - hint) if hint is not None else 0
        scored.append((score, -distance, start))
    scored.sort(reverse=True)
    return [(score, start) for score, _, start in scored]


def locate(text, exact, prefix="", suffix="", hint=None):
    """Anchor the quote in text, or None when it cannot be found."""
    if not exact:
        return None
    if hint is not None and hint >= 0 and text[hint : hint + len(exact)] == exact:
        start = hint
    else:
        candidates = rank(text, exact, prefix, suffix, hint)
        if not candidates:
            return None
        start = candidates[0][1]
    end = start + len(exact)
    found_prefix, found_suffix = context(text, start, end)
    return Anchor(start, end, found_prefix, found_suffix)


def is_ambiguous(text, exact, prefix="", suffix="", hint=None):
    """True when the quote occurs more than once and nothing tells the places apart."""
    if hint is not None and hint >= 0 and text[hint : hint + len(exact)] == exact:
        return False
    candidates = rank(text, exact, prefix, suffix)
    return len(candidates) > 1 and candidates[0][0] == candidates[1][0]
