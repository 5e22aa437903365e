from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechnohubConfig(AppConfig):
    name = "technohub"
    verbose_name = _("Technohub")

    def ready(self) -> None:
        from . import admin_widgets, page_cache

        page_cache.connect_signals()
        admin_widgets.install_admin_widgets()
