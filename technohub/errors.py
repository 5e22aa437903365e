"""The base class of errors that services raise for people, not for programmers, and the name
of the database rule a write broke."""

from django.db import IntegrityError


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
