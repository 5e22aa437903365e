"""Technohub NOP: course catalogue and enrolment site of the Noordoostpolder learning hub."""

from .celery import app as celery_app

__all__ = ["celery_app"]
