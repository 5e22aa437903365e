"""The course list's search and filter form: validates the shape of the URL's query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Course, Sector
from .selectors import CatalogueFilters, Sort


class CatalogueFilterForm(forms.Form):
    """Every field is optional; an invalid value is reported next to its field and ignored."""

    # Empty means the natural order: best match when searching, else the next offering first.
    SORT_CHOICES = [
        ("", _("Beste match")),
        (Sort.START, _("Eerstvolgende uitvoering")),
        (Sort.TITLE, _("Titel")),
        (Sort.PRICE, _("Prijs")),
    ]

    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[
            ("", _("Alle sectoren")),
            (Sector.METAL, Sector.METAL.label),
            (Sector.AGRI, Sector.AGRI.label),
        ],
    )
    thema = forms.SlugField(label=_("Thema"), required=False, max_length=200)
    plaats = forms.SlugField(label=_("Plaats"), required=False, max_length=200)
    vorm = forms.ChoiceField(
        label=_("Vorm"), required=False, choices=[("", _("Alle vormen")), *Course.Mode.choices]
    )
    maand = forms.RegexField(
        label=_("Maand van de eerste bijeenkomst"),
        required=False,
        max_length=7,
        regex=r"^20[0-9]{2}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Kies een maand uit de lijst.")},
    )
    vrij = forms.BooleanField(label=_("Alleen met vrije plaatsen"), required=False)
    subsidie = forms.BooleanField(label=_("Alleen subsidiabel"), required=False)
    prijs_min = forms.DecimalField(
        label=_("Prijs vanaf (€, excl. btw)"), required=False, min_value=0, decimal_places=2
    )
    prijs_max = forms.DecimalField(
        label=_("Prijs tot en met (€, excl. btw)"), required=False, min_value=0, decimal_places=2
    )
    sorteer = forms.ChoiceField(label=_("Sorteren op"), required=False, choices=SORT_CHOICES)

    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("prijs_min"), cleaned_data.get("prijs_max")
        if low is not None and high is not None and low > high:
            self.add_error("prijs_max", _("De hoogste prijs is lager dan de laagste."))
        return cleaned_data

    def filters(self) -> CatalogueFilters:
        """The valid part of the query string; fields with errors count as not filled in."""
        data = (
            {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
            if hasattr(self, "cleaned_data")
            else {}
        )
        return CatalogueFilters(
            q=data.get("q") or "",
            sector=data.get("sector") or "",
            theme=data.get("thema") or "",
            place=data.get("plaats") or "",
            mode=data.get("vorm") or "",
            month=data.get("maand") or "",
            free_seats=bool(data.get("vrij")),
            funding=bool(data.get("subsidie")),
            price_min=data.get("prijs_min"),
            price_max=data.get("prijs_max"),
            sort=data.get("sorteer") or "",
        )
