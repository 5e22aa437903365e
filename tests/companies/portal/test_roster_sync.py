"""The monthly HR file as a sync, and invitations that are sent once, listed, resent, withdrawn."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from companies.accounts.tokens import first_password_tokens
from companies.models import Invitation, Membership, User
from companies.portal import roster_import, services
from enrolment import outbox
from enrolment.models import Notification
from technohub.models import AuditLog
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.races import race

pytestmark = pytest.mark.django_db

HEADER = "voornaam;tussenvoegsel;achternaam;e-mailadres;afdeling;functie;personeelsnummer;taal"
FIRST = [
    "Zoë;van der;Veen;zoe@kampstaal.example;Productie;Lasser;1001;nl",
    "Frédérique;;Müller;fred@kampstaal.example;Kwaliteit;QA;1002;en",
    "Piet;;Smit;piet@kampstaal.example;Productie;Monteur;1003;",
]
# A month later: Frédérique moved to Productie, Piet left.
SECOND = [
    "Zoë;van der;Veen;zoe@kampstaal.example;Productie;Lasser;1001;nl",
    "Frédérique;;Müller;fred@kampstaal.example;Productie;QA;1002;en",
]


def csv_file(lines: list[str]) -> SimpleUploadedFile:
    data = "\r\n".join([HEADER, *lines, ""]).encode("cp1252")
    return SimpleUploadedFile("medewerkers.csv", data, content_type="text/csv")


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal", slug="kampstaal")


@pytest.fixture
def hr(company):
    return MembershipFactory(
        company=company,
        role="hr",
        user=UserFactory(first_name="Hennie", last_name="Post", email="hennie@kampstaal.example"),
    ).user


def upload(client, company, lines):
    return client.post(
        reverse("portal:import_members", args=[company.slug]), {"file": csv_file(lines)}
    )


def confirm(client, company, preview, **extra):
    return client.post(
        reverse("portal:import_members", args=[company.slug]),
        {
            "confirm": "1",
            "import_id": preview.context["confirm_form"].initial["import_id"],
            "mode": "valid",
            **extra,
        },
        follow=True,
    )


def test_importing_twice_with_one_change_and_one_leaver_is_a_sync(client, company, hr):
    client.force_login(hr)
    confirm(client, company, upload(client, company, FIRST))
    fred = Membership.objects.get(company=company, user__email="fred@kampstaal.example")
    assert (fred.department, fred.job_title, fred.personnel_number) == ("Kwaliteit", "QA", "1002")
    assert fred.user.preferred_language == "en"
    assert Notification.objects.filter(template="company_added").count() == 3

    # The same file again: nothing changes, nobody is mailed, and the page says so.
    again = upload(client, company, FIRST)
    assert again.context["invalid_count"] == 0
    assert (again.context["new_count"], again.context["update_count"]) == (0, 0)
    done = confirm(client, company, again)
    assert "Niets veranderd" in done.content.decode()
    assert Notification.objects.count() == 3

    # The edited file: one update, one leaver offered for removal, no errors.
    preview = upload(client, company, SECOND)
    context = preview.context
    assert (context["invalid_count"], context["new_count"], context["update_count"]) == (0, 0, 1)
    assert [m.user.email for m in context["leavers"]] == ["piet@kampstaal.example"]
    html = preview.content.decode()
    assert "Kwaliteit → Productie" in html
    assert "Niemand wordt verwijderd zonder vinkje" in html
    # HR herself is not in the file, and is never offered for removal.
    assert "hennie@kampstaal.example" not in html.split("niet in het bestand")[-1]

    # Confirming without ticking Piet keeps him; the update is saved.
    kept = confirm(client, company, preview)
    assert "1 medewerker staat niet in het bestand maar blijft op de lijst" in kept.content.decode()
    fred.refresh_from_db()
    assert fred.department == "Productie"
    piet = Membership.objects.get(company=company, user__email="piet@kampstaal.example")

    # Ticking him takes him off, as the roster's remove button would (and mails him).
    preview = upload(client, company, SECOND)
    removed = confirm(client, company, preview, remove=[piet.pk], enrolments="keep")
    assert "1 medewerker van de lijst gehaald" in removed.content.decode()
    assert not Membership.objects.filter(pk=piet.pk).exists()
    assert Notification.objects.filter(template="member_removed").count() == 1
    entries = AuditLog.objects.filter(action="membership.imported").order_by("pk")
    assert [e.data["updated"] for e in entries] == [0, 0, 1, 0]


def test_an_imported_persons_mail_is_in_the_rows_language_with_a_link_valid_14_days(
    client, company, hr
):
    services.import_members(
        company=company,
        rows=roster_import.check_file(
            company=company, data="\r\n".join([HEADER, FIRST[1], ""]).encode("cp1252")
        ),
        hr_user=hr,
        all_or_nothing=False,
        site_url="http://testserver",
    )
    notification = Notification.objects.get(template="company_added")
    assert notification.language == "en"
    mail.outbox.clear()
    assert outbox.deliver(notification.pk)
    (message,) = mail.outbox
    assert "14 days" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    assert link.startswith("/en/")

    # Ten days later (a reset link lasts three) the link still lets them choose a password.
    later = datetime.now() + timedelta(days=10)  # the token generator's clock is naive

    user = User.objects.get(email="fred@kampstaal.example")
    token = link.rstrip("/").split("/")[-1]
    first_password_tokens._now = lambda: later
    try:
        assert first_password_tokens.check_token(user, token)
        first_password_tokens._now = lambda: later + timedelta(days=5)
        assert not first_password_tokens.check_token(user, token)
    finally:
        del first_password_tokens._now
    form_page = client.get(link, follow=True)
    assert "new_password1" in form_page.content.decode()


def test_a_file_with_an_unknown_language_or_too_long_department_shows_it_by_the_row(
    client, company, hr
):
    client.force_login(hr)
    preview = upload(
        client,
        company,
        [
            "Zoë;;Veen;zoe@kampstaal.example;Productie;Lasser;1;fr",
            f"Piet;;Smit;piet@kampstaal.example;{'x' * 101};Monteur;2;en",
        ],
    )
    html = preview.content.decode()
    assert "De taal moet nl of en zijn." in html
    assert "Afdeling: te lang (meer dan 100 tekens)." in html


# --- Invitations ------------------------------------------------------------------------------


def invite(company, hr, email):
    return services.invite_member(company=company, email=email, invited_by=hr, site_url="")


def test_inviting_twice_mails_once_and_never_members_or_hr_herself(company, hr):
    first = invite(company, hr, "nieuw@kampstaal.example")
    second = invite(company, hr, "Nieuw@Kampstaal.example")
    assert first.pk == second.pk
    assert Notification.objects.filter(template="company_invitation").count() == 1
    MembershipFactory(company=company, user=UserFactory(email="lid@kampstaal.example"))
    with pytest.raises(services.DomainError, match="staat al op de medewerkerslijst"):
        invite(company, hr, "lid@kampstaal.example")
    with pytest.raises(services.DomainError, match="jezelf"):
        invite(company, hr, "HENNIE@kampstaal.example")


def test_an_import_does_not_mail_an_address_with_a_pending_invitation_again(company, hr):
    account = UserFactory(email="fenna@elders.example")
    invite(company, hr, account.email)
    data = "\r\n".join([HEADER, "Fenna;;Bakker;fenna@elders.example;;;;", ""]).encode()
    result = services.import_members(
        company=company,
        rows=roster_import.check_file(company=company, data=data),
        hr_user=hr,
        all_or_nothing=False,
        site_url="",
    )
    assert (result.added, result.unchanged) == (0, 1)
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(template="company_invitation").count() == 1


def test_resend_gives_a_new_link_and_withdraw_ends_it(client, company, hr):
    invitation = invite(company, hr, "nieuw@kampstaal.example")
    old_token = invitation.token
    client.force_login(hr)
    resend_url = reverse("portal:resend_invitation", args=[company.slug, invitation.pk])
    confirm_page = client.get(resend_url).content.decode()
    assert "De vorige link werkt dan niet meer" in confirm_page
    assert Notification.objects.count() == 1  # looking at the confirmation sends nothing
    client.post(resend_url)
    invitation.refresh_from_db()
    assert invitation.token != old_token and invitation.sent_count == 2
    assert Notification.objects.filter(template="company_invitation").count() == 2
    with pytest.raises(services.InvitationRefused):
        services.get_open_invitation(token=old_token)
    assert AuditLog.objects.filter(action="invitation.resent").count() == 1

    withdraw_url = reverse("portal:withdraw_invitation", args=[company.slug, invitation.pk])
    assert "werkt daarna niet meer" in client.get(withdraw_url).content.decode()
    client.post(withdraw_url)
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    with pytest.raises(services.InvitationRefused, match="ingetrokken"):
        services.get_open_invitation(token=invitation.token)
    assert AuditLog.objects.filter(action="invitation.withdrawn").count() == 1
    # Withdrawing or resending again says so instead of failing.
    again = client.post(withdraw_url, follow=True).content.decode()
    assert "al ingetrokken" in again
    # A withdrawn invitation no longer blocks a new one.
    assert invite(company, hr, "nieuw@kampstaal.example").pk != invitation.pk


def test_invitation_list_shows_each_status(client, company, hr):
    pending = invite(company, hr, "open@kampstaal.example")
    expired = invite(company, hr, "oud@kampstaal.example")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    withdrawn = invite(company, hr, "weg@kampstaal.example")
    services.withdraw_invitation(invitation=withdrawn, hr_user=hr)
    accepted = invite(company, hr, "ja@kampstaal.example")
    services.accept_invitation(token=accepted.token, user=UserFactory(email="ja@kampstaal.example"))
    client.force_login(hr)
    url = reverse("portal:invitations", args=[company.slug])
    statuses = {inv.email: status for inv, status in client.get(url).context["rows"]}
    assert statuses == {
        pending.email: "pending",
        expired.email: "expired",
        withdrawn.email: "withdrawn",
        accepted.email: "accepted",
    }
    only_expired = client.get(url, {"status": "expired"}).context["rows"]
    assert [inv.email for inv, _status in only_expired] == [expired.email]


@pytest.mark.django_db(transaction=True)
def test_four_hr_clicks_inviting_one_address_at_once_send_one_invitation():
    company = CompanyFactory(name="Kampstaal", slug="kampstaal")
    hr = MembershipFactory(company=company, role="hr").user
    results = race([lambda: invite(company, hr, "nieuw@kampstaal.example") for _ in range(4)])
    assert all(isinstance(result, Invitation) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(template="company_invitation").count() == 1


def test_inviting_a_pending_address_from_the_roster_page_says_so_and_mails_nothing(
    client, company, hr
):
    invite(company, hr, "nieuw@kampstaal.example")
    client.force_login(hr)
    response = client.post(
        reverse("portal:roster", args=[company.slug]),
        {"email": "nieuw@kampstaal.example"},
        follow=True,
    )
    assert "is al uitgenodigd en krijgt geen tweede e-mail" in response.content.decode()
    assert Notification.objects.filter(template="company_invitation").count() == 1
    refused = client.post(
        reverse("portal:roster", args=[company.slug]), {"email": hr.email}
    ).content.decode()
    assert "Je kunt jezelf niet uitnodigen." in refused
