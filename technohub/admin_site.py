"""The hub's admin site: the daily work first, and staff land on the start page after log-in."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from catalogue.college.access import college_landing
from companies.models import StaffPermission

# The apps the programme manager works in every day, in this order; the apps for accounts,
# groups and log-in security (lock-outs) come after them.
DAILY_APPS = ("catalogue", "enrolment", "companies", "technohub")
SECURITY_APPS = ("auth", "axes")


def _app_order(app: dict) -> tuple[int, int, str]:
    label = app["app_label"]
    if label in DAILY_APPS:
        return (0, DAILY_APPS.index(label), "")
    if label in SECURITY_APPS:
        return (2, SECURITY_APPS.index(label), "")
    return (1, 0, str(app["name"]))


class HubAdminSite(admin.AdminSite):
    """Django's admin with the hub's order of apps, the start page's counts on the index and
    the start page as the landing page after log-in for staff who may see it. The staff menu at
    the top of every page replaces Django's navigation sidebar, which would take a quarter of a
    laptop's width from the run list."""

    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        return sorted(super().get_app_list(request, app_label), key=_app_order)

    def index(self, request, extra_context=None):
        context = {}
        if request.user.has_perm(StaffPermission.DASHBOARD):
            from technohub.backoffice.today import get_today  # the back office imports the admin

            context["today"] = get_today(now=timezone.now())
        return super().index(request, {**context, **(extra_context or {})})

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        if (
            request.method == "POST"
            and isinstance(response, HttpResponseRedirect)
            and request.user.is_authenticated
            and request.user.has_perm(StaffPermission.DASHBOARD)
        ):
            # No page asked for, or only the admin's index (where /beheer/ sends a visitor who
            # is not logged in): the day starts on the start page.
            wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
            if not wanted or wanted == reverse("admin:index", current_app=self.name):
                return HttpResponseRedirect(reverse("backoffice:today"))
        elif (
            request.method == "POST"
            and isinstance(response, HttpResponseRedirect)
            and request.user.is_authenticated
        ):
            # A college's staff have no start page: theirs is their provider's page.
            wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
            college = college_landing(request.user)
            if college and (not wanted or wanted == reverse("admin:index", current_app=self.name)):
                return HttpResponseRedirect(college)
        return response
