"""The programme manager's funding schemes in the admin: a fund's rules for one cao period.

The rules change per cao period, so they are rows the manager edits, not code: when a fund
changes its scheme, the manager ends the current row (``valid_to``) and adds a new one. A scheme
that claims refer to stays: deleting it is refused with a sentence that says so.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.admin.courses import HTTPS_URL_FIELDS

from ..models import FundingScheme


class FundingSchemeForm(forms.ModelForm):
    """The array fields as checkboxes; the model's constraints explain themselves at a field."""

    eligible_costs = forms.TypedMultipleChoiceField(
        label=_("subsidiabele kosten"),
        choices=FundingScheme.CostType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("De kosten die het fonds vergoedt; de inschatting rekent met het cursusgeld."),
    )
    proof_required = forms.TypedMultipleChoiceField(
        label=_("gevraagde bewijsstukken"),
        choices=FundingScheme.Proof.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Wat het fonds bij de aanvraag of de declaratie wil zien."),
    )

    class Meta:
        model = FundingScheme
        # The admin adds the fieldsets' fields (with its widgets and URL scheme).
        fields = ("eligible_costs", "proof_required")
        help_texts = {
            "window": _(
                "Vóór de start: aanvragen uiterlijk de dag vóór de eerste bijeenkomst. "
                "Na de start: binnen het aantal maanden hieronder."
            ),
            "valid_from": _("Het begin van de cao-periode waarvoor deze regels gelden."),
            "valid_to": _(
                "Leeg: tot nader order. Nieuwe regels? Zet hier een einddatum en "
                "voeg een nieuwe regeling toe."
            ),
            "vat_claimable": _("Aan: de inschatting rekent met het bedrag incl. btw."),
            "once_per_activity": _(
                "Een tweede aanvraag voor dezelfde medewerker en cursus in deze periode wordt "
                "geweigerd."
            ),
            "name_en": _("Leeg: de Nederlandse naam."),
        }


class StillValidFilter(admin.SimpleListFilter):
    title = _("geldig")
    parameter_name = "geldig"

    def lookups(self, request, model_admin):
        return (("ja", _("nog geldig")), ("nee", _("verlopen")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        still = Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        if self.value() == "ja":
            return queryset.filter(still)
        if self.value() == "nee":
            return queryset.exclude(still)
        return queryset


@admin.register(FundingScheme)
class FundingSchemeAdmin(admin.ModelAdmin):
    form = FundingSchemeForm
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = (
        "name",
        "fund",
        "percentage",
        "max_amount",
        "window_display",
        "valid_from",
        "valid_to",
    )
    list_filter = ("fund", StillValidFilter)
    search_fields = ("name", "name_en")
    filter_horizontal = ("themes",)
    fieldsets = (
        (None, {"fields": ("fund", "name", "name_en", "url")}),
        (
            _("Wat het fonds vergoedt"),
            {"fields": ("percentage", "max_amount", "eligible_costs", "vat_claimable")},
        ),
        (_("Wanneer aanvragen"), {"fields": ("window", "window_months", "max_duration_months")}),
        (
            _("Wat het fonds vraagt"),
            {"fields": ("proof_required", "once_per_activity", "conditions", "conditions_en")},
        ),
        (_("Voor welke cursussen"), {"fields": ("themes",)}),
        (_("Cao-periode"), {"fields": ("valid_from", "valid_to")}),
    )

    @admin.display(description=_("aanvraagtermijn"), ordering="window")
    def window_display(self, obj: FundingScheme) -> str:
        if obj.window == FundingScheme.Window.AFTER_START and obj.window_months:
            return _("binnen %(months)s maanden na de start") % {"months": obj.window_months}
        return obj.get_window_display()

    def has_delete_permission(self, request, obj=None) -> bool:
        # A scheme with claims stays (PROTECT): the delete button says why instead of failing.
        if obj is not None and obj.claims.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        scheme = self.get_object(request, object_id)
        if scheme is not None and scheme.claims.exists() and self.has_view_permission(request):
            messages.error(request, self._kept_message())
            return HttpResponseRedirect(
                reverse("admin:companies_fundingscheme_change", args=[scheme.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        # The bulk action's confirmation lists protected claims already; this is the last guard
        # against a row that got a claim in between.
        kept = queryset.filter(claims__isnull=False).distinct()
        if kept.exists():
            messages.error(request, self._kept_message())
            queryset = queryset.exclude(pk__in=kept.values("pk"))
        super().delete_queryset(request, queryset)

    @staticmethod
    def _kept_message() -> str:
        return _(
            "Deze regeling kan niet worden verwijderd: er zijn subsidieaanvragen die ernaar "
            "verwijzen. Geef haar een einddatum (geldig tot en met) en voeg zo nodig een nieuwe "
            "regeling toe."
        )
