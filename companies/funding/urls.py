"""Funding pages. So far one, for the back office: the funding report per company and period."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

# Mounted by the back office (technohub.backoffice.urls).
backoffice_urlpatterns = [
    path(_("beheer-subsidie/"), views.funding_report, name="funding_report"),
]
