from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "enrolment"

urlpatterns = [
    path(_("uitvoeringen/<int:pk>/inschrijven/"), views.enrol, name="enrol"),
    path(_("mijn-cursussen/"), views.my_courses, name="my_courses"),
    path(_("mijn-cursussen/<int:pk>/annuleren/"), views.cancel, name="cancel"),
    # Certificates: the learner's own download, and the public check of a code.
    path(
        _("mijn-cursussen/<int:pk>/certificaat.pdf"),
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    # Not translated on purpose: this address is printed on certificates and must keep working
    # for years, whatever a translator does to the English paths later.
    path("certificaat/<str:code>/", views.verify_certificate, name="verify_certificate"),
]
