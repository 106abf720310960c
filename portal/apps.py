from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's admin site; named in INSTALLED_APPS."""

    default = False
    default_site = "portal.admin_tools.PortalAdminSite"


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal og temaer"

    def ready(self):
        from .cachetable import create_cache_table

        post_migrate.connect(create_cache_table, sender=self)
