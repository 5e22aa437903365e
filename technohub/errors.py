"""The base class of errors that services raise for people, not for programmers."""


class DomainError(Exception):
    """A rule of the hub refused the action; ``message`` is translated and safe to show.

    Views turn it into a form error or a page message; nothing was changed.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
