from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive: letters, correspondents and sources"

    def ready(self):
        from core import page_cache

        page_cache.watch_app(self.label)
