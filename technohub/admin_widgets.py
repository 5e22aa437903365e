"""The admin's widgets, made safe, valid and accessible; installed once when the project starts.

- Autocomplete widgets render again with a value that is not a key. Django's autocomplete
  widget looks up the submitted values to show them as selected; when the admin shows a form
  again with its errors and a submitted value is not a key at all ("abc" for a number), that
  lookup raises instead of showing nothing. A value that cannot be a key cannot be selected, so
  it is left out before the lookup.
- Autocomplete selects always start with an empty choice that has text ("---------"), as the
  HTML standard wants of a required select (Django leaves a required one without options on
  an add page, and gives an optional one an empty option without text). Select2 shows that
  choice as its empty placeholder, so nothing changes for people with JavaScript.
- A date and time is one ``<input type="datetime-local">`` with the field's own label, in the
  site's time zone (Europe/Amsterdam), instead of Django's split date and time inputs, of
  which the second has no label at all.
"""

from datetime import datetime

from django import forms
from django.contrib.admin import options, site
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError
from django.db import models

EMPTY_CHOICE = "---------"


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
        groups = optgroups(self, name, keys, attr)
        if self.allow_multiple_selected:
            return groups
        # The first option of a single select is an empty choice with text: valid HTML,
        # and the select says "nothing chosen" without JavaScript too.
        groups = [
            (group, [option for option in choices if option["value"] != ""], index)
            for group, choices, index in groups
        ]
        empty = self.create_option(name, "", EMPTY_CHOICE, not keys, 0)
        return [(None, [empty], 0), *[group for group in groups if group[1]]]

    return optgroups_of_keys


class AdminDateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker: one input, labelled by the field's label."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

    def format_value(self, value):
        # Times are entered to the minute; one with seconds (written by code) keeps them, so
        # that saving the page unchanged does not move it.
        if isinstance(value, datetime) and value.second:
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        return super().format_value(value)


class AdminDateTimeField(forms.DateTimeField):
    """Reads the picker's ISO value ("2027-03-01T09:30") as well as the usual formats."""

    widget = AdminDateTimeInput


def install_admin_widgets() -> None:
    """Called once when the project starts."""
    if not getattr(AutocompleteMixin.optgroups, "keys_only", False):
        AutocompleteMixin.optgroups = _keys_only(AutocompleteMixin.optgroups)
        AutocompleteMixin.optgroups.keys_only = True
    date_time = {"form_class": AdminDateTimeField, "widget": AdminDateTimeInput}
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField] = date_time
    # The model admins registered before this ran copied Django's defaults already.
    for model_admin in site._registry.values():
        model_admin.formfield_overrides[models.DateTimeField] = dict(date_time)
