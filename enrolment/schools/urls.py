"""A teacher's school visits (``mijn-schoolbezoeken/``), the host's answer link, and the
coordinator's pages, which the back office mounts (``backoffice:``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import after_views

app_name = "school_requests"

urlpatterns: list = [
    path(_("mijn-schoolbezoeken/<int:pk>/bezoek.ics"), after_views.visit_ics, name="ics"),
    path(
        _("mijn-schoolbezoeken/<int:pk>/aankomst.pdf"),
        after_views.arrival_sheet,
        name="arrival_sheet",
    ),
    path(_("mijn-schoolbezoeken/<int:pk>/evaluatie/"), after_views.evaluate, name="evaluate"),
]

backoffice_urlpatterns: list = [
    path(_("beheer-scholen/verantwoording/"), after_views.school_report, name="school_report"),
]
