"""Admin for enrolments, attendance, certificates and the mail outbox.

Services write these rows (see ``ServiceManagedAdminMixin``); for now the admin shows them and
allows only the edits that cannot upset seats or mail: an enrolment's company, price and notes.
The outbox can be filtered by unsent, sent and failed, and staff can send a failed (or, on
purpose, a sent) mail again.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from technohub.admin import ReadOnlyAdminMixin, ServiceManagedAdminMixin
from technohub.models import AuditLog

from . import certificates_pdf, emails, outbox
from .models import Attendance, Certificate, Enrolment, HeldQualification, Notification
from .timeline import list_enrolment_timeline

logger = logging.getLogger(__name__)


@admin.register(Enrolment)
class EnrolmentAdmin(ServiceManagedAdminMixin, admin.ModelAdmin):
    list_display = ("learner", "offering", "status", "waitlist_position", "company", "created_at")
    list_filter = ("status", ("company", admin.RelatedOnlyFieldListFilter), "offering__location")
    search_fields = (
        "learner__email",
        "learner__first_name",
        "learner__last_name",
        "offering__course__title",
    )
    list_select_related = ("learner", "offering__course", "offering__location", "company")
    autocomplete_fields = ("offering", "learner", "enrolled_by", "company")
    fields = (
        "offering",
        "learner",
        "status",
        "waitlist_position",
        "company",
        "enrolled_by",
        "price_excl_vat",
        "vat_rate",
        "reason",
        "status_changed_at",
        "created_at",
        "updated_at",
        "timeline",
    )
    readonly_fields = ("status_changed_at", "created_at", "updated_at", "timeline")
    date_hierarchy = "created_at"

    @admin.display(description=_("geschiedenis"))
    def timeline(self, enrolment: Enrolment) -> str:
        """One history: the enrolment's own events, its run's, and edits made here."""
        if enrolment is None or enrolment.pk is None:
            return "–"
        entries = list_enrolment_timeline(enrolment=enrolment)
        if not entries:
            return _("Nog geen wijzigingen vastgelegd.")
        return format_html(
            '<table id="timeline" class="timeline"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
            "</table>",
            _("tijdstip"),
            _("gebeurtenis"),
            _("door"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}{}</td><td>{}</td></tr>",
                (
                    (
                        date_format(localtime(entry.at), "DATETIME_FORMAT"),
                        format_html("{}: {}", _("Uitvoering"), entry.what)
                        if entry.of_offering
                        else entry.what,
                        format_html(" – {}", entry.detail) if entry.detail else "",
                        entry.by or _("systeem"),
                    )
                    for entry in entries
                ),
            ),
        )

    def history_view(self, request, object_id, extra_context=None):
        # Django's own history would show only the edits made here: the timeline shows all.
        return HttpResponseRedirect(
            reverse("admin:enrolment_enrolment_change", args=[object_id]) + "#timeline"
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        # Seats and the waiting list are the services' business: an admin must not overbook.
        return ("offering", "learner", "status", "waitlist_position", *readonly)

    def save_model(self, request, obj, form, change):
        if change:
            # Write only what was edited here: a full save would also write back the status and
            # waiting-list position loaded with the page, undoing a service's change made since.
            obj.save(update_fields=[*form.changed_data, "updated_at"])
        else:
            super().save_model(request, obj, form, change)


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("enrolment__learner", "meeting", "state", "hours", "recorded_by", "recorded_at")
    list_filter = ("state", "meeting__offering__location")
    search_fields = ("enrolment__learner__email", "meeting__offering__course__title")
    list_select_related = ("enrolment__learner", "meeting__offering__course", "recorded_by")


@admin.register(HeldQualification)
class HeldQualificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who holds which qualification until when: granted by a certificate or entered by HR,
    so the programme manager only looks."""

    list_display = ("person", "qualification", "obtained_on", "expires_on", "issuer")
    list_filter = ("qualification",)
    search_fields = ("person__email", "person__last_name", "qualification__name", "issuer")
    list_select_related = ("person", "qualification")
    date_hierarchy = "expires_on"


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "enrolment__learner", "enrolment__offering", "issued_at")
    search_fields = ("number", "verification_code", "enrolment__learner__email")
    list_select_related = (
        "enrolment__learner",
        "enrolment__offering__course",
        "enrolment__offering__location",
    )
    date_hierarchy = "issued_at"
    readonly_fields = ("download",)

    @admin.display(description=_("pdf"))
    def download(self, certificate: Certificate) -> str:
        url = reverse("admin:enrolment_certificate_pdf", args=[certificate.pk])
        return format_html('<a href="{}">{}</a>', url, _("Certificaat downloaden (pdf)"))

    def get_urls(self):
        pdf = path(
            "<int:pk>/pdf/",
            self.admin_site.admin_view(self.pdf_view),
            name="enrolment_certificate_pdf",
        )
        return [pdf, *super().get_urls()]

    def pdf_view(self, request, pk: int) -> HttpResponse:
        """The certificate as the learner gets it: the stored PDF, or one rendered now."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        certificate = get_object_or_404(
            Certificate.objects.select_related(
                "enrolment__learner", "enrolment__offering__course__provider"
            ),
            pk=pk,
        )
        response = HttpResponse(
            certificates_pdf.read_certificate_pdf(certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{certificates_pdf.filename(certificate)}"'
        )
        return response


class NotificationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("unsent", _("nog niet verzonden")),
            ("sent", _("verzonden")),
            ("failed", _("mislukt")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "unsent":
                return queryset.filter(sent_at=None, failed_at=None)
            case "sent":
                return queryset.exclude(sent_at=None)
            case "failed":
                return queryset.exclude(failed_at=None)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "kind",
        "to_email",
        "created_at",
        "sent_at",
        "attempts",
        "failed_at",
        "resends",
    )
    list_filter = (NotificationStatusFilter, "template")
    search_fields = ("to_email", "template")
    date_hierarchy = "created_at"
    actions = ("resend",)
    readonly_fields = ("subject", "body", "resends", "resend_history")
    fieldsets = (
        (None, {"fields": ("template", "to_email", "recipient", "language", "enrolment")}),
        (_("Wat er verstuurd is"), {"fields": ("subject", "body")}),
        (
            _("Verzending"),
            {
                "fields": (
                    "created_at",
                    "sent_at",
                    "failed_at",
                    "attempts",
                    "last_error",
                    "claimed_until",
                    "resends",
                    "resend_history",
                )
            },
        ),
        (_("Gegevens"), {"classes": ("collapse",), "fields": ("context", "dedupe_key")}),
    )

    def get_queryset(self, request):
        resent = (
            AuditLog.objects.filter(
                action="notification.resent",
                content_type=ContentType.objects.get_for_model(Notification),
                object_id=OuterRef("pk"),
            )
            .order_by()
            .values("object_id")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(resent=Coalesce(Subquery(resent, output_field=IntegerField()), 0))
        )

    def _rendered(self, notification: Notification):
        """The mail as it was sent (or will be), in the recipient's language; None when it
        cannot be shown any more: its content was emptied after the retention period, or
        what it is about is gone."""
        if notification is None or notification.pk is None or not notification.template:
            return None
        if self._emptied(notification):
            return None
        cache = getattr(self, "_rendered_cache", None)
        if cache is None or cache[0] != notification.pk:
            try:
                rendered = emails.render(notification, with_attachments=False)
            except Exception:  # a missing key, object or template: say so, never a 500
                logger.warning("Could not render notification %s", notification.pk, exc_info=True)
                rendered = None
            self._rendered_cache = cache = (notification.pk, rendered)
        return cache[1]

    @staticmethod
    def _emptied(notification: Notification) -> bool:
        # Past the mail retention period the content is gone (technohub.privacy.retention).
        return notification.created_at < timezone.now() - timedelta(
            days=settings.PRIVACY_MAIL_RETENTION_DAYS
        )

    @admin.display(description=_("onderwerp"))
    def subject(self, notification: Notification) -> str:
        rendered = self._rendered(notification)
        if rendered is not None:
            return rendered.subject
        if notification is not None and notification.pk and self._emptied(notification):
            return _("De inhoud is volgens de bewaartermijn gewist.")
        return _("Dit bericht kan niet meer getoond worden: waar het over ging, bestaat niet meer.")

    @admin.display(description=_("soort"), ordering="template")
    def kind(self, notification: Notification) -> str:
        return emails.template_label(notification.template)

    @admin.display(description=_("tekst"))
    def body(self, notification: Notification) -> str:
        rendered = self._rendered(notification)
        if rendered is None:
            return "–"
        # The text version, escaped: what the recipient read, never markup from the data.
        return format_html(
            '<div class="mail-body">{}</div>',
            # linebreaks escapes the text itself (autoescape) before adding <p> and <br>.
            mark_safe(linebreaks(rendered.text, autoescape=True)),
        )

    @admin.display(description=_("opnieuw verstuurd"), ordering="resent")
    def resends(self, notification: Notification) -> int:
        if hasattr(notification, "resent"):
            return notification.resent
        return self._resend_rows(notification).count()

    @admin.display(description=_("opnieuw verstuurd door"))
    def resend_history(self, notification: Notification) -> str:
        rows = self._resend_rows(notification).select_related("actor")
        if not rows:
            return "–"
        return format_html_join(
            ", ",
            "{} ({})",
            (
                (
                    row.actor or _("systeem"),
                    date_format(localtime(row.created_at), "DATETIME_FORMAT"),
                )
                for row in rows
            ),
        )

    def _resend_rows(self, notification: Notification):
        return AuditLog.objects.filter(
            action="notification.resent",
            content_type=ContentType.objects.get_for_model(Notification),
            object_id=notification.pk,
        ).order_by("created_at")

    def has_resend_permission(self, request) -> bool:
        # The rows are read-only here, yet sending again is a change staff may be granted.
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    @admin.action(description=_("Opnieuw versturen"), permissions=["resend"])
    def resend(self, request, queryset):
        """Send the selected failed or sent mails again; unsent ones are still on their way."""
        resendable = queryset.filter(Q(failed_at__isnull=False) | Q(sent_at__isnull=False))
        # Past the mail retention period a row's content is gone: there is nothing to resend.
        emptied_before = timezone.now() - timedelta(days=settings.PRIVACY_MAIL_RETENTION_DAYS)
        expired = resendable.filter(created_at__lt=emptied_before).count()
        resendable = resendable.filter(created_at__gte=emptied_before)
        ids = [
            notification_id
            for notification_id in resendable.values_list("pk", flat=True)
            if outbox.resend(notification_id=notification_id, actor=request.user)
        ]
        if ids:
            self.message_user(
                request,
                ngettext(
                    "%(count)s bericht wordt opnieuw verstuurd.",
                    "%(count)s berichten worden opnieuw verstuurd.",
                    len(ids),
                )
                % {"count": len(ids)},
                messages.SUCCESS,
            )
        if expired:
            self.message_user(
                request,
                ngettext(
                    "%(count)s bericht is te oud: de inhoud is volgens de bewaartermijn "
                    "gewist. Het is overgeslagen.",
                    "%(count)s berichten zijn te oud: de inhoud is volgens de bewaartermijn "
                    "gewist. Ze zijn overgeslagen.",
                    expired,
                )
                % {"count": expired},
                messages.WARNING,
            )
        pending = queryset.count() - len(ids) - expired
        if pending:
            self.message_user(
                request,
                ngettext(
                    "%(count)s bericht is nog niet verzonden en wordt al verstuurd; "
                    "het is overgeslagen.",
                    "%(count)s berichten zijn nog niet verzonden en worden al verstuurd; "
                    "ze zijn overgeslagen.",
                    pending,
                )
                % {"count": pending},
                messages.WARNING,
            )
