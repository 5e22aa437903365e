"""URL configuration: language-prefixed pages, Dutch without prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Technohub NOP – beheer")
admin.site.site_title = "Technohub NOP"
admin.site.index_title = _("Beheer van de hub")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("toegankelijkheid/", views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("beheer/", admin.site.urls),
    prefix_default_language=False,
)
