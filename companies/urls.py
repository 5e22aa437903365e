from django.urls import path
from django.utils.translation import gettext_lazy as _

from .views import accounts, demand, funding, portal, roster_import

account_patterns = [
    path(_("account/inloggen/"), accounts.LoginView.as_view(), name="login"),
    path(_("account/uitloggen/"), accounts.LogoutView.as_view(), name="logout"),
    path(_("account/registreren/"), accounts.signup, name="signup"),
    path(_("account/bevestigen/<uidb64>/<token>/"), accounts.verify_email, name="verify_email"),
    path(_("account/profiel/"), accounts.profile, name="profile"),
    path(
        _("account/wachtwoord-vergeten/"),
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        _("account/wachtwoord-vergeten/verstuurd/"),
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        _("account/nieuw-wachtwoord/<uidb64>/<token>/"),
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        _("account/nieuw-wachtwoord/klaar/"),
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(_("uitnodiging/<str:token>/"), accounts.accept_invitation, name="accept_invitation"),
]

portal_patterns = [
    path(_("bedrijf/"), portal.choose_company, name="choose"),
    path(_("bedrijf/<slug:slug>/"), portal.dashboard, name="dashboard"),
    path(_("bedrijf/<slug:slug>/export.csv"), portal.export_csv, name="export_csv"),
    path(_("bedrijf/<slug:slug>/export.xlsx"), portal.export_xlsx, name="export_xlsx"),
    path(_("bedrijf/<slug:slug>/medewerkers/"), portal.roster, name="roster"),
    path(
        _("bedrijf/<slug:slug>/medewerkers/importeren/"),
        roster_import.import_members,
        name="import_members",
    ),
    path(
        _("bedrijf/<slug:slug>/medewerkers/<int:pk>/verwijderen/"),
        portal.remove_member,
        name="remove_member",
    ),
    path(
        _("bedrijf/<slug:slug>/uitvoeringen/<int:pk>/team/"), portal.team_enrol, name="team_enrol"
    ),
    path(_("bedrijf/<slug:slug>/aanvragen/"), portal.requests, name="requests"),
    path(
        _("bedrijf/<slug:slug>/aanvragen/<int:pk>/afwijzen/"),
        portal.reject_request,
        name="reject_request",
    ),
    path(_("bedrijf/<slug:slug>/behoeften/"), demand.needs, name="needs"),
    path(_("bedrijf/<slug:slug>/behoeften/nieuw/"), demand.new_need, name="new_need"),
    path(_("bedrijf/<slug:slug>/interesse/"), demand.company_interest, name="company_interest"),
]

# Asking for training: a learner's "Houd me op de hoogte" and what the region asks for
# (included under the "demand" namespace).
demand_patterns = [
    path(
        _("cursussen/<slug:slug>/op-de-hoogte/"),
        demand.register_interest,
        name="register_interest",
    ),
    path(
        _("cursussen/<slug:slug>/op-de-hoogte/stoppen/"),
        demand.withdraw_interest,
        name="withdraw_interest",
    ),
    path(_("gevraagd/"), demand.summary, name="summary"),
]

# Hub staff's own pages outside the admin (included under the "staff_reports" namespace).
staff_patterns = [
    path(_("beheer-subsidie/"), funding.funding_report, name="funding_report"),
    path(_("beheer-vraag/"), demand.board, name="demand_board"),
]
