"""The privacy pages of a person's own account: downloading and erasing their data."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import erasure, export
from .forms import EraseAccountForm
from .selectors import erasure_preview


@require_POST
def download_my_data(request):
    """ "Mijn gegevens downloaden": a ZIP of everything the site holds about the person.

    POST only, so no browser prefetches it and a forged link cannot start it (CSRF). Past the
    hourly limit the profile says so.
    """
    if not request.user.is_authenticated:
        # Back to the profile after logging in: the button is there, and this address is POST only.
        return redirect_to_login(reverse("accounts:profile"))
    user = request.user
    now = timezone.now()
    try:
        archive = export.export_personal_data(user=user, now=now)
    except export.ExportRefused as refused:
        messages.error(request, refused.message)
        return redirect("accounts:profile")
    with translation.override(user.preferred_language):
        filename = _("technohub-gegevens-%(date)s.zip") % {
            "date": timezone.localdate(now).isoformat()
        }
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request):
    """Say what erasing the account does, then do it after the password; staff cannot."""
    if request.user.is_staff:
        return render(request, "privacy/erase_account.html", {"staff": True}, status=403)
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        erasure.erase_person(user=request.user, actor=request.user)
        logout(request)
        return redirect("privacy:account_erased")
    return render(
        request,
        "privacy/erase_account.html",
        {"form": form, "preview": erasure_preview(user=request.user)},
    )


def account_erased(request):
    """Where a person lands after erasing their account."""
    return render(request, "privacy/account_erased.html")
