"""Accounts: sign-up, email confirmation, password reset, profile, and the mails they send."""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from enrolment import outbox
from enrolment.models import Notification
from technohub import audit

from ..models import User
from .tokens import email_verification_token


def verification_url(*, user: User, site_url: str, next_url: str = "") -> str:
    """The absolute link that confirms ``user``'s address (and then goes to ``next_url``)."""
    with translation.override(user.preferred_language):
        path = reverse(
            "accounts:verify_email",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                email_verification_token.make_token(user),
            ],
        )
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return f"{site_url}{path}{query}"


ACCOUNT_MAIL_WINDOW = timedelta(hours=1)


def _queue_account_mail(*, user: User, template: str, context: Callable[[], dict]) -> None:
    """Queue an account mail to ``user`` unless their address had its share this hour.

    The outbox is the count: at most ``settings.ACCOUNT_MAILS_PER_HOUR`` of one kind per
    address; past it nothing is queued, silently (the pages say the same either way).
    ``context`` is called only when the mail goes.
    """
    with transaction.atomic():
        # Two requests for one address at once wait here in turn, so neither counts past it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"account-mail:{user.email.lower()}"]
            )
        since = timezone.now() - ACCOUNT_MAIL_WINDOW
        sent = Notification.objects.filter(
            to_email__iexact=user.email, template=template, created_at__gte=since
        ).count()
        if sent < settings.ACCOUNT_MAILS_PER_HOUR:
            outbox.queue_for(user, template=template, context=context())


def send_verification(*, user: User, site_url: str, next_url: str = "") -> None:
    """Mail ``user`` a link to confirm their email address (throttled per address)."""
    _queue_account_mail(
        user=user,
        template="verify_email",
        context=lambda: {
            "verify_url": verification_url(user=user, site_url=site_url, next_url=next_url)
        },
    )


def _account_page_url(name: str, *, user: User, site_url: str, args: list | None = None) -> str:
    with translation.override(user.preferred_language):
        return f"{site_url}{reverse(name, args=args)}"


def send_signup_attempt(*, user: User, site_url: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it (throttled)."""
    _queue_account_mail(
        user=user,
        template="signup_attempt",
        context=lambda: {
            "login_url": _account_page_url("accounts:login", user=user, site_url=site_url),
            "reset_url": _account_page_url("accounts:password_reset", user=user, site_url=site_url),
        },
    )


def request_password_reset(*, email: str, site_url: str) -> None:
    """Mail the active account with ``email`` (any case) a link to choose a new password.

    Also serves accounts that never had a password (people HR added choose their first one
    this way). Unknown addresses and addresses past the hourly limit get nothing, and the
    caller shows the same page either way. The link is built from ``site_url``, never from
    the request's host.
    """
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        _queue_account_mail(
            user=user,
            template="password_reset",
            context=lambda user=user: {
                "reset_url": _account_page_url(
                    "accounts:password_reset_confirm",
                    user=user,
                    site_url=site_url,
                    args=[
                        urlsafe_base64_encode(force_bytes(user.pk)),
                        default_token_generator.make_token(user),
                    ],
                )
            },
        )


def register_user(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    preferred_language: str,
    site_url: str,
    next_url: str = "",
) -> User | None:
    """Create an account whose address still has to be confirmed, and mail the link.

    An address that already has an account (in any case) creates nothing: its owner is mailed
    that someone tried, and None is returned, so the caller can show the same "check your
    mail" page as for a new account and never tells who has an account here.
    """
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is None:
        try:
            with transaction.atomic(durable=True):
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    first_name=first_name,
                    last_name=last_name,
                    preferred_language=preferred_language,
                )
                send_verification(user=user, site_url=site_url, next_url=next_url)
                audit.record(action="user.registered", target=user, actor=user)
            return user
        except IntegrityError:
            # The same address signed up a moment ago, in another request.
            existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is not None:
        send_signup_attempt(user=existing, site_url=site_url)
    return None


def confirm_email(*, user: User) -> User:
    """Mark ``user``'s address as confirmed (idempotent)."""
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit.record(action="user.email_confirmed", target=user, actor=user)
    return user


def update_profile(
    *, user: User, first_name: str, last_name: str, phone: str, preferred_language: str
) -> User:
    """Change a user's own name, phone number (E.164, or empty) and language."""
    user.first_name = first_name
    user.last_name = last_name
    user.phone = phone
    user.preferred_language = preferred_language
    user.save(update_fields=["first_name", "last_name", "phone", "preferred_language"])
    audit.record(action="user.profile_updated", target=user, actor=user)
    return user


def change_password(*, user: User, new_password: str) -> User:
    """Give ``user`` a new password they chose (the form checked the old one and the rules).

    Other sessions of the user end when the session hash changes; the caller keeps the
    current one (``update_session_auth_hash``). Audits ``user.password_changed``.
    """
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(action="user.password_changed", target=user, actor=user)
    return user
