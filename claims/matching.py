"""Suggested recurrences: claims of different letters that use the same distinctive words.

Editors confirm that claims of different letters make one recurring assertion (Recurrence);
this module suggests which, for them to confirm or reject. A claim's words (statement and
quote) are stemmed as PostgreSQL's English configuration stems them: read from the claim's
stored search vector on PostgreSQL, stemmed here by the same Snowball stemmer on SQLite.
Each word counts by how rare it is in the archive (inverse document frequency): a word most
claims use ("Balochistan", "the") counts for almost nothing, one three claims use for much.
A pair's score is the weighted share of their words they have in common (a weighted Jaccard
index). A claim that already makes a recurring assertion is also compared through the
assertion's words (its title, its note and its other claims'), so that "Pakistan fosters
militancy and radicalisation" finds "Pakistan sponsors militant activity".

Trigram similarity (pg_trgm) was measured and not used: on the shipped letters it ranked the
four confirmed pairs 2nd, 48th, 123rd and 233rd of 418 (docs/architecture.md).
"""

import functools
import math
import re
from dataclasses import dataclass

import snowballstemmer
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.utils.text import slugify

from core.page_cache import per_revision

from .models import Claim, Recurrence, RecurringAssertion, RejectedMatch

MIN_SCORE = 0.1  # below this, the words a pair shares are common ones: no suggestion
DISTINCTIVE = 1.0  # a word's weight from which it is named in a suggestion's reason (~1 claim in 3)
RARE_TERMS = 8  # a claim's rarest words, by which PostgreSQL finds candidates on its index
CANDIDATES = 2000  # claims scored at most, for one letter's suggestions
WORDS = re.compile(r"[^\W\d_]+")
LEXEME = re.compile(r"\w+")  # a stem a query may name as it is
_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Suggestion:
    claim: Claim  # of the letter asked about
    other: Claim  # of another letter
    score: float
    shared: tuple  # the words they share, rarest first, as the claim writes them

    @property
    def reason(self):
        if not self.shared:  # many words in common, none of them rare
            return f"many words in common, none of them rare (score {self.score:.2f})"
        return f"both use {', '.join(self.shared)} (score {self.score:.2f})"


def stems(text):
    """{stem: the first word of the text with that stem}."""
    found = {}
    for word in WORDS.findall(text.lower()):
        found.setdefault(stem(word), word)
    return found


@functools.lru_cache(maxsize=65536)
def stem(word):
    return _stemmer.stemWord(word)


def on_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def terms_of(claims):
    """{claim id: set of stems}, for the claims of a queryset: on PostgreSQL read from the stored
    vectors (the lexemes PostgreSQL made of statement and quote), elsewhere stemmed here."""
    if on_postgresql(claims):
        lexemes = models.Func(
            models.F("search_document"),
            function="tsvector_to_array",
            output_field=ArrayField(models.TextField()),
        )
        return {pk: set(words or ()) for pk, words in claims.values_list("pk", lexemes)}
    return {
        pk: set(stems(f"{statement} {quote}"))
        for pk, statement, quote in claims.values_list("pk", "statement", "quote_exact")
    }


def document_frequencies():
    """(number of claims, {stem: how many claims use it}), once per revision of the archive."""

    def compute():
        claims = Claim.objects.all()
        if on_postgresql(claims):
            with connections[claims.db].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM claims_claim")
                (count,) = cursor.fetchone()
                cursor.execute(
                    "SELECT word, ndoc FROM ts_stat('SELECT search_document FROM claims_claim "
                    "WHERE search_document IS NOT NULL')"
                )
                return count, dict(cursor.fetchall())
        frequencies = {}
        for words in terms_of(claims).values():
            for word in words:
                frequencies[word] = frequencies.get(word, 0) + 1
        return claims.count(), frequencies

    return per_revision("claim-term-frequencies", compute)


class Weights:
    """A word's weight: the log of how many times rarer than "in every claim" it is."""

    def __init__(self):
        self.count, self.frequencies = document_frequencies()
        self.known = {}

    def __call__(self, word):
        if word not in self.known:
            self.known[word] = math.log((self.count + 1) / (self.frequencies.get(word, 0) + 1))
        return self.known[word]

    def score(self, mine, theirs):
        union = sum(self(word) for word in mine | theirs)
        return sum(self(word) for word in mine & theirs) / union if union else 0.0

    def rarest(self, words, limit):
        return sorted(words, key=lambda word: (-self(word), word))[:limit]


