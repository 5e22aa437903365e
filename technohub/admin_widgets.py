"""The admin's autocomplete widgets, safe to render again with a value that is not a key.

Django's autocomplete widget looks up the submitted values to show them as selected; when the
admin shows a form again with its errors and a submitted value is not a key at all ("abc" for
a number), that lookup raises instead of showing nothing. A value that cannot be a key cannot
be selected, so it is left out before the lookup.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError


def _keys_only(optgroups):
    def optgroups_of_keys(self, name, value, attr=None):
        remote = self.field.remote_field
        options = remote.model._meta
        target = options.get_field(getattr(remote, "field_name", None) or options.pk.name)
        keys = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            keys.append(item)
        return optgroups(self, name, keys, attr)

    return optgroups_of_keys


def make_autocomplete_safe() -> None:
    """Called once when the project starts."""
    if not getattr(AutocompleteMixin.optgroups, "keys_only", False):
        AutocompleteMixin.optgroups = _keys_only(AutocompleteMixin.optgroups)
        AutocompleteMixin.optgroups.keys_only = True
