"""Rendered catalogue pages for visitors who are not logged in, and the parts of pages that are
the same for everyone, kept in Redis for every web process to share.

Only a request without a session cookie and without a messages cookie is served from, or
stored in, the cache: such a visitor is nobody in particular, so one page fits all of them.
Logged-in users get their page built around shared parts (:func:`shared_fragment`): the
course list's search results, for example, are the same for everyone. Of the whole course list
only the header differs between logged-in users, by whether it links the company portal, and
the log-out form's CSRF token; :func:`shared_page_for_members` keeps one page per kind of header
and puts each user's own token in. A page that sets a cookie or uses the CSRF token (a form
only its visitor may post) is never stored for visitors.

Every stored page carries the generation it was rendered in. Any change to the catalogue or to
an enrolment starts a new generation once its transaction commits (:func:`invalidate`), which
makes every stored page stale at once; stale pages age out after ``PAGE_CACHE_SECONDS``, which
also bounds how long a page can show offerings that have since started.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
# Tells tests and the benchmark where a page came from.
SOURCE_HEADER = "X-Page-Cache"


def invalidate() -> None:
    """Make every stored page stale once the current transaction commits.

    Not before: a page rendered from the old rows while the transaction is still open must not
    be stored under the new generation.
    """
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        # A clock value, not a counter: it never goes back, even if Redis lost the key.
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # Redis is down: nothing can be served from it either
        logger.warning("Could not start a new page cache generation", exc_info=True)


def _invalidate_on_change(sender, **kwargs) -> None:
    invalidate()


def connect_signals() -> None:
    """Invalidate on every save and delete of what the catalogue pages show (the home page
    also shows the themes in demand: companies' needs and interest).

    Queryset ``update()`` calls send no signal: services that change these rows that way call
    :func:`invalidate` themselves.
    """
    from catalogue.models import Course, Location, Meeting, Offering, Provider, Theme
    from companies.models import Interest, TrainingNeed
    from enrolment.models import Enrolment

    for model in (
        Course,
        Offering,
        Meeting,
        Location,
        Provider,
        Theme,
        Enrolment,
        TrainingNeed,
        Interest,
    ):
        post_save.connect(_invalidate_on_change, sender=model, dispatch_uid=f"page-cache-{model}")
        post_delete.connect(
            _invalidate_on_change, sender=model, dispatch_uid=f"page-cache-del-{model}"
        )
    m2m_changed.connect(
        _invalidate_on_change, sender=Course.themes.through, dispatch_uid="page-cache-themes"
    )
    # A run closed (or opened) for companies leaves (or joins) the public pages.
    m2m_changed.connect(
        _invalidate_on_change,
        sender=Offering.private_for.through,
        dispatch_uid="page-cache-closed-runs",
    )


def _is_anonymous_visitor(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key_digest(request: HttpRequest, *parts: str) -> str:
    """Scheme, host, path and query, and the language (also in the path), with ``parts``."""
    key = "|".join([request.build_absolute_uri(), get_language() or "", *parts])
    return hashlib.sha256(key.encode()).hexdigest()


def wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asks for the part of the page it swaps in. Not when it restores a page from
    history (its cache of past pages missed): that answer replaces the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _page_key(request: HttpRequest) -> str:
    """The page at this address, or the part htmx swaps in: never one for the other."""
    return "pagecache:page:" + _key_digest(request, "fragment" if wants_fragment(request) else "")


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _current(key: str) -> tuple[dict | None, int | None]:
    """What is stored under ``key`` if it is of the current generation, and the current
    generation (None when Redis cannot be reached)."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:  # Redis is down: render the page, the site stays up
        logger.warning("Page cache unavailable", exc_info=True)
        return None, None
    generation = found.get(GENERATION_KEY, 0)
    stored = found.get(key)
    if stored is None or stored["generation"] != generation:
        return None, generation
    return stored, generation


def _lookup(key: str) -> tuple[HttpResponse | None, int | None]:
    """The stored page if it is of the current generation, and the current generation
    (None when Redis cannot be reached)."""
    stored, generation = _current(key)
    if stored is None:
        return None, generation
    response = HttpResponse(stored["content"])
    for header, value in stored["headers"]:
        response[header] = value
    response[SOURCE_HEADER] = "hit"
    # As the rendered page says (the session was read): a shared HTTP cache between the site
    # and its visitors must not hand this page to someone who sends a session cookie.
    patch_vary_headers(response, ["Cookie"])
    return response, generation


def _store(key: str, stored: dict) -> None:
    try:
        cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:  # Redis is down; the next visitor renders the page again
        logger.warning("Page cache unavailable", exc_info=True)


def shared_fragment(request: HttpRequest, name: str, render: Callable[[], str]) -> str:
    """The HTML of the page part ``name``, which is the same for everyone at this address and
    in this language: from the shared cache when it is of the current generation, else
    ``render()``, stored for the next person. Nothing personal may be in it."""
    if not settings.PAGE_CACHE:
        return render()
    key = "pagecache:fragment:" + _key_digest(request, name)
    stored, generation = _current(key)
    if stored is not None:
        return mark_safe(stored["content"])  # HTML this site rendered
    content = render()
    if generation is not None:
        _store(key, {"generation": generation, "content": str(content)})
    return content


# Length of the random stand-in for the CSRF token kept in front of a shared page.
_PLACEHOLDER_LENGTH = 32


def shared_page_for_members(
    request: HttpRequest, name: str, render: Callable[[dict], str]
) -> HttpResponse | None:
    """A logged-in user's page ``name`` at this address, from the shared cache.

    ``render(context)`` renders the page with ``context`` added to its own. It is stored once
    per address, language and kind of header (with or without the company portal's link),
    with a random stand-in where the CSRF token goes, which each request replaces with its
    user's own token. Nothing else on the page may depend on who asks. None (their page is
    theirs alone, to be rendered as usual) when the user has messages waiting, or is hub staff:
    the staff menu depends on their permissions.
    """
    from django.contrib.messages import get_messages

    from technohub.context_processors import hub

    if request.user.is_staff:
        return None
    if len(get_messages(request)):  # counts them without marking them shown
        return None
    kind = "hr" if hub(request)["user_is_hr"]() else "member"

    def render_with_placeholder() -> str:
        placeholder = secrets.token_hex(_PLACEHOLDER_LENGTH // 2)
        return placeholder + render({"csrf_token": placeholder})

    stored = shared_fragment(request, f"{name}|page|{kind}", render_with_placeholder)
    placeholder, page = stored[:_PLACEHOLDER_LENGTH], stored[_PLACEHOLDER_LENGTH:]
    return HttpResponse(page.replace(placeholder, get_token(request)))


def cached_for_visitors(view):
    """Serve the view's page from the shared cache to visitors who are not logged in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_anonymous_visitor(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        cached, generation = _lookup(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if generation is not None and _is_shareable(request, response):
            _store(
                key,
                {
                    "generation": generation,
                    "content": response.content,
                    "headers": list(response.items()),
                },
            )
            response[SOURCE_HEADER] = "miss"
        return response

    return wrapped
