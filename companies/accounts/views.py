"""Account pages: sign up, confirm the address, log in and out, reset a password, profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalogue.college.access import college_landing
from companies.portal import selectors as roster_selectors
from companies.portal import services as roster

from ..models import StaffPermission, User
from . import lockout, services
from .forms import LoginForm, PasswordChangeForm, ProfileForm, SignupForm
from .language import in_preferred_language
from .tokens import email_verification_token, password_link_tokens
from .user_cache import CachedModelBackend


def _safe_next(request, value: str | None) -> str:
    """``value`` if it is a path on this site, else an empty string (no open redirects)."""
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return ""


def landing_url(user: User) -> str:
    """Where ``user`` lands after logging in without a ``next``: hub staff who may see it on
    the start page of the day, a college's staff on their provider's page, HR on the company
    portal (their company's overview, or the choice when they are HR of several), everyone
    else on "Mijn cursussen"."""
    if user.is_staff and user.has_perm(StaffPermission.DASHBOARD):
        return reverse("backoffice:today")
    if college := college_landing(user):
        return college
    companies = roster_selectors.list_team_companies(user=user)
    if len(companies) == 1:
        return reverse("portal:dashboard", args=[companies[0].slug])
    if companies:
        return reverse("portal:choose")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # An explicit ``next`` wins (``get_success_url`` reads it first).
        return landing_url(self.request.user)

    def form_valid(self, form):
        return in_preferred_language(super().form_valid(form), user=form.get_user())

    def form_invalid(self, form):
        if form.unverified_user is not None:
            services.send_verification(
                user=form.unverified_user,
                site_url=settings.SITE_URL,
                next_url=_safe_next(self.request, self.request.POST.get("next")),
            )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account; the confirmation link in the mail logs the new user in."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.register_user(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            preferred_language=form.preferred_language,
            site_url=settings.SITE_URL,
            next_url=next_url,
        )
        # The same page whether or not the address had an account: nobody learns which.
        return render(request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def verify_email(request, uidb64: str, token: str):
    """Confirm the address behind a mailed link, log the user in, go where they were going."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not email_verification_token.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    services.confirm_email(user=user)
    login(request, user, backend=CachedModelBackend.path)
    with translation.override(user.preferred_language):
        messages.success(request, _("Je e-mailadres is bevestigd. Welkom bij Technohub NOP!"))
    return in_preferred_language(
        redirect(_safe_next(request, request.GET.get("next")) or settings.LOGIN_REDIRECT_URL),
        user=user,
    )


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        services.request_password_reset(
            email=form.cleaned_data["email"], site_url=settings.SITE_URL
        )
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    # A reset link, or the longer-lived first-password link of an imported employee.
    token_generator = password_link_tokens

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link came by mail, so the address is proven: no second confirmation needed,
        # and whatever failed attempts locked or slowed the account no longer count.
        services.confirm_email(user=form.user)
        lockout.lift_lock(email=form.user.email)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's own details, and the companies they belong to."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.update_profile(user=request.user, **form.cleaned_data)
        # The page that follows is in the language just chosen, and so is the site from now on.
        with translation.override(user.preferred_language):
            messages.success(request, _("Je gegevens zijn opgeslagen."))
        return in_preferred_language(redirect("accounts:profile"), user=user)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": roster_selectors.list_memberships(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    """The user changes their own password: the current one first, then the new one twice."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        # This session stays logged in; the user's other sessions end.
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Je wachtwoord is gewijzigd."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    """Join a company from an invitation link: log in or sign up first, then confirm."""
    try:
        invitation = roster.get_open_invitation(token=token)
    except roster.InvitationRefused as refused:
        return render(request, "accounts/invitation.html", {"refused": refused.message}, status=400)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = roster.accept_invitation(token=token, user=request.user)
        except roster.InvitationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Je hoort nu bij %(company)s.") % {"company": membership.company.name},
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/invitation.html", {"invitation": invitation})
