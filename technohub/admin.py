"""Admin pieces shared by the apps, and the read-only audit log."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .audit import action_label
from .models import AuditLog


class ServiceManagedAdminMixin:
    """For rows that services write: enrolments, attendance, certificates, the mail outbox.

    Adding or deleting such a row here would skip what the services guarantee (the capacity
    lock and seat counter, the audit row, the outbox mail), so the admin shows these rows and
    never creates or deletes them. Add views come back once the services exist.
    Works for model admins and inlines alike (``obj`` is optional).
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdminMixin(ServiceManagedAdminMixin):
    """Look, don't touch: no add, change or delete; every field, timestamps too, is shown."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        model_fields = [f.name for f in self.model._meta.fields if not f.primary_key]
        return list(dict.fromkeys([*model_fields, *self.readonly_fields]))


class AuditHistoryMixin:
    """A read-only ``audit_history`` field: the object's audit rows, newest first.

    Add ``"audit_history"`` to ``readonly_fields`` to show it on the change page.
    """

    @admin.display(description=_("auditlog"))
    def audit_history(self, obj) -> str | None:
        if obj is None or obj.pk is None:
            return None
        rows = AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("actor")
        if not rows:
            return _("Nog geen wijzigingen vastgelegd.")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("tijdstip"),
            _("actie"),
            _("door"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        date_format(localtime(row.created_at), "DATETIME_FORMAT"),
                        action_label(row.action),
                        row.actor or _("systeem"),
                    )
                    for row in rows
                ),
            ),
        )


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "target_link")
    list_filter = ("action", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("action", "actor__email")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "created_at"
    readonly_fields = ("target_link",)

    @admin.display(description=_("object"))
    def target_link(self, obj: AuditLog) -> str:
        label = f"{obj.content_type.name} #{obj.object_id}"
        content_type = obj.content_type
        try:
            url = reverse(
                f"admin:{content_type.app_label}_{content_type.model}_change",
                args=[obj.object_id],
            )
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)
