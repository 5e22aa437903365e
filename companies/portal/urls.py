"""The company portal: HR's pages about their own company, all under ``bedrijf/<slug>/``."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from enrolment.qualifications import views as qualification_views

from ..funding import hr_views as funding_views
from ..funding import pack_views
from . import (
    import_views,
    invitation_views,
    request_views,
    reservation_views,
    transfer_views,
    views,
)

app_name = "portal"

urlpatterns = [
    path(_("bedrijf/"), views.choose_company, name="choose"),
    path(_("bedrijf/<slug:slug>/"), views.dashboard, name="dashboard"),
    path(_("bedrijf/<slug:slug>/export.csv"), views.export_csv, name="export_csv"),
    path(_("bedrijf/<slug:slug>/export.xlsx"), views.export_xlsx, name="export_xlsx"),
    path(_("bedrijf/<slug:slug>/medewerkers/"), views.roster, name="roster"),
    path(
        _("bedrijf/<slug:slug>/medewerkers/importeren/"),
        import_views.import_members,
        name="import_members",
    ),
    path(
        _("bedrijf/<slug:slug>/medewerkers/<int:pk>/verwijderen/"),
        views.remove_member,
        name="remove_member",
    ),
    path(
        _("bedrijf/<slug:slug>/uitnodigingen/"),
        invitation_views.invitations,
        name="invitations",
    ),
    path(
        _("bedrijf/<slug:slug>/uitnodigingen/<int:pk>/opnieuw-versturen/"),
        invitation_views.resend_invitation,
        name="resend_invitation",
    ),
    path(
        _("bedrijf/<slug:slug>/uitnodigingen/<int:pk>/intrekken/"),
        invitation_views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(_("bedrijf/<slug:slug>/uitvoeringen/<int:pk>/team/"), views.team_enrol, name="team_enrol"),
    path(
        _("bedrijf/<slug:slug>/toepassing/"),
        transfer_views.transfer_checks,
        name="transfer_checks",
    ),
    path(
        _("bedrijf/<slug:slug>/uitvoeringen/<int:pk>/reserveren/"),
        reservation_views.reserve,
        name="reserve",
    ),
    path(
        _("bedrijf/<slug:slug>/reserveringen/"),
        reservation_views.reservations,
        name="reservations",
    ),
    path(
        _("bedrijf/<slug:slug>/reserveringen/<int:pk>/"),
        reservation_views.reservation,
        name="reservation",
    ),
    path(
        _("bedrijf/<slug:slug>/reserveringen/<int:pk>/vrijgeven/"),
        reservation_views.release_reservation,
        name="release_reservation",
    ),
    path(_("bedrijf/<slug:slug>/aanvragen/"), request_views.requests, name="requests"),
    path(_("bedrijf/<slug:slug>/goedkeuring/"), request_views.approval_rule, name="approval_rule"),
    path(
        _("bedrijf/<slug:slug>/aanvragen/<int:pk>/goedkeuren/"),
        request_views.approve_request,
        name="approve_request",
    ),
    path(
        _("bedrijf/<slug:slug>/aanvragen/<int:pk>/afwijzen/"),
        request_views.reject_request,
        name="reject_request",
    ),
    path(_("bedrijf/<slug:slug>/subsidie/"), funding_views.funding, name="funding"),
    path(
        _("bedrijf/<slug:slug>/subsidie/<int:pk>/"),
        funding_views.funding_claim,
        name="funding_claim",
    ),
    path(
        _("bedrijf/<slug:slug>/kwalificaties/"),
        qualification_views.qualifications,
        name="qualifications",
    ),
    path(
        _("bedrijf/<slug:slug>/kwalificaties/export.xlsx"),
        qualification_views.qualifications_export,
        name="qualifications_export",
    ),
    path(
        _("bedrijf/<slug:slug>/kwalificaties/toevoegen/"),
        qualification_views.add_qualification,
        name="add_qualification",
    ),
    path(
        _("bedrijf/<slug:slug>/kwalificaties/<int:pk>/wijzigen/"),
        qualification_views.change_qualification,
        name="change_qualification",
    ),
    path(
        _("bedrijf/<slug:slug>/kwalificaties/<int:pk>/verwijderen/"),
        qualification_views.remove_qualification,
        name="remove_qualification",
    ),
    path(
        _("bedrijf/<slug:slug>/subsidie/claimpakket/"),
        pack_views.claim_pack,
        name="claim_pack",
    ),
]
