"""Admin for the learning offer: providers, locations, themes, courses, runs and meetings."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import F, Min
from django.utils.translation import gettext_lazy as _

from enrolment.models import Enrolment
from technohub.admin import AuditHistoryMixin, ReadOnlyAdminMixin

from .models import Course, Location, Meeting, Offering, Provider, Theme
from .services import refresh_search_vectors

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


class OfferingForm(forms.ModelForm):
    """Checks a new capacity against the seats confirmed right now, not when the page loaded."""

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        # The admin saves inside one transaction. Locking the row here keeps an enrolment from
        # slipping in between this check and the save, and the full save that follows then
        # writes back the current seat counter instead of the one loaded with the page.
        confirmed = (
            Offering.objects.select_for_update(no_key=True)
            .values_list("confirmed_count", flat=True)
            .get(pk=self.instance.pk)
        )
        self.instance.confirmed_count = confirmed
        capacity = cleaned_data.get("capacity")
        if capacity is not None and capacity < confirmed:
            self.add_error(
                "capacity",
                _("Bevestigde plaatsen: %(count)s. De capaciteit kan niet lager zijn.")
                % {"count": confirmed},
            )
        return cleaned_data


class OfferingInline(admin.TabularInline):
    model = Offering
    form = OfferingForm
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
    autocomplete_fields = ("provider", "themes")
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Only now are the themes saved, and they are part of the search document.
        refresh_search_vectors(course_ids=[form.instance.pk])


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ("starts_at", "ends_at", "topic")
    extra = 0


class EnrolmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The run's participants at a glance; changes go through the enrolment pages."""

    model = Enrolment
    fields = ("learner", "status", "waitlist_position", "company")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("learner", "company")


@admin.register(Offering)
class OfferingAdmin(AuditHistoryMixin, admin.ModelAdmin):
    form = OfferingForm
    list_display = (
        "course",
        "location",
        "first_meeting",
        "status",
        "capacity",
        "confirmed_count",
        "seats_left",
    )
    list_filter = ("status", "location", "course__sector")
    search_fields = ("course__title", "location__name", "instructor")
    autocomplete_fields = ("course", "location")
    readonly_fields = ("confirmed_count", "seats_left", "audit_history")
    inlines = (MeetingInline, EnrolmentInline)

    def get_queryset(self, request):
        # Also used by autocomplete, whose labels (str) need the course and location.
        return (
            super()
            .get_queryset(request)
            .select_related("course", "location")
            .annotate(first_meeting=Min("meetings__starts_at"))
        )

    @admin.display(description=_("eerste bijeenkomst"), ordering="first_meeting")
    def first_meeting(self, obj: Offering):
        return obj.first_meeting

    @admin.display(description=_("plaatsen vrij"), ordering=F("capacity") - F("confirmed_count"))
    def seats_left(self, obj: Offering) -> int | None:
        return obj.seats_left if obj.pk else None  # a new run has no capacity yet


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("offering", "starts_at", "ends_at", "topic")
    list_filter = ("offering__location", "offering__course__sector")
    search_fields = ("offering__course__title", "topic")
    list_select_related = ("offering__course", "offering__location")
    autocomplete_fields = ("offering",)
    date_hierarchy = "starts_at"
