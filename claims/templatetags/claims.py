"""Claims shown on archive pages, so archive/ never imports claims/; and safe search highlighting."""

from django import template
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from archive.models import count_published
from archive.templatetags.letters import letter_date
from core.highlight import Span, highlight
from core.search.headlines import mark_terms, render_headline, snippet
from core.search.query import positive_terms

from ..basis import claim_phrase, labelled, reviewer_name
from ..models import ATTRIBUTION, Claim, Response
from ..past import letter_claims_as_of

register = template.Library()

ACTOR_ROWS = 20


@register.simple_tag
def status_badge(status):
    """A claim's verification status, styled by its slug (a tag: list pages show fifty)."""
    return format_html('<span class="status status-{}">{}</span>', status.slug, status.label)


@register.simple_tag
def status_with_basis(claim, quoted=False, sentence=False):
    """The status and whose it is: "Disputed: Iran denies it" (claims.basis words it); with
    `sentence`, ended by a full stop unless the source's words already end one.

    The caller prefetches the claim's responses with their actors, its status source and reviewer.
    """
    phrase = claim_phrase(claim, quoted)
    if sentence and not phrase.endswith((".", ".”", "?”", "!”")):
        phrase += "."
    return format_html("{}{}", status_badge(claim.status), phrase)


@register.simple_tag
def attributed(claim, statement=None):
    """The claim as the sender's assertion, escaped: the one spelling in pages, worded as
    `Claim.attributed_statement` words it (claims.models.ATTRIBUTION); `statement` may be the
    statement with search marks."""
    return format_html(
        ATTRIBUTION,
        sender=claim.letter.sender,
        statement=claim.statement if statement is None else statement,
    )


def claim_span(claim, query=""):
    return Span(
        start=claim.quote_start,
        end=claim.quote_end,
        key=f"quote-claim-{claim.pk}",
        label=f"Claim {claim.position}: {labelled(claim.status)}",
        url=claim.get_absolute_url() + query,
        css_class=f"status-{claim.status.slug}",
    )


def as_of_query(past):
    return f"?as_of={past.day.isoformat()}" if past is not None else ""


@register.inclusion_tag("claims/includes/letter_claims.html")
def letter_claims(letter, past=None):
    """The letter's sources with every claim highlighted in place, then the claims and responses.

    With `past` (history.past.Past), all of it as it stood then.
    """
    if past is not None:
        claims, responses = letter_claims_as_of(past, letter)
    else:
        claims = list(Claim.objects.in_letter(letter).with_basis())
        responses = Response.objects.to_whole_letter(letter)
    for claim in claims:
        claim.letter = letter  # for its attribution, without a query each
    texts = []
    for source in letter.sources.all():
        spans = [
            claim_span(claim, as_of_query(past))
            for claim in claims
            if claim.source_id == source.pk and not claim.is_orphan
        ]
        texts.append(
            {"source": source, "html": highlight(source.text, spans), "claim_count": len(spans)}
        )
    return {
        "letter": letter,
        "claims": claims,
        "orphans": [claim for claim in claims if claim.is_orphan],
        "texts": texts,
        "responses": responses,
        "past": past,
        "as_of": as_of_query(past),
    }


@register.inclusion_tag("claims/includes/actor_claims.html")
def actor_claims(actor):
    """Claims about the actor and the responses it gave, each the first few with a link to all."""
    given = Response.objects.published().given_by(actor)
    return {
        "actor": actor,
        "claims_about": Claim.objects.published()
        .about(actor)
        .for_list()
        .in_list_order()[:ACTOR_ROWS],
        "claims_about_count": Claim.objects.count_about(actor),
        "responses": given.with_targets()[:ACTOR_ROWS],
        "responses_count": count_published(Response.objects.given_by(actor), given),
        "claims_url": reverse("claims:claim-list"),
    }


@register.simple_tag
def search_highlight(obj, field, query, as_snippet=False):
    """A field with the search terms marked: PostgreSQL's headline when there is one, else marked here.

    Everything is escaped; only the <mark> tags are markup.
    """
    headline = getattr(obj, f"{field}_headline", None)
    if headline:
        return render_headline(headline)
    text = getattr(obj, field)
    terms = positive_terms(query or "")
    if as_snippet:
        text = snippet(text, terms)
    return mark_terms(text, terms)


@register.simple_tag
def claim_summary(claim, query=""):
    """One claim in a list: attributed, beside its status and who has responded.

    A tag, not an included template: a list page shows fifty, and as an include they took
    half of a search page's rendering time (docs/performance.md).
    """
    letter = claim.letter
    parts = [
        format_html(
            '<article class="claim-summary" aria-labelledby="claim-{pk}-title">\n'
            '<h3 id="claim-{pk}-title"><a href="{url}">{attributed}</a></h3>\n'
            '<p class="claim-meta">Status: {status} · {kind} · In <a href="{letter_url}">{title}</a> ({date})</p>\n',
            pk=claim.pk,
            url=claim.get_absolute_url(),
            attributed=attributed(
                claim, search_highlight(claim, "statement", query) if query else None
            ),
            status=status_with_basis(claim),
            kind=claim.get_kind_display(),
            letter_url=letter.get_absolute_url(),
            title=letter.title,
            date=letter_date(letter),
        )
    ]
    if query:
        quote = search_highlight(claim, "quote_exact", query, as_snippet=True)
        parts.append(format_html('<p class="quote-snippet">Quote: “{}”</p>\n', quote))
    if responses := claim.responses.all():
        stances = (
            (response.actor, response.get_stance_display().lower()) for response in responses
        )
        parts.append(
            format_html(
                '<p class="claim-responses">Responses: {}</p>\n',
                format_html_join("; ", "{}: {}", stances),
            )
        )
    parts.append(mark_safe("</article>"))
    return mark_safe("".join(parts))


@register.simple_tag
def recurrence_basis(recurrence):
    """Who linked a claim to its recurring assertion, when and why: the editors' judgement, as such."""
    who = reviewer_name(recurrence.confirmed_by) or "the editors"
    return format_html(
        "Linked to this assertion by {} on {}: {}",
        who,
        date(recurrence.confirmed_at, "j F Y"),
        recurrence.reason,
    )
