"""What every public list page shares: filters in the URL, paging that never fails.

Pages are keyset-paged (core/keyset.py): `?after=` and `?before=` carry a cursor, so
a deep page costs what the first costs. A bad parameter (an unknown filter value, a
damaged cursor, a NUL byte) is a 400 page that says what is wrong, never a 500.
"""

from django.utils.functional import cached_property
from django_filters.views import FilterView

from core import keyset, page_cache


def has_nul(query_dict):
    # PostgreSQL refuses NUL in text; refuse it here so no query ever sees one.
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class BrowseView(FilterView):
    """A FilterView with keyset paging, cheap counts and an honest status code."""

    paginate_by = 50
    page_error = ""  # a 400: the request was wrong
    page_end = ""  # a 200: the link points past the rows there are now

    def get(self, request, *args, **kwargs):
        page_cache.accepts_parameters(
            request, {*self.filterset_class.base_filters, "after", "before", "page"}
        )
        if has_nul(request.GET):
            self.page_error = "A parameter contained a NUL character; remove it and try again."
            request.GET = request.GET.copy()
            request.GET.clear()
        return super().get(request, *args, **kwargs)

    @cached_property
    def query_is_bad(self):
        return bool(self.page_error) or (self.filterset.is_bound and not self.filterset.is_valid())

    def paginate_queryset(self, queryset, page_size):
        params = self.request.GET
        try:
            page = keyset.paginate(
                queryset, page_size, params.get("after", ""), params.get("before", "")
            )
        except keyset.BadCursor as error:
            self.page_error = str(error)
            page = keyset.paginate(queryset, page_size)
        page.count, page.count_is_estimate = keyset.count(queryset)
        if not page.object_list and (page.has_previous or page.has_next) and not self.page_error:
            # A link made before rows were removed, or a hand-made one: say so, but it is not an error.
            self.page_end = f"Nothing comes {'after' if page.has_previous else 'before'} this point in the list."
        return None, page, page.object_list, page.has_previous or page.has_next

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_error"] = self.page_error or self.page_end
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.query_is_bad:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)
