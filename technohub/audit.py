"""Writing the audit log. Services call :func:`record` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditLog


def record(*, action: str, target: models.Model, actor=None, **data) -> AuditLog:
    """Write one audit row for ``target``; ``action`` is dotted, e.g. ``enrolment.cancelled``."""
    return AuditLog.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        data=data,
    )
