"""Site-wide pages: home, accessibility statement, privacy statement."""

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
