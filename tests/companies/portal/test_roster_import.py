"""HR imports employees from a CSV file: parsing, checks, the service and the pages."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Invitation, Membership, User
from companies.portal import roster_import, services
from enrolment import outbox
from enrolment.models import Notification
from technohub.models import AuditLog
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "voornaam;tussenvoegsel;achternaam;e-mailadres\r\n"


def excel_file(*lines: str) -> bytes:
    """What Dutch Excel saves as "CSV (puntkomma-gescheiden)": Windows-1252, semicolons."""
    return (HEADER + "".join(f"{line}\r\n" for line in lines)).encode("cp1252")


def many_rows(count: int, *, start: int = 0) -> bytes:
    lines = [f"Medewerker;;Nummer {n};medewerker{n}@kampstaal.example" for n in range(start, count)]
    return excel_file(*lines)


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal")


@pytest.fixture
def hr(company):
    return MembershipFactory(
        company=company, role="hr", user=UserFactory(first_name="Hennie", last_name="Post")
    ).user


def check(company, data: bytes) -> list[roster_import.RowCheck]:
    return roster_import.check_file(company=company, data=data)


def run_import(company, hr, data: bytes, *, all_or_nothing: bool = False):
    return services.import_members(
        company=company,
        rows=check(company, data),
        hr_user=hr,
        all_or_nothing=all_or_nothing,
        site_url="http://testserver",
    )


# --- Reading the file -------------------------------------------------------------------------


def test_parse_reads_utf8_with_bom_and_commas():
    data = "\ufeffFirst name,Last name,Email\nZoë,Jansen,Zoe.Jansen@Example.NL\n".encode()
    (row,) = roster_import.parse_file(data)
    assert (row.line, row.first_name, row.last_name, row.email) == (
        2,
        "Zoë",
        "Jansen",
        "zoe.jansen@example.nl",
    )


def test_parse_reads_windows_1252_with_semicolons_and_dutch_characters():
    data = excel_file(
        "Frédérique;;Müller;frederique@kampstaal.example",
        "Zoë;van der;Veen;zoe@kampstaal.example",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rows = roster_import.parse_file(data)
    assert [(row.first_name, row.last_name) for row in rows] == [
        ("Frédérique", "Müller"),
        ("Zoë", "van der Veen"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Voornaam;Achternaam;E-mail",
        " VOORNAAM ; achternaam ; E-mailadres ",
        "first_name\tlast_name\temail",
        "Last Name,First Name,E-mail address",
        "Personeelsnummer;Roepnaam;Achternaam;Email;Afdeling",
    ],
)
def test_parse_recognises_header_variants(header):
    delimiter = "\t" if "\t" in header else ("," if "," in header else ";")
    names = {
        "personeelsnummer": "17",
        "roepnaam": "Sanne",
        "voornaam": "Sanne",
        "firstname": "Sanne",
        "achternaam": "Bos",
        "lastname": "Bos",
        "afdeling": "Lasserij",
    }
    cells = [
        names.get(roster_import._column_key(name), "sanne@kampstaal.example")
        for name in header.split(delimiter)
    ]
    data = f"{header}\n{delimiter.join(cells)}\n".encode()
    (row,) = roster_import.parse_file(data)
    assert (row.first_name, row.last_name, row.email) == ("Sanne", "Bos", "sanne@kampstaal.example")


def test_parse_skips_empty_lines_and_counts_lines_as_in_the_file():
    data = excel_file("", "Piet;;Smit;piet@kampstaal.example", ";;;", "Els;de;Boer;els@x.example")
    rows = roster_import.parse_file(data)
    assert [(row.line, row.last_name) for row in rows] == [(3, "Smit"), (5, "de Boer")]


def test_parse_follows_excels_sep_hint_line():
    data = b"sep=,\r\nvoornaam,achternaam,email\r\nPiet,Smit,piet@kampstaal.example\r\n"
    (row,) = roster_import.parse_file(data)
    assert (row.line, row.last_name) == (3, "Smit")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"naam;adres\nPiet;Emmeloord\n", "Niet gevonden: voornaam, achternaam, e-mailadres"),
        (b"Piet;Smit;piet@kampstaal.example\n", "De eerste regel moet de kolomnamen bevatten"),
        (b"voornaam;achternaam;email\n", "alleen kolomnamen"),
        (b"", "leeg"),
        (b"PK\x03\x04\x00\x00binary", "geen CSV-bestand"),
    ],
)
def test_parse_reports_one_clear_error_for_an_unreadable_file(data, message):
    with pytest.raises(roster_import.RosterFileError) as refused:
        roster_import.parse_file(data)
    assert message in refused.value.message


def test_parse_refuses_more_than_5000_rows_and_more_than_2_mb():
    with pytest.raises(roster_import.RosterFileError, match=r"meer dan 5\.000"):
        roster_import.parse_file(many_rows(5001))
    with pytest.raises(roster_import.RosterFileError, match="te groot"):
        roster_import.parse_file(HEADER.encode() + b"x" * roster_import.MAX_BYTES)
    assert len(roster_import.parse_file(many_rows(5000))) == 5000


# --- Checking the rows ------------------------------------------------------------------------


def test_check_reports_each_rows_problems(company):
    MembershipFactory(company=company, user=UserFactory(email="lid@kampstaal.example"))
    rows = check(
        company,
        excel_file(
            "Piet;;Smit;piet@kampstaal",
            "Els;de;Boer;els@kampstaal.example",
            "Elsje;;Boer;ELS@kampstaal.example",
            "Lid;;Al;Lid@Kampstaal.example",
            ";;Naamloos;",
        ),
    )
    errors = {row.line: " ".join(row.errors) for row in rows}
    assert "niet geldig" in errors[2]
    assert errors[3] == ""
    assert "staat ook op regel 3" in errors[4]
    # A member is no error: a sync leaves them be (or updates their department and function).
    assert errors[5] == ""
    assert rows[3].action == roster_import.RowCheck.UNCHANGED
    assert "voornaam ontbreekt" in errors[6]
    assert "e-mailadres ontbreekt" in errors[6]


def test_check_notes_an_existing_account_without_calling_it_an_error(company):
    other = CompanyFactory()
    account = MembershipFactory(company=other, user=UserFactory(email="fenna@elders.example")).user
    (row,) = check(company, excel_file("Fenna;;Bakker;Fenna@Elders.example"))
    assert row.is_valid
    assert row.account == account


def test_check_takes_the_same_few_queries_for_50_and_5000_rows(company):
    MembershipFactory(company=company, user=UserFactory(email="medewerker3@kampstaal.example"))
    small, large = many_rows(50), many_rows(5000)
    with CaptureQueriesContext(connection) as few:
        assert len(check(company, small)) == 50
    with CaptureQueriesContext(connection) as many:
        assert len(check(company, large)) == 5000
    # The roster, the pending invitations, the accounts of new addresses.
    assert len(few) == len(many) == 3


# --- Saving -----------------------------------------------------------------------------------


def test_import_adds_new_people_and_only_invites_those_who_have_an_account(company, hr):
    existing = UserFactory(email="fenna@elders.example", preferred_language="en")
    result = run_import(
        company,
        hr,
        excel_file("Zoë;van der;Veen;zoe@kampstaal.example", "Fenna;;Bakker;Fenna@elders.example"),
    )

    assert (result.added, result.new_accounts, result.skipped) == (2, 1, [])
    zoe = User.objects.get(email="zoe@kampstaal.example")
    assert (zoe.first_name, zoe.last_name, zoe.preferred_language) == ("Zoë", "van der Veen", "nl")
    assert not zoe.has_usable_password()
    assert list(
        Membership.objects.filter(company=company, role="employee").values_list("user", flat=True)
    ) == [zoe.pk]
    added = Notification.objects.get(template="company_added")
    assert added.to_email == "zoe@kampstaal.example"
    assert added.context["company"] == "Kampstaal"
    assert added.context["invited_by"] == "Hennie Post"
    assert added.context["set_password_url"].startswith(
        "http://testserver/account/nieuw-wachtwoord/"
    )
    invitation = Invitation.objects.get(company=company)
    assert invitation.email == "fenna@elders.example"
    invited = Notification.objects.get(template="company_invitation")
    assert invited.to_email == "fenna@elders.example"
    assert invited.context["accept_url"].endswith(f"/{invitation.token}/")
    # Fenna's account says English: her invitation is in English, with the English link.
    assert invited.language == "en"
    assert invited.context["accept_url"].startswith("http://testserver/en/invitation/")
    (entry,) = AuditLog.objects.filter(action="membership.imported")
    assert (entry.data["count"], entry.data["invited"]) == (2, 1)

    services.accept_invitation(token=invitation.token, user=existing)
    assert Membership.objects.filter(company=company, user=existing).exists()


def test_preview_says_the_same_for_an_address_with_and_without_an_account(client, company, hr):
    UserFactory(email="fenna@elders.example")
    client.force_login(hr)
    preview = upload(
        client, company, excel_file("Zoë;;Veen;zoe@x.example", "Fenna;;Bakker;fenna@elders.example")
    )
    html = preview.content.decode()
    assert html.count("Nieuw – wordt uitgenodigd") == 2
    assert "account" not in html.split('id="summary-title"')[1].split("</dl>")[0]


def test_all_or_nothing_saves_nothing_when_one_row_is_bad(company, hr):
    data = excel_file("Zoë;;Veen;zoe@kampstaal.example", "Piet;;Smit;geen-adres")
    with pytest.raises(services.ImportRefused, match="1 rij heeft een fout"):
        run_import(company, hr, data, all_or_nothing=True)
    assert not User.objects.filter(email="zoe@kampstaal.example").exists()
    assert Membership.objects.filter(company=company).count() == 1
    assert not Notification.objects.exists()


def test_partial_import_saves_only_the_valid_rows(company, hr):
    data = excel_file("Zoë;;Veen;zoe@kampstaal.example", "Piet;;Smit;geen-adres")
    result = run_import(company, hr, data)
    assert result.added == 1
    assert [row.line for row in result.skipped] == [3]
    assert list(
        Membership.objects.filter(company=company, role="employee").values_list(
            "user__email", flat=True
        )
    ) == ["zoe@kampstaal.example"]
    assert Notification.objects.count() == 1


def test_import_publishes_all_mails_from_one_hook_after_commit(
    company, hr, django_capture_on_commit_callbacks, monkeypatch
):
    published = []
    monkeypatch.setattr(outbox, "publish_many", lambda ids: published.extend(ids) or True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_import(company, hr, many_rows(3))
    # One hook and one task for all of them; the task publishes each row from a worker.
    assert len(callbacks) == 1
    assert sorted(published) == sorted(Notification.objects.values_list("pk", flat=True))


def test_publishing_many_stops_at_the_first_broker_failure_and_leaves_the_rest_to_the_sweep(
    monkeypatch,
):
    attempts = []
    monkeypatch.setattr(outbox, "publish", lambda pk: attempts.append(pk) and False)
    assert outbox.publish_each([1, 2, 3]) == 0
    assert attempts == [1]


def test_import_checks_again_for_people_added_since_the_preview(company, hr):
    rows = check(company, excel_file("Zoë;;Veen;zoe@kampstaal.example"))
    MembershipFactory(company=company, user=UserFactory(email="zoe@kampstaal.example"))
    result = services.import_members(
        company=company, rows=rows, hr_user=hr, all_or_nothing=False, site_url=""
    )
    # Zoë joined meanwhile: nobody is mailed or added twice.
    assert (result.added, result.unchanged) == (0, 1)
    assert not Notification.objects.exists()


def test_the_mail_of_a_new_account_links_to_choosing_a_password(company, hr, client):
    run_import(company, hr, excel_file("Zoë;;Veen;zoe@kampstaal.example"))
    mail.outbox.clear()
    outbox.deliver(Notification.objects.get().pk)
    (message,) = mail.outbox
    assert "Kampstaal" in message.subject
    assert "Hennie Post" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()


def test_import_of_5000_rows_takes_as_many_queries_as_50(company, hr):
    small = check(company, many_rows(50))
    large = check(company, many_rows(5050, start=50))
    with CaptureQueriesContext(connection) as few:
        services.import_members(
            company=company, rows=small, hr_user=hr, all_or_nothing=True, site_url=""
        )
    with CaptureQueriesContext(connection) as many:
        result = services.import_members(
            company=company, rows=large, hr_user=hr, all_or_nothing=True, site_url=""
        )
    assert len(few) == len(many)
    assert result.added == result.new_accounts == 5000
    assert Membership.objects.filter(company=company).count() == 5051
    assert Notification.objects.count() == 5050


# --- The pages --------------------------------------------------------------------------------


def upload(client, company, data: bytes, name: str = "medewerkers.csv"):
    return client.post(
        reverse("portal:import_members", args=[company.slug]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_hr_previews_then_confirms_an_import(client, company, hr):
    client.force_login(hr)
    assert (
        client.get(reverse("portal:roster", args=[company.slug]))
        .content.decode()
        .count(reverse("portal:import_members", args=[company.slug]))
    )
    page = client.get(reverse("portal:import_members", args=[company.slug]))
    assert page.status_code == 200

    preview = upload(client, company, excel_file("Zoë;;Veen;zoe@x.example", "Piet;;Smit;fout"))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Zoë Veen" in html
    assert "Fout:" in html
    assert not User.objects.filter(email="zoe@x.example").exists()
    import_id = preview.context["confirm_form"].initial["import_id"]

    done = client.post(
        reverse("portal:import_members", args=[company.slug]),
        {"confirm": "1", "import_id": import_id, "mode": "valid"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("portal:roster", args=[company.slug])
    assert "1 nieuwe medewerker gemaild" in done.content.decode()
    assert Membership.objects.filter(company=company, user__email="zoe@x.example").exists()

    again = client.post(
        reverse("portal:import_members", args=[company.slug]),
        {"confirm": "1", "import_id": import_id, "mode": "valid"},
        follow=True,
    )
    assert "Upload het bestand opnieuw" in again.content.decode()


def test_all_or_nothing_confirm_shows_the_refusal_on_the_preview(client, company, hr):
    client.force_login(hr)
    preview = upload(client, company, excel_file("Zoë;;Veen;zoe@x.example", "Piet;;Smit;fout"))
    import_id = preview.context["confirm_form"].initial["import_id"]
    refused = client.post(
        reverse("portal:import_members", args=[company.slug]),
        {"confirm": "1", "import_id": import_id, "mode": "all"},
    )
    assert refused.status_code == 200
    assert "Er is niemand opgeslagen" in refused.content.decode()
    assert not User.objects.filter(email="zoe@x.example").exists()


def test_upload_refuses_other_file_types_and_unreadable_files(client, company, hr):
    client.force_login(hr)
    wrong_type = upload(client, company, b"%PDF-1.7", name="lijst.pdf")
    assert "file" in wrong_type.context["form"].errors
    no_header = upload(client, company, b"Piet;Smit;piet@x.example\n")
    assert "kolomnamen" in " ".join(no_header.context["form"].errors["file"])


def test_another_companys_hr_gets_404(client, company):
    other_hr = MembershipFactory(role="hr").user
    client.force_login(other_hr)
    url = reverse("portal:import_members", args=[company.slug])
    assert client.get(url).status_code == 404
    assert upload(client, company, excel_file("Zoë;;Veen;zoe@x.example")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, company):
    response = client.get(reverse("portal:import_members", args=[company.slug]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
