"""Linked data embedded in pages: a claim's ClaimReview as a JSON-LD data block."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from interchange import linked_data

register = template.Library()

# As Django's json_script does: JSON that cannot close its <script> element or open another.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A JSON-LD data block (not run by browsers), safe to embed whatever strings it carries."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).translate(
        SCRIPT_SAFE
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def claim_review(context, claim):
    """The claim's schema.org ClaimReview, or None: only the editors' own assessments have one."""
    return linked_data.claim_review(claim, context["request"].build_absolute_uri)
