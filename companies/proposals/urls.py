"""Proposal pages for HR, colleges and the programme manager (namespace ``proposals``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views
from .offer_urls import offer_urlpatterns

app_name = "proposals"

urlpatterns = [
    path(_("voorstellen/"), views.proposal_list, name="list"),
    path(_("voorstellen/nieuw/"), views.new_proposal, name="new"),
    path(_("voorstellen/<int:pk>/"), views.proposal_detail, name="detail"),
    path(_("voorstellen/<int:pk>/meedoen/"), views.pledge, name="pledge"),
    path(_("voorstellen/<int:pk>/sluiten/"), views.close, name="close"),
    *offer_urlpatterns,
]
