"""Template tags and filters for the site-wide layout and formatting."""

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django import template
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, override

from technohub.request_guard import MAX_QUERY_STRING

register = template.Library()


@dataclass(frozen=True)
class LanguageOption:
    code: str
    name_local: str
    url: str
    absolute_url: str
    is_current: bool


def _url_in_language(request: HttpRequest | None, code: str) -> str:
    """The current page in language ``code``, or that language's home page."""
    if request is None:
        with override(code):
            return reverse("home")
    # translate_url resolves the path in the active language (the page's own), so it is done
    # here while rendering. Doing it later in set_language would resolve under the language
    # taken from the cookie, which fails for /en/... pages when the cookie says nl.
    # A query string the request guard refuses as too long is not repeated in the links.
    refused = len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING
    return translate_url(request.path if refused else request.get_full_path(), code)


@register.simple_tag(takes_context=True)
def language_options(context: template.Context) -> list[LanguageOption]:
    """One entry per configured language: its own name, this page's URL in it, whether current."""
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    options = []
    for code, _name in settings.LANGUAGES:
        url = _url_in_language(request, code)
        options.append(
            LanguageOption(
                code=code,
                name_local=get_language_info(code)["name_local"],
                url=url,
                absolute_url=request.build_absolute_uri(url) if request else url,
                is_current=code == current,
            )
        )
    return options


# Django's message levels mapped to Bootstrap's alert variants ("error" is "danger" there).
_ALERT_VARIANTS = {
    messages.DEBUG: "secondary",
    messages.INFO: "info",
    messages.SUCCESS: "success",
    messages.WARNING: "warning",
    messages.ERROR: "danger",
}


@register.filter
def alert_variant(message: Message) -> str:
    """The Bootstrap alert variant (``success``, ``danger``, ...) for a Django message."""
    return _ALERT_VARIANTS.get(message.level, "info")


@register.filter
def localized(obj: object, field: str) -> str:
    """``{{ course|localized:"title" }}``: the field in the active language, Dutch as fallback."""
    return obj.localized(field)


@register.filter
def money(amount: Decimal | None) -> str:
    """An amount in euros the way the active language writes it: ``€ 1.195,00`` / ``€1,195.00``."""
    if amount is None:
        return ""
    number = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    if (get_language() or "nl").startswith("nl"):
        return f"€\N{NO-BREAK SPACE}{number}"
    return f"€{number}"


@register.filter
def json_ld(data: dict) -> str:
    """Serialise ``data`` for a ``<script type="application/ld+json">`` element, safely."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Nothing in the data may close the script element or open a comment.
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@register.filter
def html_datetime(value: datetime | None) -> str:
    """A moment for an HTML ``datetime`` attribute: local time, whole seconds, with offset."""
    if value is None:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@functools.cache
def _date_names(language: str) -> tuple[list[str], list[str]]:
    """The short weekday names (Monday first) and the month names (January at 1) in
    ``language``, the active one: what the date formats "D" and "F" print."""
    return [str(WEEKDAYS_ABBR[day]) for day in range(7)], [""] + [
        str(MONTHS[month]) for month in range(1, 13)
    ]


@register.simple_tag
def meeting_list(meetings) -> str:
    """``{% meeting_list offering.meetings.all %}``: an offering's meetings, one line each.

    Built here rather than in a template: "Mijn cursussen" and the course pages list every
    meeting of every offering, and the template engine spent a quarter of those pages' time on it
    (profiled for ``make bench``).
    """
    lines = []
    # Written as the date format "D j F Y, H:i" would, the names looked up once per language.
    weekdays, months = _date_names(get_language() or settings.LANGUAGE_CODE)
    for meeting in meetings:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        topic = (
            format_html(' <span class="meeting-list__topic">{}</span>', meeting.localized("topic"))
            if meeting.topic
            else ""
        )
        lines.append(
            format_html(
                '<li><time datetime="{}">{} {} {} {}, {}–{}</time>{}</li>',
                starts.replace(microsecond=0).isoformat(),
                weekdays[starts.weekday()],
                starts.day,
                months[starts.month],
                starts.year,
                f"{starts.hour:02d}:{starts.minute:02d}",
                f"{ends.hour:02d}:{ends.minute:02d}",
                topic,
            )
        )
    return format_html('<ul class="meeting-list">{}</ul>', mark_safe("".join(lines)))
