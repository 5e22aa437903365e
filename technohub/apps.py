from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class TechnohubConfig(AppConfig):
    name = "technohub"
    verbose_name = _("Technohub")

    def ready(self) -> None:
        from . import admin_widgets, page_cache

        page_cache.connect_signals()
        admin_widgets.install_admin_widgets()


class HubAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the hub's admin site (``technohub.admin_site.HubAdminSite``)."""

    default = False  # technohub's own config stays the default of this module

    default_site = "technohub.admin_site.HubAdminSite"
