"""Every page of the hub's back office outside the admin, under one namespace: ``backoffice:``.

The programme manager's (and trainers') pages: the start page ("Vandaag") and the dashboard
live here; the other pages live with the capability they show and are gathered here, so this
list is the back office.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from companies.demand import urls as demand_urls
from companies.funding import urls as funding_urls
from enrolment.attendance import urls as attendance_urls
from enrolment.evaluation import urls as evaluation_urls
from enrolment.schools import urls as school_urls
from enrolment.transfer import urls as transfer_urls
from technohub.privacy import urls as privacy_urls

from . import views

app_name = "backoffice"

urlpatterns = [
    path(_("beheer-vandaag/"), views.TodayView.as_view(), name="today"),
    path(
        _("beheer-vandaag/uitvoering/<int:offering_pk>/gaat-door/"),
        views.decide_go,
        name="go_decision",
    ),
    path(_("beheer-dashboard/"), views.DashboardView.as_view(), name="dashboard"),
    *attendance_urls.backoffice_urlpatterns,
    *demand_urls.backoffice_urlpatterns,
    *evaluation_urls.backoffice_urlpatterns,
    *funding_urls.backoffice_urlpatterns,
    *privacy_urls.backoffice_urlpatterns,
    *school_urls.backoffice_urlpatterns,
    *transfer_urls.backoffice_urlpatterns,
]
