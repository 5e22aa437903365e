"""Account pages, the same for everyone: log-in, sign-up, profile, password, invitations."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "accounts"

urlpatterns = [
    path(_("account/inloggen/"), views.LoginView.as_view(), name="login"),
    path(_("account/uitloggen/"), views.LogoutView.as_view(), name="logout"),
    path(_("account/registreren/"), views.signup, name="signup"),
    path(_("account/bevestigen/<uidb64>/<token>/"), views.verify_email, name="verify_email"),
    path(_("account/profiel/"), views.profile, name="profile"),
    path(_("account/wachtwoord-wijzigen/"), views.change_password, name="password_change"),
    path(
        _("account/wachtwoord-vergeten/"),
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        _("account/wachtwoord-vergeten/verstuurd/"),
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        _("account/nieuw-wachtwoord/<uidb64>/<token>/"),
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        _("account/nieuw-wachtwoord/klaar/"),
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(_("uitnodiging/<str:token>/"), views.accept_invitation, name="accept_invitation"),
]