def suggestions_for_letter(letter, limit=20):
    """The best suggestions pairing the letter's claims with claims of other letters, best first.

    A pair already in recurring assertions (the same or two different ones: that would be a
    merge, not a match) is not suggested, nor one an editor rejected. A fixed number of queries,
    whatever the number of claims.
    """
    weights = Weights()
    own = words_of(Claim.objects.filter(letter=letter))
    if not own:
        return []
    others = Claim.objects.exclude(letter=letter).order_by("pk")
    if on_postgresql(others):  # only claims sharing one of the rarest words, found on the index
        rare = {word for _, words in own.values() for word in weights.rarest(words, RARE_TERMS)}
        query = to_tsquery(rare)
        # Past CANDIDATES, keep those sharing the most of those words, not the oldest.
        others = (
            others.filter(search_document=query)
            .annotate(shared=SearchRank(models.F("search_document"), query))
            .order_by("-shared", "pk")
            if rare
            else others.none()
        )
    others = words_of(others[:CANDIDATES])
    rejected = rejected_pairs([*own, *others])
    found = []
    for pk, (claim, words) in own.items():
        for other_pk, (other, other_words) in others.items():
            if pair(pk, other_pk) in rejected or (has_recurrence(claim) and has_recurrence(other)):
                continue
            score = weights.score(words, other_words)
            if score >= MIN_SCORE:
                found.append((score, claim, other, words & other_words))
    found.sort(key=lambda item: (-item[0], item[1].pk, item[2].pk))
    suggestions = []
    for score, claim, other, shared in found[:limit]:
        distinctive = [word for word in shared if weights(word) >= DISTINCTIVE]
        shown = surface_words(claim, other)
        words = tuple(shown.get(word, word) for word in weights.rarest(distinctive, 5))
        suggestions.append(Suggestion(claim, other, score, words))
    return suggestions


def words_of(claims):
    """{claim id: (claim, its stems)} for a queryset of claims; a claim in a recurring assertion
    speaks with its assertion's words too (title, note and its other claims'). Four queries."""
    claims = {
        claim.pk: claim
        for claim in claims.select_related("letter__sender", "recurrence__assertion")
    }
    terms = terms_of(Claim.objects.filter(pk__in=claims))
    by_assertion = assertion_words(
        {claim.recurrence.assertion_id for claim in claims.values() if has_recurrence(claim)}
    )
    return {
        pk: (
            claim,
            terms.get(pk, set())
            | (by_assertion[claim.recurrence.assertion_id] if has_recurrence(claim) else set()),
        )
        for pk, claim in claims.items()
    }


def surface_words(*claims):
    """{stem: a word with that stem as the claims (or their assertions) write it}."""
    shown = {}
    for claim in reversed(claims):
        text = f"{claim.statement} {claim.quote_exact}"
        if has_recurrence(claim):
            text += f" {claim.recurrence.assertion.title} {claim.recurrence.assertion.note}"
        shown.update(stems(text))
    return shown


def has_recurrence(claim):
    try:
        return claim.recurrence is not None
    except Recurrence.DoesNotExist:
        return False


def assertion_words(assertion_ids):
    """{assertion id: the stems of its title, note and claims}: two queries for them all."""
    words = {pk: set() for pk in assertion_ids}
    if not assertion_ids:
        return words
    owner = dict(
        Recurrence.objects.filter(assertion_id__in=assertion_ids).values_list(
            "claim_id", "assertion_id"
        )
    )
    for claim_id, claim_words in terms_of(Claim.objects.filter(pk__in=owner)).items():
        words[owner[claim_id]] |= claim_words
    assertions = RecurringAssertion.objects.filter(pk__in=assertion_ids)
    for pk, title, note in assertions.values_list("pk", "title", "note"):
        words[pk] |= set(stems(f"{title} {note}"))
    return words


def pair(first, second):
    return (first, second) if first < second else (second, first)


def rejected_pairs(claim_ids):
    rows = RejectedMatch.objects.filter(first__in=claim_ids, second__in=claim_ids)
    return set(rows.values_list("first_id", "second_id"))


def to_tsquery(words):
    """The stems as one query matching any of them, taken as they are (the 'simple' configuration)."""
    text = " | ".join(f"'{word}'" for word in sorted(words) if LEXEME.fullmatch(word))
    return SearchQuery(text, search_type="raw", config="simple")


@transaction.atomic
def reject(claim, other, reason, editor):
    """Record that the two claims do not make the same assertion: not suggested again."""
    first, second = sorted([claim, other], key=lambda row: row.pk)
    match = RejectedMatch(first=first, second=second, reason=reason, decided_by=editor)
    match._change_reason = reason[:100]
    match.full_clean()
    match.save()
    return match


@transaction.atomic
def confirm(claim, other, reason, editor, title=""):
    """Record that the two claims make the same assertion: the one either already makes, else a
    new one with `title`. Returns the assertion; ValidationError says what is wrong."""
    if claim.letter_id == other.letter_id:
        raise ValidationError("Both claims are in one letter: a recurring assertion spans letters.")
    have = {row.recurrence.assertion for row in (claim, other) if has_recurrence(row)}
    if len(have) > 1:
        raise ValidationError(
            "Each claim already makes another recurring assertion; to join them, move the claims "
            "of one on the other's page."
        )
    if have:
        assertion = have.pop()
    else:
        if not title.strip():
            raise ValidationError(
                "Neither claim makes a recurring assertion yet: give the new one its wording."
            )
        assertion = RecurringAssertion(slug=free_slug(title), title=title.strip())
        assertion.full_clean()
        assertion._change_reason = reason[:100]
        assertion.save()
    for row in (claim, other):
        if not has_recurrence(row):
            recurrence = Recurrence(
                claim=row, assertion=assertion, reason=reason, confirmed_by=editor
            )
            recurrence._change_reason = reason[:100]
            recurrence.save()
    return assertion


def free_slug(title):
    """An address name for a new assertion from its wording, numbered past any taken."""
    base = slugify(title)[:90] or "assertion"
    slug, number = base, 2
    while RecurringAssertion.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
