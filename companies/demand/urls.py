"""Asking for training: a learner's "Houd me op de hoogte", HR's training needs and interest,
what the region asks for, and (for the back office) the demand board."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "demand"

urlpatterns = [
    path(_("bedrijf/<slug:slug>/behoeften/"), views.needs, name="needs"),
    path(_("bedrijf/<slug:slug>/behoeften/nieuw/"), views.new_need, name="new_need"),
    path(_("bedrijf/<slug:slug>/behoeften/<int:pk>/wijzigen/"), views.edit_need, name="edit_need"),
    path(
        _("bedrijf/<slug:slug>/behoeften/<int:pk>/intrekken/"),
        views.withdraw_need,
        name="withdraw_need",
    ),
    path(_("bedrijf/<slug:slug>/interesse/"), views.company_interest, name="company_interest"),
    path(
        _("cursussen/<slug:slug>/op-de-hoogte/"),
        views.register_interest,
        name="register_interest",
    ),
    path(
        _("cursussen/<slug:slug>/op-de-hoogte/stoppen/"),
        views.withdraw_interest,
        name="withdraw_interest",
    ),
    path(_("gevraagd/"), views.summary, name="summary"),
]

# Mounted by the back office (technohub.backoffice.urls).
backoffice_urlpatterns = [
    path(_("beheer-vraag/"), views.board, name="demand_board"),
]
