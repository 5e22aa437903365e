"""Form widgets shared by the hub's own forms."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``), which wants ISO dates."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
