"""The programme manager's start page and dashboard (the other back-office pages live with their
capability)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from catalogue import services as catalogue_services
from catalogue.models import Offering
from companies.models import StaffPermission
from technohub.errors import DomainError
from technohub.permissions import staff_permission_required

from . import charts
from .dashboard import StaffDashboard, get_staff_dashboard
from .today import get_today


@method_decorator(staff_permission_required(StaffPermission.DASHBOARD), name="dispatch")
class TodayView(TemplateView):
    """The programme manager's start page: what needs attention today, each count linked to
    the list behind it (``today.get_today``). Needs the dashboard permission; acting on a run
    (go or cancel) needs the right to change runs as well."""

    template_name = "backoffice/today.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = get_today(now=timezone.now())
        return context


@require_POST
@staff_permission_required(StaffPermission.DASHBOARD, "catalogue.change_offering")
def decide_go(request, offering_pk: int):
    """Record that a run below its minimum goes ahead; back to the start page."""
    offering = get_object_or_404(Offering.objects.select_related("course"), pk=offering_pk)
    try:
        catalogue_services.decide_offering_goes(offering_id=offering.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("%(offering)s gaat door; de uitvoering staat niet meer bij go/no-go.")
            % {"offering": offering.course.localized("title")},
        )
    return redirect("backoffice:today")


@method_decorator(staff_permission_required(StaffPermission.DASHBOARD), name="dispatch")
class DashboardView(TemplateView):
    """The programme manager's dashboard: go/no-go, fill rates, waiting lists and demand.

    Needs the dashboard permission (403 without; visitors are sent to the admin login).
    Read-only: every number comes from ``dashboard.get_staff_dashboard``; this view only turns
    them into charts.
    """

    template_name = "backoffice/dashboard.html"

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
                    label=f"{offering.course_title} – {offering.location_name}, "
                    f"{date_format(localtime(offering.first_starts_at), 'SHORT_DATE_FORMAT')}",
                    value=offering.fill_rate,
                    text=f"{offering.fill_rate}% ({offering.confirmed}/{offering.capacity})",
                    marker=100 * offering.min_participants / offering.capacity,
                )
                for offering in dashboard.upcoming
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
