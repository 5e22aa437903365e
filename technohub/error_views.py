"""The site's own answers to requests that fail: 400, 403, CSRF failure, 404, 405, 429, 500.

Each page is in the site's layout and the visitor's language and offers a way back. The 500 page
is rendered without the request's context processors, so it shows even when the database is
down (they ask it, e.g. whether the user is HR).
"""

import math

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token

# Django's own views answer a wrong method with an empty body and this status.
METHOD_NOT_ALLOWED = 405
TOO_MANY_REQUESTS = 429


def _host_is_allowed(request: HttpRequest) -> bool:
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


def _bare_page(template_name: str, request: HttpRequest) -> str:
    """A page in the bare layout: no context processors, no database, no host needed."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        return loader.render_to_string(template_name, {"LANGUAGE_CODE": language})


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The full layout links this page by its host; a host we do not serve gets the bare one.
    if not _host_is_allowed(request):
        return HttpResponseBadRequest(_bare_page("400_bare.html", request))
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseForbidden(loader.render_to_string("403.html", request=request))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(_bare_page("500.html", request))


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was sent without a valid token (expired page, no cookie)."""
    # One leading slash: "//host/" would be a link to another site.
    form_url = "/" + request.path.lstrip("/")
    return HttpResponseForbidden(
        loader.render_to_string("403_csrf.html", {"form_url": form_url}, request=request)
    )


def too_many_requests(
    request: HttpRequest,
    *,
    retry_after: int,
    template_name: str = "429.html",
    context: dict | None = None,
) -> HttpResponse:
    """The 429 page for a client that hit a rate limit, with ``Retry-After`` in seconds.

    ``template_name`` may extend ``429.html`` to explain the particular limit; the template
    gets ``minutes``: the wait rounded up to whole minutes.
    """
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(
        request, template_name, {"minutes": minutes, **(context or {})}, status=TOO_MANY_REQUESTS
    )
    response["Retry-After"] = str(retry_after)
    return response


class MethodNotAllowedPageMiddleware:
    """Gives the empty 405 answers of ``require_POST`` and friends the site's 405 page.

    Place it after the authentication and messages middleware, so the layout has its context.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != METHOD_NOT_ALLOWED
            or response.streaming
            or response.content
            or request.method == "HEAD"
        ):
            return response
        page = render(request, "405.html", status=METHOD_NOT_ALLOWED)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page
