"""The base class of errors that services raise for people, not for programmers, the name of
the database rule a write broke, and a lock waited for too long."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg.errors
from django.db import IntegrityError, OperationalError, connection
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the hub refused the action; ``message`` is translated and safe to show.

    Views turn it into a form error or a page message; nothing was changed.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the database constraint ``error`` reports as broken, if it names one.

    Services map only the violation they expect (by this name) to a message and let any other
    propagate: an unexpected one is a bug to see, not a message to hide.
    """
    diagnostics = getattr(error.__cause__, "diag", None)
    return getattr(diagnostics, "constraint_name", None)


@contextmanager
def busy_after(timeout: str, *, refusal: type[DomainError]) -> Iterator[None]:
    """Inside a transaction: the row locks taken in this block wait at most ``timeout`` (a
    PostgreSQL interval such as ``"3s"``, for the rest of the transaction); a lock still held by
    others then raises ``refusal`` saying "busy, try again", never an error page."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{timeout}'")
    try:
        yield
    except OperationalError as error:
        if isinstance(error.__cause__, psycopg.errors.LockNotAvailable):
            raise refusal(
                _("Het is nu erg druk. Probeer het over een paar seconden opnieuw.")
            ) from error
        raise
