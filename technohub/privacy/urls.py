from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "privacy"

urlpatterns = [
    path(_("account/mijn-gegevens/downloaden/"), views.download_my_data, name="download"),
]
