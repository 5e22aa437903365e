"""Site-wide pages: home, accessibility statement, privacy statement."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from catalogue.selectors import list_upcoming_offerings


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming_offerings"] = list_upcoming_offerings(limit=6)
        return context


class AccessibilityView(TemplateView):
    template_name = "pages/accessibility.html"


class PrivacyView(TemplateView):
    template_name = "pages/privacy.html"


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public site, not the admin; the sitemap lists every page."""
    lines = [
        "User-agent: *",
        "Disallow: /beheer/",
        "Disallow: /en/beheer/",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
