"""Values every template may use."""

from django.conf import settings
from django.http import HttpRequest


def hub(request: HttpRequest) -> dict:
    return {"HUB_CONTACT_EMAIL": settings.HUB_CONTACT_EMAIL}
