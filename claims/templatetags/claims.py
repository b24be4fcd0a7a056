"""The letter page shows its claims through this tag, so archive/ never imports claims/."""
from django import template

from claims.models import Claim, Response

register = template.Library()


@register.inclusion_tag("claims/letter_claims.html")
def letter_claims(letter):
    return {
        "claims": Claim.objects.filter(letter=letter).select_related("status").order_by("position", "pk"),
        "responses": Response.objects.filter(letter=letter).select_related("actor").order_by("pk"),
    }
