"""Site-wide pages: home, accessibility statement, privacy statement, robots.txt."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from catalogue.selectors import list_upcoming_offerings
from companies.demand.board import summarise_demand

from .page_cache import cached_for_visitors
from .privacy import retention


@method_decorator(cached_for_visitors, name="dispatch")
class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming_offerings"] = list_upcoming_offerings(limit=6)
        context["demand"] = summarise_demand(limit=3)
        return context


class AccessibilityView(TemplateView):
    template_name = "pages/accessibility.html"


class PrivacyView(TemplateView):
    """The privacy statement. Its retention periods come from the ``PRIVACY_*`` settings that
    the retention tasks enforce, so it cannot promise something else."""

    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(periods=retention.statement_periods(), **kwargs)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public site, not the admin; the sitemap lists every page."""
    lines = [
        "User-agent: *",
        # The admin and the staff pages (beheer-…), in both languages.
        "Disallow: /beheer",
        "Disallow: /en/beheer",
        "Disallow: /en/admin-",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
