"""The public offer for schools, under ``scholen/`` (English ``schools/``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "schools"

urlpatterns = [
    path(_("scholen/"), views.ActivityListView.as_view(), name="list"),
    path(_("scholen/<slug:slug>/"), views.ActivityDetailView.as_view(), name="activity"),
    path(_("scholen/<slug:slug>/materiaal/<int:pk>/"), views.material, name="material"),
]
