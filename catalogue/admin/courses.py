"""Admin for the catalogue's reference data and courses: providers, locations, themes, courses."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Course, Location, Offering, Provider, Theme
from ..services import refresh_search_vectors
from .offering_forms import CourseOfferingForm
from .offerings import announce_if_published

# Links typed without a scheme are taken as https, as Django 6 will do.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("name", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "street", "postal_code", "city")
    list_filter = ("kind", "city")
    search_fields = ("name", "name_en", "city")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug")
    search_fields = ("name", "name_en")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Theme names are part of the search document of their courses.
        refresh_search_vectors(course_ids=obj.courses.values_list("pk", flat=True))


class OfferingInline(admin.TabularInline):
    model = Offering
    form = CourseOfferingForm
    fields = ("location", "status", "capacity", "min_participants", "confirmed_count")
    readonly_fields = ("confirmed_count",)
    autocomplete_fields = ("location",)
    show_change_link = True
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("title", "provider", "sector", "mode", "price_excl_vat", "is_published")
    list_filter = ("sector", "mode", "is_published", "funding_eligible", "provider")
    search_fields = ("title", "title_en", "summary")
    list_select_related = ("provider",)
    autocomplete_fields = ("provider", "themes", "qualification")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (OfferingInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "summary",
                    "description",
                    "learning_outcomes",
                    "audience",
                )
            },
        ),
        (
            _("Indeling"),
            {
                "fields": (
                    "provider",
                    "sector",
                    "themes",
                    "level",
                    "mode",
                    "study_hours",
                    "attendance_threshold",
                    "ozone_url",
                )
            },
        ),
        (
            _("Prijs en financiering"),
            {"fields": ("price_excl_vat", "vat_rate", "funding_eligible", "funding_note")},
        ),
        (
            _("Kwalificatie"),
            {
                "fields": ("qualification",),
                "description": _(
                    "Wie de cursus afrondt, behaalt deze kwalificatie met het certificaat; "
                    "HR ziet tot wanneer ze geldt en krijgt voor het verlopen bericht."
                ),
            },
        ),
        (
            _("Engelse teksten"),
            {
                "classes": ("collapse",),
                "fields": (
                    "title_en",
                    "summary_en",
                    "description_en",
                    "learning_outcomes_en",
                    "audience_en",
                    "funding_note_en",
                ),
            },
        ),
        (_("Publicatie"), {"fields": ("is_published",)}),
    )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Offering:
            for offering_form in formset.forms:
                if offering_form.instance.pk and offering_form not in formset.deleted_forms:
                    announce_if_published(request, offering_form)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Only now are the themes saved, and they are part of the search document.
        refresh_search_vectors(course_ids=[form.instance.pk])
