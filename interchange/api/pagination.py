"""Keyset pages for the API, the pages' own (core/keyset.py): after and before cursors.

A page is `{"count", "count_is_estimate", "next", "previous", "results"}`, with the next and
previous pages in a Link header as well (RFC 8288). page_size is 1 to 200, 50 unless given.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core import keyset

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class KeysetPagination(BasePagination):
    def page_size(self, request):
        given = request.query_params.get("page_size", "")
        if not given:
            return DEFAULT_PAGE_SIZE
        if not given.isascii() or not given.isdigit() or not 1 <= int(given) <= MAX_PAGE_SIZE:
            raise ValidationError(
                {"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return int(given)

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.request = request
        try:
            self.page = keyset.paginate(
                queryset, self.page_size(request), params.get("after", ""), params.get("before", "")
            )
        except keyset.BadCursor as error:
            raise ValidationError({"cursor": [str(error)]}) from None
        self.page.count, self.page.count_is_estimate = keyset.count(queryset)
        return self.page.object_list

    def link(self, cursor, name, other):
        if not cursor:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, other), name, cursor)

    def get_paginated_response(self, data):
        next_url = self.link(self.page.next_cursor, "after", "before")
        previous_url = self.link(self.page.previous_cursor, "before", "after")
        response = Response(
            {
                "count": self.page.count,
                "count_is_estimate": self.page.count_is_estimate,
                "next": next_url,
                "previous": previous_url,
                "results": data,
            }
        )
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((next_url, "next"), (previous_url, "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema):
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "count_is_estimate", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Exact up to 2,000; beyond, on PostgreSQL, the planner's estimate.",
                },
                "count_is_estimate": {"type": "boolean"},
                "next": {**link, "description": "The next page, or null."},
                "previous": {**link, "description": "The previous page, or null."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        cursor = {"type": "string"}
        return [
            {
                "name": "after",
                "in": "query",
                "required": False,
                "schema": cursor,
                "description": "A cursor from a page's next link: the page after it.",
            },
            {
                "name": "before",
                "in": "query",
                "required": False,
                "schema": cursor,
                "description": "A cursor from a page's previous link: the page before it.",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                },
                "description": "Rows a page.",
            },
        ]
