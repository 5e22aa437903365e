"""URL configuration: language-prefixed pages, Dutch without prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from companies.accounts.forms import AdminLoginForm

from . import health, sitemaps, views

admin.site.site_header = _("Technohub NOP – beheer")
admin.site.site_title = "Technohub NOP"
admin.site.index_title = _("Beheer van de hub")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    # The language switch only sets a cookie with the display language, which a forged request
    # cannot abuse; it takes no CSRF token, so the pages that carry it can be cached for all.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("health/", health.health, name="health"),
    path(
        "sitemap.xml",
        sitemap_view,
        {"sitemaps": sitemaps.SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path(_("toegankelijkheid/"), views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("", include("catalogue.urls")),
    path("", include("enrolment.urls")),
    path("", include("enrolment.evaluation.urls")),
    path("", include("companies.accounts.urls")),
    path("", include("technohub.privacy.urls")),
    path("", include("companies.portal.urls")),
    path("", include("companies.demand.urls")),
    path("", include("companies.proposals.urls")),
    path("", include("technohub.backoffice.urls")),
    path("", include("catalogue.college.urls")),
    path("", include("catalogue.schools.urls")),
    path("", include("enrolment.schools.urls")),
    path("beheer/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "technohub.error_views.bad_request"
handler403 = "technohub.error_views.permission_denied"
handler404 = "technohub.error_views.page_not_found"
handler500 = "technohub.error_views.server_error"
