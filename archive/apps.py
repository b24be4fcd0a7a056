from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive: letters, correspondents and sources"

    def ready(self):
        from . import page_cache

        page_cache.connect_signals()
