"""Claims shown on archive pages, so archive/ never imports claims/; and safe search highlighting."""
from django import template
from django.db.models import Prefetch
from django.urls import reverse

from archive.highlight import Span, highlight
from archive.search_text import mark_terms, positive_terms, render_headline, snippet

from ..models import Claim, Response

register = template.Library()

ACTOR_ROWS = 20


def claim_span(claim):
    return Span(
        start=claim.quote_start,
        end=claim.quote_end,
        key=f"quote-claim-{claim.pk}",
        label=f"Claim {claim.position}: {claim.status.label}",
        url=claim.get_absolute_url(),
        css_class=f"status-{claim.status.slug}",
    )


@register.inclusion_tag("claims/includes/letter_claims.html")
def letter_claims(letter):
    """The letter's sources with every claim highlighted in place, then the claims and responses."""
    claims = list(
        Claim.objects.filter(letter=letter).select_related("status").order_by("position", "pk")
    )
    texts = []
    for source in letter.sources.all():
        spans = [claim_span(claim) for claim in claims if claim.source_id == source.pk and not claim.is_orphan]
        texts.append({"source": source, "html": highlight(source.text, spans), "claim_count": len(spans)})
    return {
        "letter": letter,
        "claims": claims,
        "orphans": [claim for claim in claims if claim.is_orphan],
        "texts": texts,
        "responses": Response.objects.filter(letter=letter).select_related("actor", "source").order_by("pk"),
    }


@register.inclusion_tag("claims/includes/actor_claims.html")
def actor_claims(actor):
    """Claims about the actor and the responses it gave, each the first few with a link to all."""
    about = Claim.objects.filter(about=actor).select_related("letter__sender", "status")
    given = Response.objects.filter(actor=actor).select_related("claim__letter", "claim__status", "letter")
    return {
        "actor": actor,
        "claims_about": about.order_by("-letter__date_earliest", "letter_id", "position", "pk")[:ACTOR_ROWS],
        "claims_about_count": about.count(),
        "responses": given.order_by("-pk")[:ACTOR_ROWS],
        "responses_count": given.count(),
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
