"""The inventory names every field that looks personal, and only fields that exist."""

from django.apps import apps
from django.db import models
from django.utils import translation

from technohub.privacy.inventory import HOLDINGS, NOT_PERSONAL, covered_fields

# Words that, as a part of a field's name ("contact_phone", "ip_address"), suggest a person.
PERSONAL_WORDS = {
    "name", "email", "mail", "phone", "address", "street", "postal", "city", "ip", "agent",
    "username", "session", "login", "reason", "description", "notes", "note", "message",
    "repr", "context", "data", "error", "instructor", "password", "language",
    "accessibility", "parking", "audience", "outcomes",
}  # fmt: skip
PERSONAL_TYPES = (
    models.TextField,
    models.JSONField,
    models.EmailField,
    models.GenericIPAddressField,
    models.FileField,
)


def looks_personal(field) -> bool:
    if getattr(field, "model", None) is apps.get_model("companies.User"):
        return True  # the account row is about a person: every field is accounted for
    if isinstance(field, models.ForeignKey) and field.related_model is apps.get_model(
        "companies.User"
    ):
        return True
    return isinstance(field, PERSONAL_TYPES) or bool(PERSONAL_WORDS & set(field.name.split("_")))


def test_every_field_that_looks_personal_is_in_the_inventory_or_declared_not_personal():
    known = covered_fields() | set(NOT_PERSONAL)
    missing = sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and looks_personal(field)
        and f"{model._meta.label}.{field.name}" not in known
        and not isinstance(field, models.SlugField)
    )
    assert missing == [], missing


def test_the_inventory_names_only_fields_that_exist():
    for name in covered_fields() | set(NOT_PERSONAL):
        label, field = name.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(field)


def test_a_new_personal_field_is_noticed():
    """The check above would fail for a field nobody listed: a phone field on a company."""
    field = models.CharField(max_length=20)
    field.set_attributes_from_name("contact_phone")
    assert looks_personal(field)
    assert "companies.Company.contact_phone" not in covered_fields() | set(NOT_PERSONAL)


def test_retention_texts_render_the_settings_in_both_languages(settings):
    settings.PRIVACY_MAIL_RETENTION_DAYS = 400
    notification = next(h for h in HOLDINGS if h.model == "enrolment.Notification")
    with translation.override("nl"):
        assert "400 dagen" in str(notification.retention)
    with translation.override("en"):
        assert "400 days" in str(notification.retention)
