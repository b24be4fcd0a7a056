"""What every public list page shares: filters in the URL, paging that never fails.

A bad parameter (an unknown filter value, page "abc", a NUL byte) is a 400 page that
says what is wrong, never a 500; a page past the end is an empty 200 page saying so.
"""
from django.core.paginator import Page
from django.utils.functional import cached_property
from django_filters.views import FilterView


def has_nul(query_dict):
    # PostgreSQL refuses NUL in text; refuse it here so no query ever sees one.
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class BrowseView(FilterView):
    """A FilterView with forgiving paging and an honest status code."""

    paginate_by = 50
    page_error = ""

    def get(self, request, *args, **kwargs):
        if has_nul(request.GET):
            self.page_error = "A parameter contained a NUL character; remove it and try again."
            request.GET = request.GET.copy()
            request.GET.clear()
        return super().get(request, *args, **kwargs)

    @cached_property
    def query_is_bad(self):
        return bool(self.page_error) or (self.filterset.is_bound and not self.filterset.is_valid())

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get(self.page_kwarg) or "1"
        try:
            number = int(raw)
            if number < 1:
                raise ValueError
        except (TypeError, ValueError):
            self.page_error = "The page number must be a whole number from 1 up."
            number = 1
        if number > paginator.num_pages:
            if not self.page_error:
                self.page_error = (
                    f"There is no page {number}: these results have {paginator.num_pages} "
                    f"page{'s' if paginator.num_pages != 1 else ''}."
                )
                self.page_out_of_range = True
            page = Page([], number, paginator)
            return paginator, page, [], page.has_other_pages()
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_error"] = self.page_error
        return context

    def render_to_response(self, context, **response_kwargs):
        bad_request = self.query_is_bad and not getattr(self, "page_out_of_range", False)
        if bad_request:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)
