"""A person's own privacy pages: erasing their account."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import erasure
from .forms import EraseAccountForm
from .selectors import erasure_preview


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
