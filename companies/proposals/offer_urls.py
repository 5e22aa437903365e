"""The offer pages, in the ``proposals:`` namespace."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import offer_views

offer_urlpatterns = [
    path(_("voorstellen/<int:pk>/offerte/"), offer_views.offer, name="offer"),
    path(
        _("voorstellen/<int:pk>/offerte/intrekken/"),
        offer_views.withdraw_offer,
        name="withdraw_offer",
    ),
    path(
        _("voorstellen/<int:pk>/offertes/<int:offer_pk>/accepteren/"),
        offer_views.accept,
        name="accept",
    ),
]
