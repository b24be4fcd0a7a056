"""One search backend per database, each with the same functions (as Wagtail's search backends)."""

from django.db import connections

from . import postgres, sqlite


def for_queryset(queryset):
    """The backend for the database the queryset reads from."""
    return postgres if connections[queryset.db].vendor == "postgresql" else sqlite
