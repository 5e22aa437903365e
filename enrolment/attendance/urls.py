"""Attendance pages for trainers and the programme manager (mounted by the back office)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

backoffice_urlpatterns = [
    path(_("beheer-aanwezigheid/"), views.attendance_index, name="attendance_index"),
    path(_("beheer-aanwezigheid/<int:meeting_pk>/"), views.attendance, name="attendance"),
    path(
        _("beheer-aanwezigheid/uitvoering/<int:offering_pk>/afronden/"),
        views.complete_offering,
        name="complete_offering",
    ),
]
