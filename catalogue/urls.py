from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "catalogue"

urlpatterns = [
    path(_("cursussen/"), views.CourseListView.as_view(), name="course_list"),
    path(_("cursussen/<slug:slug>/"), views.CourseDetailView.as_view(), name="course_detail"),
    path(_("uitvoeringen/<int:pk>/agenda.ics"), views.offering_calendar, name="offering_ics"),
    path(_("locaties/"), views.LocationListView.as_view(), name="location_list"),
    path(_("locaties/<slug:slug>/"), views.LocationDetailView.as_view(), name="location_detail"),
]
