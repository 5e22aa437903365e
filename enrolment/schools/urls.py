"""A teacher's school visits (``mijn-schoolbezoeken/``), the host's answer link, and the
coordinator's pages, which the back office mounts (``backoffice:``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import after_views, planning_views, teacher_views

app_name = "school_requests"

urlpatterns: list = [
    path(_("gastbedrijf/<str:token>/"), planning_views.host_answer, name="host_answer"),
    path(_("mijn-schoolbezoeken/<int:pk>/bezoek.ics"), after_views.visit_ics, name="ics"),
    path(
        _("mijn-schoolbezoeken/<int:pk>/aankomst.pdf"),
        after_views.arrival_sheet,
        name="arrival_sheet",
    ),
    path(_("mijn-schoolbezoeken/<int:pk>/evaluatie/"), after_views.evaluate, name="evaluate"),
    path(_("scholen/<slug:slug>/aanvragen/"), teacher_views.new, name="new"),
    path(_("mijn-schoolbezoeken/"), teacher_views.mine, name="mine"),
    path(_("mijn-schoolbezoeken/<int:pk>/"), teacher_views.detail, name="detail"),
    path(_("mijn-schoolbezoeken/<int:pk>/annuleren/"), teacher_views.cancel, name="cancel"),
    path(_("mijn-schoolbezoeken/<int:pk>/verzetten/"), teacher_views.reschedule, name="reschedule"),
]

backoffice_urlpatterns: list = [
    path(_("beheer-scholen/"), planning_views.calendar, name="school_planning"),
    path(
        _("beheer-scholen/aanvragen/<int:pk>/"),
        planning_views.request_detail,
        name="school_request",
    ),
    path(
        _("beheer-scholen/aanvragen/<int:pk>/inplannen/"),
        planning_views.allocate,
        name="school_allocate",
    ),
    path(
        _("beheer-scholen/aanvragen/<int:pk>/annuleren/"),
        planning_views.cancel,
        name="school_cancel",
    ),
    path(_("beheer-scholen/verantwoording/"), after_views.school_report, name="school_report"),
]
