"""A URLconf that mounts the archive under another path (tests/core/test_links.py)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("config.urls"))]
