"""Headers that limit what a page may do in the browser and who may keep a copy of it.

- ``Content-Security-Policy``: scripts, styles, fonts and frames only from this site; no inline
  script or style (JSON-LD data blocks are not scripts and stay allowed), no plugins, and no
  other site may frame a page or receive its forms.
- ``Permissions-Policy``: the site uses no camera, microphone, location, payment and the like,
  so an injected script or a framed page cannot ask for them either.
- ``Cache-Control: private, no-store`` on every answer to a logged-in user, and on the pages a
  visitor reaches by a personal link (an invitation, a password reset), unless the view chose
  its own caching. Visitors' other pages stay shareable (technohub.page_cache).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

# Pages that show someone's personal data to whoever holds the link, logged in or not.
PERSONAL_LINK_VIEWS = {
    "accounts:accept_invitation",
    "accounts:password_reset_confirm",
    "accounts:verify_email",
}


def personal_link_page(response: HttpResponse) -> HttpResponse:
    """A page opened from a personal link in a mail (no log-in): kept by no cache, shown to no
    search engine."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def _is_personal(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in PERSONAL_LINK_VIEWS:
        return True
    # Without a session cookie nobody is logged in; not asking spares visitors' pages a
    # session read (and the Vary: Cookie it brings).
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class SecurityHeadersMiddleware:
    """Sets the policy headers above on every response.

    Place it right after AuthenticationMiddleware: it reads ``request.user`` before the
    session middleware adds ``Vary: Cookie`` to the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Django's debug pages (development only) are built on inline script and style.
        if not (settings.DEBUG and response.status_code >= 400):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.status_code >= 500:
            # The site is in trouble (maybe its database): ask nothing, keep no copy.
            patch_cache_control(response, no_store=True)
        elif "Cache-Control" not in response and _is_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
