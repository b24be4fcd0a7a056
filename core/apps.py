from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core: pages, paging, search and the page cache"

    def ready(self):
        from . import page_cache

        page_cache.connect_signals()
