"""JSON, the same bytes whatever the Accept header asks: the page cache and ETags key on the
address alone, so an `indent=4` asked by one client must not reach the next."""

from rest_framework.renderers import JSONRenderer


class PlainJSON(JSONRenderer):
    def get_indent(self, accepted_media_type, renderer_context):
        return None
