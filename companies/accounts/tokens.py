"""One-time links for confirming an email address."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like password-reset tokens, but void once the address is confirmed or changed."""

    key_salt = "companies.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


class FirstPasswordTokenGenerator(PasswordResetTokenGenerator):
    """The link an imported employee gets to choose their first password.

    Valid as long as an invitation (``INVITATION_VALID_DAYS``: people on shifts or on leave
    read their mail late), only while the account has no password yet; choosing one (or
    logging in) voids it, as with a password-reset link.
    """

    key_salt = "companies.tokens.FirstPasswordTokenGenerator"

    def check_token(self, user, token) -> bool:
        if user is None or user.has_usable_password() or not token:
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        valid_for = settings.INVITATION_VALID_DAYS * 24 * 60 * 60
        return self._num_seconds(self._now()) - timestamp <= valid_for


class PasswordLinkTokenGenerator(PasswordResetTokenGenerator):
    """What the page behind a password link accepts: a reset link (3 days) or an imported
    employee's first-password link."""

    def check_token(self, user, token) -> bool:
        return super().check_token(user, token) or first_password_tokens.check_token(user, token)


first_password_tokens = FirstPasswordTokenGenerator()
password_link_tokens = PasswordLinkTokenGenerator()
