from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims: what letters assert and how it stands"

    def ready(self):
        from core import page_cache

        page_cache.watch_app(self.label)
