"""What each outbox template needs to render: context and attachments, read at send time."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from catalogue import calendar
from catalogue.models import Meeting
from technohub import mail

from .models import Enrolment, Notification

# Mails that carry the run's calendar file.
WITH_CALENDAR = {"enrolment_confirmed", "enrolment_promoted"}


def _enrolment(notification: Notification) -> Enrolment:
    return (
        Enrolment.objects.select_related("offering__course", "offering__location", "learner")
        .prefetch_related("offering__meetings")
        .get(pk=notification.enrolment_id)
    )


def render(notification: Notification) -> mail.RenderedMail:
    """The mail of one notification, in its language, with its attachments."""
    context = dict(notification.context)
    context["recipient"] = notification.recipient
    enrolment = _enrolment(notification) if notification.enrolment_id else None
    if enrolment is not None:
        offering = enrolment.offering
        meetings: list[Meeting] = list(offering.meetings.all())
        with translation.override(notification.language):
            course_url = reverse("catalogue:course_detail", args=[offering.course.slug])
            my_courses_url = reverse("enrolment:my_courses")
        context.update(
            enrolment=enrolment,
            offering=offering,
            course=offering.course,
            meetings=meetings,
            course_url=settings.SITE_URL + course_url,
            my_courses_url=settings.SITE_URL + my_courses_url,
        )
    rendered = mail.render_mail(notification.template, context, language=notification.language)
    if enrolment is not None and notification.template in WITH_CALENDAR:
        rendered.attachments.append(
            mail.Attachment(
                filename=calendar.filename(enrolment.offering),
                content=calendar.offering_ics(enrolment.offering),
                mimetype="text/calendar",
            )
        )
    return rendered
