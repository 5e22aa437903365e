"""Site-wide pages: home, accessibility statement, privacy statement, staff dashboard."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.views.generic import TemplateView

from catalogue.selectors import list_upcoming_offerings
from companies.demand_board import summarise_demand
from companies.models import StaffPermission

from . import charts
from .dashboard import StaffDashboard, get_staff_dashboard
from .page_cache import cached_for_visitors
from .permissions import staff_permission_required
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


@method_decorator(staff_permission_required(StaffPermission.DASHBOARD), name="dispatch")
class StaffDashboardView(TemplateView):
    """The programme manager's dashboard: go/no-go, fill rates, waiting lists and demand.

    Needs the dashboard permission (403 without; visitors are sent to the admin login).
    Read-only: every number comes from ``technohub.dashboard.get_staff_dashboard``; this view
    only turns them into charts.
    """

    template_name = "staff/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = get_staff_dashboard(now=timezone.now())
        context["dashboard"] = dashboard
        context["charts"] = _dashboard_charts(dashboard)
        return context


def _dashboard_charts(dashboard: StaffDashboard) -> dict[str, str]:
    """The dashboard's three charts as SVG markup; each is paired with a table on the page."""
    see_table = gettext("De cijfers staan ook in de tabel onder de grafiek.")
    return {
        "fill": charts.bar_chart(
            chart_id="chart-fill",
            title=gettext("Bezettingsgraad van de open uitvoeringen van de komende 8 weken"),
            description=gettext(
                "Per uitvoering het percentage bezette plaatsen; de streep markeert het "
                "minimum aantal deelnemers."
            )
            + " "
            + see_table,
            scale_max=100,
            bars=[
                charts.Bar(
                    label=f"{run.course_title} – {run.location_name}, "
                    f"{date_format(localtime(run.first_starts_at), 'SHORT_DATE_FORMAT')}",
                    value=run.fill_rate,
                    text=f"{run.fill_rate}% ({run.confirmed}/{run.capacity})",
                    marker=100 * run.min_participants / run.capacity,
                )
                for run in dashboard.upcoming
            ],
        ),
        "weeks": charts.column_chart(
            chart_id="chart-weeks",
            title=gettext("Nieuwe inschrijvingen per week, de laatste 12 weken"),
            description=see_table,
            columns=[
                charts.Bar(label=gettext("wk %(week)s") % {"week": week.iso_week}, value=week.count)
                for week in dashboard.weekly_enrolments
            ],
        ),
        "themes": charts.bar_chart(
            chart_id="chart-themes",
            title=gettext("Meest gevraagde thema's"),
            description=gettext(
                "Per thema de vraag: medewerkers in open opleidingsbehoeften plus "
                "inschrijvingen op een wachtlijst."
            )
            + " "
            + see_table,
            bars=[
                charts.Bar(label=theme.name, value=theme.total) for theme in dashboard.theme_demand
            ],
        ),
    }
