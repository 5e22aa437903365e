"""The proposal pages: companies and colleges at the table."""

from .offer_urls import offer_urlpatterns

app_name = "proposals"

urlpatterns = [*offer_urlpatterns]
