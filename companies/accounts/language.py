"""A user's preferred language, applied when they log in or confirm their address."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import translate_url
from django.utils import translation

from ..models import User


def in_preferred_language(response: HttpResponse, *, user: User) -> HttpResponse:
    """Point ``response``'s redirect at the same page in ``user``'s preferred language, and set
    the language cookie to it, so they read the site in that language from the first page on.

    The redirect target may be in either language (a ``next`` from another page), so it is read
    in the language its own path says before it is translated.
    """
    language = user.preferred_language
    if language not in dict(settings.LANGUAGES):
        return response
    location = response.get("Location")
    if location:
        written_in = translation.get_language_from_path(location) or settings.LANGUAGE_CODE
        with translation.override(written_in):
            response["Location"] = translate_url(location, language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
