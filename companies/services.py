"""Accounts: signing up, confirming an email address, keeping a profile."""

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from enrolment import outbox
from technohub import audit

from .models import User
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


def send_verification(*, user: User, site_url: str, next_url: str = "") -> None:
    """Mail ``user`` a link to confirm their email address (through the outbox)."""
    outbox.queue_for(
        user,
        template="verify_email",
        context={"verify_url": verification_url(user=user, site_url=site_url, next_url=next_url)},
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
) -> User:
    """Create an account whose address still has to be confirmed, and mail the link.

    The caller has checked that the address is free (the database refuses duplicates anyway).
    """
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
    """Change a user's own name, phone number and language."""
    user.first_name = first_name
    user.last_name = last_name
    user.phone = phone
    user.preferred_language = preferred_language
    user.save(update_fields=["first_name", "last_name", "phone", "preferred_language"])
    audit.record(action="user.profile_updated", target=user, actor=user)
    return user
