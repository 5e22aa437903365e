"""Rendering and sending the hub's mail.

Every mail is a triple of templates, ``emails/<name>.subject.txt``, ``.txt`` and ``.html``,
rendered in the recipient's language. Services never call this directly: they write a
``Notification`` to the outbox (``enrolment.outbox``), which sends through here after commit.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass
class RenderedMail:
    subject: str
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)


def render_mail(name: str, context: dict, *, language: str) -> RenderedMail:
    """Render the ``name`` templates in ``language``; the subject is one line."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}.subject.txt", context)
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    return RenderedMail(subject=" ".join(subject.split()), text=text, html=html)


def send_mail(mail: RenderedMail, *, to: str, message_id: str | None = None) -> None:
    """Send one rendered mail through the configured backend (SMTP in production).

    ``message_id`` names the message for good: a mail sent again under the same id is the
    same message to mail servers and clients.
    """
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id} if message_id else None,
    )
    message.attach_alternative(mail.html, "text/html")
    for attachment in mail.attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
