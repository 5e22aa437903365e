from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "enrolment"

urlpatterns = [
    path(_("uitvoeringen/<int:pk>/inschrijven/"), views.enrol, name="enrol"),
    path(_("mijn-cursussen/"), views.my_courses, name="my_courses"),
    path(_("mijn-cursussen/<int:pk>/annuleren/"), views.cancel, name="cancel"),
]
