"""The programme manager's admin for the catalogue; importing the modules registers them."""

from . import courses, offerings, qualifications, schools  # noqa: F401
