"""Admin for people and companies: users, clusters, companies, memberships, training needs."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, SetPasswordMixin, UserChangeForm
from django.core.validators import MaxLengthValidator
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from technohub.admin import ReadOnlyAdminMixin
from technohub.privacy import erasure, inventory

from .accounts.forms import MAX_PASSWORD_LENGTH
from .models import Cluster, Company, Interest, Invitation, Membership, TrainingNeed, User


class LowercaseEmailMixin:
    """Store email addresses in lower case, as ``UserManager`` does."""

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


def _bounded_password_fields():
    """Django's two new-password fields, with the log-in form's length limit."""
    fields = SetPasswordMixin.create_password_fields()
    for field in fields:
        field.max_length = MAX_PASSWORD_LENGTH
        field.validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
    return fields


class UserCreationAdminForm(LowercaseEmailMixin, AdminUserCreationForm):
    password1, password2 = _bounded_password_fields()

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)
        field_classes = {}


class UserChangeAdminForm(LowercaseEmailMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("email",)  # the admin's fieldsets decide the fields shown
        field_classes = {}


class MembershipInline(admin.TabularInline):
    """Used on both the company and the user page; the parent's own key is left out."""

    model = Membership
    fields = ("user", "company", "role")
    autocomplete_fields = ("user", "company")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "company")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Persoonlijke gegevens"),
            {"fields": ("first_name", "last_name", "phone", "preferred_language")},
        ),
        (
            _("Rechten"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                    "provider",
                )
            },
        ),
        (
            _("Belangrijke data"),
            {"fields": ("last_login", "date_joined", "email_verified_at", "erased_at")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", "provider")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined", "email_verified_at", "erased_at")
    inlines = (MembershipInline,)
    actions = ("erase_personal_data",)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            # Only a superuser hands out rights one by one or makes another superuser.
            return (*readonly, "is_superuser", "user_permissions")
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        # A programme manager who could change a superuser (their password) would be one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting would fail on a person's enrolments or leave their mails, log-ins and log
        # entries behind: people are erased instead, with the action below.
        return False

    def has_erase_permission(self, request) -> bool:
        return request.user.has_perm("companies.delete_user")

    @admin.action(
        description=_("Persoonsgegevens verwijderen (AVG-verzoek)"), permissions=["erase"]
    )
    def erase_personal_data(self, request, queryset):
        """Erase the chosen people after a confirmation page that says what happens."""
        people = list(queryset.filter(erased_at__isnull=True).exclude(pk=request.user.pk))
        if not request.user.is_superuser:
            people = [person for person in people if not person.is_superuser]
        if request.POST.get("post") == "yes" and people:
            for person in people:
                erasure.erase_person(user=person, actor=request.user)
            self.message_user(
                request,
                ngettext(
                    "De gegevens van %(count)s persoon zijn verwijderd.",
                    "De gegevens van %(count)s personen zijn verwijderd.",
                    len(people),
                )
                % {"count": len(people)},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/companies/user/erase_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Persoonsgegevens verwijderen"),
                "opts": self.opts,
                "people": people,
                "skipped": queryset.count() - len(people),
                "holdings": inventory.HOLDINGS,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("name", "company_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(company_count=Count("companies"))

    @admin.display(description=_("bedrijven"), ordering="company_count")
    def company_count(self, obj: Cluster) -> int:
        return obj.company_count


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "kvk_number", "cluster", "city", "sector_fund", "requires_approval")
    list_filter = ("cluster", "sector_fund", "requires_approval")
    search_fields = ("name", "kvk_number", "city")
    list_select_related = ("cluster",)
    autocomplete_fields = ("cluster",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "company", "role", "created_at")
    list_filter = ("role", "company")
    search_fields = ("user__email", "user__first_name", "user__last_name", "company__name")
    list_select_related = ("user", "company")
    autocomplete_fields = ("user", "company")


@admin.register(TrainingNeed)
class TrainingNeedAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "theme", "headcount", "urgency", "status", "created_at")
    list_filter = ("status", "urgency", "theme", "company__cluster")
    search_fields = ("title", "description", "company__name")
    list_select_related = ("company", "theme")
    autocomplete_fields = (
        "company",
        "submitted_by",
        "theme",
        "preferred_locations",
        "course",
        "offering",
    )
    date_hierarchy = "created_at"


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    """ "Houd me op de hoogte" from learners and HR; closed when an offering is announced to
    them."""

    list_display = ("course", "location", "learner", "company", "headcount", "notified_at")
    list_filter = (("notified_at", admin.EmptyFieldListFilter), "location")
    search_fields = ("course__title", "learner__email", "company__name")
    list_select_related = ("course", "location", "learner", "company")
    autocomplete_fields = ("course", "location", "learner", "company", "registered_by", "offering")
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Invitations are sent by HR from the company portal; here they are only looked up."""

    list_display = ("email", "company", "invited_by", "created_at", "expires_at", "accepted_at")
    list_filter = ("company",)
    search_fields = ("email", "company__name")
    list_select_related = ("company", "invited_by")
    exclude = ("token",)


# The funding schemes' admin lives with the funding rules; importing it registers it.
from .funding import admin as funding_admin  # noqa: E402, F401
