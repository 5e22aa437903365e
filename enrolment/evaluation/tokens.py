"""The personal link in an evaluation mail: a signed, salted token naming the request.

It is signed when the mail is sent (so a reminder carries a fresh one) and is valid for
``EVALUATION_LINK_DAYS``. The token is never stored: the outbox keeps the request's id, and
the mail is rendered with a new token when it is sent.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

SALT = "enrolment.evaluation.answer"
# What the admin's preview of the mail shows instead of a token.
PLACEHOLDER = "token"


class BadToken(Exception):
    """The link was changed, or belongs to nothing."""


class ExpiredToken(Exception):
    """The link was genuine but is older than ``EVALUATION_LINK_DAYS``."""


def make_token(request_id: int) -> str:
    """A token for the evaluation request ``request_id``, signed now."""
    return signing.dumps({"r": request_id}, salt=SALT)


def read_token(token: str) -> int:
    """The request id in ``token``; BadToken or ExpiredToken when it cannot be trusted."""
    try:
        payload = signing.loads(
            token, salt=SALT, max_age=timedelta(days=settings.EVALUATION_LINK_DAYS)
        )
    except signing.SignatureExpired as expired:
        raise ExpiredToken from expired
    except signing.BadSignature as bad:
        raise BadToken from bad
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        raise BadToken
    return payload["r"]


def answer_url(request_id: int, *, language: str, for_sending: bool = True) -> str:
    """The absolute link to answer, in ``language``. Not for sending (the outbox's preview in
    the admin): the address with a placeholder for the token, so that nobody at the hub holds a
    link that answers in someone's name."""
    token = make_token(request_id) if for_sending else PLACEHOLDER
    with translation.override(language):
        path = reverse("evaluation:answer", args=[token])
    return settings.SITE_URL + path
