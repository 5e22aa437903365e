"""The enrolment card of "Mijn cursussen" and the cancel page, built in Python.

"Mijn cursussen" shows a card for every enrolment a learner ever had; included as a template,
the cards took about a third of the page's time (profiled for ``make bench``). The markup and
the texts are the ones the template had.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from enrolment.models import Enrolment
from technohub.templatetags.technohub import meeting_list

register = template.Library()

# What ending an enrolment is called: leaving a waiting list or withdrawing a request is not
# cancelling a seat.
LEAVE_LABELS = {
    Enrolment.Status.WAITLISTED: gettext_lazy("Afmelden voor de wachtlijst"),
    Enrolment.Status.REQUESTED: gettext_lazy("Aanvraag intrekken"),
    Enrolment.Status.CONFIRMED: gettext_lazy("Annuleren"),
}


def _facts(enrolment: Enrolment) -> SafeString:
    offering = enrolment.offering
    facts = [
        (gettext("Locatie"), offering.location.localized("name")),
        (gettext("Bijeenkomsten"), meeting_list(offering.meetings.all())),
    ]
    if enrolment.status == Enrolment.Status.WAITLISTED:
        position = gettext("plaats %(position)s") % {"position": enrolment.waitlist_position}
        facts.append((gettext("Wachtlijst"), position))
    elif not enrolment.is_active:
        facts.append((gettext("Status"), enrolment.get_status_display()))
    return mark_safe("".join(format_html("<dt>{}</dt><dd>{}</dd>", *fact) for fact in facts))


def _actions(enrolment: Enrolment, title: str) -> SafeString:
    """The calendar and cancel buttons of an active enrolment, and the terms under them."""
    buttons = []
    if enrolment.status == Enrolment.Status.CONFIRMED:
        buttons.append(
            format_html(
                '<a class="btn btn-outline-primary btn-sm" href="{}">{}</a>',
                reverse("catalogue:offering_ics", args=[enrolment.offering_id]),
                gettext("Zet in agenda (.ics)"),
            )
        )
    if enrolment.can_cancel:
        buttons.append(
            format_html(
                '<a class="btn btn-outline-danger btn-sm" href="{}">{}'
                '<span class="visually-hidden">: {}</span></a>',
                reverse("enrolment:cancel", args=[enrolment.pk]),
                LEAVE_LABELS[enrolment.status],
                title,
            )
        )
    elif enrolment.cancel_until:
        buttons.append(
            format_html(
                '<span class="small text-body-secondary">{}</span>',
                gettext(
                    "Annuleren kan niet meer online. Neem contact op met %(HUB_CONTACT_EMAIL)s."
                )
                % {"HUB_CONTACT_EMAIL": settings.HUB_CONTACT_EMAIL},
            )
        )
    html = format_html('<p class="offering-card__actions">{}</p>', mark_safe("\n".join(buttons)))
    if enrolment.can_cancel and enrolment.status == Enrolment.Status.CONFIRMED:
        until = timezone.localtime(enrolment.cancel_until)
        terms = gettext("Kosteloos annuleren kan tot %(date)s, %(time)s.") % {
            "date": date_format(until, "j F Y"),
            "time": date_format(until, "H:i"),
        }
        html += format_html('<p class="small text-body-secondary mb-0">{}</p>', terms)
    return html


@register.simple_tag
def enrolment_card(enrolment: Enrolment, *, heading_level: int = 3, cancelling: bool = False):
    """``{% enrolment_card enrolment %}``: what the learner has of one enrolment, and what they
    can do with it (nothing on the cancel page, which asks ``cancelling=True``)."""
    offering = enrolment.offering
    title = offering.course.localized("title")
    parts = [
        format_html(
            '<h{level}><a href="{url}">{title}</a></h{level}>',
            level=int(heading_level),
            url=reverse("catalogue:course_detail", args=[offering.course.slug]),
            title=title,
        ),
        format_html("<dl>{}</dl>", _facts(enrolment)),
    ]
    if enrolment.is_active and not cancelling:
        parts.append(_actions(enrolment, title))
    if enrolment.status == Enrolment.Status.COMPLETED and not cancelling:
        certificate = getattr(enrolment, "certificate", None)
        if certificate:
            parts.append(
                format_html(
                    '<p class="offering-card__actions"><a class="btn btn-outline-primary btn-sm"'
                    ' href="{}" download>{}<span class="visually-hidden">: {}</span></a></p>',
                    reverse("enrolment:certificate_pdf", args=[enrolment.pk]),
                    gettext("Certificaat (pdf)"),
                    title,
                )
            )
    return format_html('<article class="offering-card">{}</article>', mark_safe("".join(parts)))
