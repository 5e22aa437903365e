"""A college's own pages, under ``aanbieder/`` (English ``provider/``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "college"

urlpatterns = [
    path(_("aanbieder/"), views.start, name="start"),
    path(_("aanbieder/<slug:slug>/"), views.overview, name="overview"),
    path(_("aanbieder/<slug:slug>/cursussen/nieuw/"), views.new_course, name="new_course"),
    path(
        _("aanbieder/<slug:slug>/cursussen/<int:pk>/bewerken/"),
        views.edit_course,
        name="edit_course",
    ),
    path(_("aanbieder/<slug:slug>/uitvoeringen/nieuw/"), views.new_offering, name="new_offering"),
    path(_("aanbieder/<slug:slug>/uitvoeringen/<int:pk>/"), views.offering, name="offering"),
    path(
        _("aanbieder/<slug:slug>/uitvoeringen/<int:pk>/bericht/"),
        views.message,
        name="message",
    ),
]
