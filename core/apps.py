from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core: pages, paging, search and the page cache"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import page_cache, planner

        page_cache.connect_signals()
        connection_created.connect(planner.limit_join_search)
