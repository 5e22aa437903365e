"""The offer for schools in the admin: activities with their materials, and the schools.

A coordinator (group *Coördinator techniekpromotie*) keeps the activities; schools come from
teachers' requests and are only looked up here. Target groups, weekdays and places are
checkboxes; the host contact is chosen from the people who can answer the confirmation mail.
"""

from django import forms
from django.contrib import admin
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from companies.models import Company, User
from enrolment.models import School

from ..models import Location, SchoolActivity, SchoolMaterial, SchoolTargetGroup


def _constraint_message(name: str):
    return SchoolActivity.constraint_messages[name][1]


class HostContactField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name()
        return f"{name} ({user.email})" if name else user.email


class SchoolActivityForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("doelgroepen"),
        choices=SchoolTargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _constraint_message("school_activity_has_target_group")},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("dagen van de week"),
        choices=[(day, WEEKDAYS[day]) for day in range(7)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De dagen waarop het gastbedrijf groepen ontvangt."),
        error_messages={"required": _constraint_message("school_activity_has_weekday")},
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("plaatsen"),
        queryset=Location.objects.exclude(kind=Location.Kind.ONLINE).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Waar de activiteit kan plaatsvinden; leeg voor een activiteit op school."),
    )
    host = forms.ModelChoiceField(
        label=_("gastbedrijf"),
        queryset=Company.objects.order_by("name"),
        required=False,
        empty_label=_("geen: de hub zelf"),
    )
    host_contact = HostContactField(
        label=_("contactpersoon gastbedrijf"),
        # People who can open the mailed link: active, with a confirmed address.
        queryset=User.objects.filter(
            is_active=True, erased_at__isnull=True, email_verified_at__isnull=False
        ).in_dutch_order(),
        required=False,
        empty_label=_("geen: de hub bevestigt zelf"),
        help_text=_(
            "Bevestigt of weigert elk bezoek via een link in de mail. Alleen mensen met een "
            "bevestigd e-mailadres; hoort bij het gastbedrijf."
        ),
    )

    class Meta:
        model = SchoolActivity
        fields = (
            "title",
            "title_en",
            "slug",
            "kind",
            "summary",
            "summary_en",
            "what_pupils_do",
            "what_pupils_do_en",
            "target_groups",
            "duration_minutes",
            "max_pupils",
            "pupils_per_supervisor",
            "places_per_day",
            "weekdays",
            "start_time",
            "locations",
            "host",
            "host_contact",
            "safety_rules",
            "safety_rules_en",
            "what_to_bring",
            "what_to_bring_en",
            "preparation",
            "preparation_en",
            "follow_up",
            "follow_up_en",
            "cost_excl_vat",
            "cost_terms",
            "cost_terms_en",
            "is_published",
        )

    def clean(self):
        cleaned = super().clean()
        kind, places = cleaned.get("kind"), cleaned.get("locations")
        if kind and places is not None:
            at_school = kind in (SchoolActivity.Kind.GUEST_LESSON, SchoolActivity.Kind.MOBILE_HUB)
            if at_school and places:
                self.add_error(
                    "locations",
                    _("Een gastles en de mobiele hub zijn op school: laat de plaatsen leeg."),
                )
            elif not at_school and not places:
                self.add_error("locations", _("Kies ten minste één plaats."))
        host, contact = cleaned.get("host"), cleaned.get("host_contact")
        if contact and host and not contact.memberships.filter(company=host).exists():
            self.add_error(
                "host_contact",
                _("Kies iemand van het gastbedrijf, of laat het veld leeg."),
            )
        return cleaned


class SchoolMaterialInline(admin.TabularInline):
    model = SchoolMaterial
    fields = ("use", "title", "title_en", "file")
    extra = 0


@admin.register(SchoolActivity)
class SchoolActivityAdmin(admin.ModelAdmin):
    form = SchoolActivityForm
    list_display = ("title", "kind", "host", "max_pupils", "places_per_day", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title", "title_en", "summary")
    list_select_related = ("host",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (SchoolMaterialInline,)
    fieldsets = (
        (
            _("Aanbod"),
            {
                "fields": (
                    "title",
                    "slug",
                    "kind",
                    "summary",
                    "what_pupils_do",
                    "target_groups",
                    "duration_minutes",
                )
            },
        ),
        (
            _("Voor de leraar"),
            {"fields": ("safety_rules", "what_to_bring", "preparation", "follow_up")},
        ),
        (
            _("Gastbedrijf, plaats en dagen"),
            {"fields": ("host", "host_contact", "locations", "weekdays", "start_time")},
        ),
        (
            _("Capaciteit"),
            {"fields": ("max_pupils", "pupils_per_supervisor", "places_per_day")},
        ),
        (_("Kosten"), {"fields": ("cost_excl_vat", "cost_terms")}),
        (
            _("Engelse teksten"),
            {
                "classes": ("collapse",),
                "fields": (
                    "title_en",
                    "summary_en",
                    "what_pupils_do_en",
                    "safety_rules_en",
                    "what_to_bring_en",
                    "preparation_en",
                    "follow_up_en",
                    "cost_terms_en",
                ),
            },
        ),
        (_("Publicatie"), {"fields": ("is_published",)}),
    )


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ("name", "brin", "city")

    def clean_brin(self) -> str:
        # Written as people say it ("12 ab"): the code itself is digits and capitals.
        return "".join(self.cleaned_data["brin"].split()).upper()


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    form = SchoolForm
    list_display = ("name", "brin", "city")
    search_fields = ("name", "brin", "city")
    list_filter = ("city",)
