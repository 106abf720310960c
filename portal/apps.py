from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal og temaer"

    def ready(self):
        from .cachetable import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)
