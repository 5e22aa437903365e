"""Turn away what no browser sends: NUL characters in the address, the query or the form, and
query strings longer than any page of the site makes.

PostgreSQL text cannot hold a NUL character, so a lookup or a save with one fails deep in the
database driver, as a server error. Refusing such a request here, before any view runs, answers
a 400 and spares every view from knowing this. A cookie with a NUL character is dropped instead:
the browser keeps sending it, and a visitor with a damaged session cookie should simply see the
site as someone who is not logged in, not an error page on every visit.

A query string over MAX_QUERY_STRING characters is refused too, before it is parsed: the site's
own links and forms stay far below it (web servers commonly cap the whole request line at 8 KB),
and every view, the log-in redirect that would carry it along in ``next`` included, is spared
the work.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL = "\x00"
MAX_QUERY_STRING = 8 * 1024

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestGuardMiddleware:
    """Refuses (400) a request whose path, query or form fields contain a NUL character or whose
    query string is over-long, and ignores any cookie with a NUL character. Place it before the
    session and the view middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(NUL in value for value in request.COOKIES.values()):
            request.COOKIES = {
                name: value for name, value in request.COOKIES.items() if NUL not in value
            }
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            raise BadRequest("Query string too long")
        if NUL in request.path_info or _has_nul(request.GET.lists()):
            raise BadRequest("NUL character in the address")
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            names = (
                (key, [upload.name or "" for upload in files])
                for key, files in request.FILES.lists()
            )
            if _has_nul(request.POST.lists()) or _has_nul(names):
                raise BadRequest("NUL character in the form")
        return self.get_response(request)


def _has_nul(items: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in items)
