"""The schools page's filters: the shape of the query string, nothing more."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import SchoolActivity, SchoolTargetGroup


class ActivityFilterForm(forms.Form):
    """Both fields optional; a value not in the list is ignored (the page shows everything)."""

    doelgroep = forms.ChoiceField(
        label=_("Doelgroep"),
        required=False,
        choices=[("", _("Alle doelgroepen")), *SchoolTargetGroup.choices],
    )
    soort = forms.ChoiceField(
        label=_("Soort activiteit"),
        required=False,
        choices=[("", _("Alle soorten")), *SchoolActivity.Kind.choices],
    )

    def filters(self) -> dict[str, str | None]:
        """The valid filters: ``target_group`` and ``kind``, ``None`` where absent or invalid."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "target_group": cleaned.get("doelgroep") or None,
            "kind": cleaned.get("soort") or None,
        }
