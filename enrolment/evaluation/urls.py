"""The evaluation pages: the learner's answer (a personal link, no log-in), the college's
results; the programme manager's page is mounted by the back office."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "evaluation"

urlpatterns = [
    path(_("evaluatie/<str:token>/"), views.answer, name="answer"),
    path(
        _("aanbieder/<slug:slug>/evaluaties/"),
        views.provider_results,
        name="provider_results",
    ),
]

backoffice_urlpatterns = [
    path(_("beheer-evaluaties/"), views.all_results, name="evaluations"),
]
