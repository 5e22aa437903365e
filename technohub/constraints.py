"""Database constraints explained to people: a sentence next to the field, never a constraint name.

Django checks a model's constraints before the admin (or any model form) saves, but reports a
violation as "Beperking 'offering_min_lte_capacity' is geschonden." at the top of the form.
A model that mixes in :class:`ExplainedConstraintsMixin` names, for each of its constraints,
the field the message belongs to (``None``: the form as a whole) and a translated sentence that
says what to do. ``tests/technohub/test_constraint_messages.py`` fails for a constraint without
one on a model the admin edits.
"""

from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router
from django.utils.functional import Promise

ConstraintMessages = dict[str, tuple[str | None, str | Promise]]


class ExplainedConstraintsMixin:
    """Replaces Django's message for a violated constraint by the model's own, on its field."""

    # constraint name → (field the message is shown at or None, message)
    constraint_messages: ClassVar[ConstraintMessages] = {}

    def validate_constraints(self, exclude=None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    # A constraint reading a field that is not in the form (or already has an
                    # error) is skipped here; the database still enforces it.
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    explained = self.constraint_messages.get(constraint.name)
                    if explained is None:
                        errors = error.update_error_dict(errors)
                        continue
                    field, message = explained
                    errors.setdefault(field or NON_FIELD_ERRORS, []).append(
                        ValidationError(message, code=constraint.name)
                    )
        if errors:
            raise ValidationError(errors)
