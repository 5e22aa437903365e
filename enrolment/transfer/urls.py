"""The hub's page of application questions (mounted by the back office)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

backoffice_urlpatterns = [
    path(_("beheer-toepassing/"), views.transfer_results, name="transfer_results"),
]
