from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import register, views

app_name = "privacy"

urlpatterns = [
    path(_("account/mijn-gegevens/downloaden/"), views.download_my_data, name="download"),
    path(_("account/verwijderen/"), views.erase_account, name="erase_account"),
    path(_("account/verwijderd/"), views.account_erased, name="account_erased"),
]

# Mounted by the back office (technohub.backoffice.urls).
backoffice_urlpatterns = [
    path(_("beheer-register/"), register.processing_register, name="processing_register"),
]
