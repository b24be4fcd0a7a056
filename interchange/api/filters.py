"""The pages' own filters (django-filter FilterSets) applied to the API's lists."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes

from archive.filters import LetterFilter
from claims.filters import ClaimFilter


class PageFilters(DjangoFilterBackend):
    """A FilterSet's errors are a 400 naming each parameter, as on the pages; a search ranks but
    draws no highlighted snippets (nobody reads them)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None and hasattr(filterset, "show_headlines"):
            filterset.show_headlines = False
        return filterset


# A party chosen by address name (`recipient`, `responder`) is a string in the OpenAPI
# document; drf-spectacular cannot tell from the filter, whose method takes the actor.
for filterset, name in ((LetterFilter, "recipient"), (ClaimFilter, "responder")):
    set_override(filterset.base_filters[name], "field", OpenApiTypes.STR)
