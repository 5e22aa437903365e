"""The site's URLs plus pages that fail on purpose, for the error page tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import DatabaseError
from django.urls import path

from technohub.error_views import too_many_requests
from technohub.urls import handler400, handler403, handler404, handler500  # noqa: F401
from technohub.urls import urlpatterns as site_patterns


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("tampered")


def database_down(request):
    raise DatabaseError("connection refused")


def rate_limited(request):
    return too_many_requests(request, retry_after=90)


urlpatterns = [
    *site_patterns,
    *i18n_patterns(
        path("proef/verboden/", forbidden),
        path("proef/verdacht/", suspicious),
        path("proef/storing/", database_down),
        path("proef/te-veel/", rate_limited),
        prefix_default_language=False,
    ),
]
