"""'Mijn gegevens downloaden': the export holds everything the inventory names, and only theirs."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import (
    FundingClaim,
    Interest,
    Invitation,
    Membership,
    Offer,
    Pledge,
    Proposal,
    TrainingNeed,
    User,
)
from enrolment.models import (
    Attendance,
    Certificate,
    Enrolment,
    EvaluationRequest,
    HeldQualification,
    Notification,
    SchoolEvaluation,
    SeatReservation,
    TransferCheck,
)
from technohub import audit
from technohub.models import AuditLog
from technohub.privacy import export
from technohub.privacy.export.overview import LABELS
from technohub.privacy.inventory import HOLDINGS
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    FundingSchemeFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    ProviderFactory,
    QualificationFactory,
    SchoolActivityFactory,
    SchoolRequestFactory,
    SchoolVisitFactory,
    UserFactory,
)
from tests.races import race

PASSWORD = "geheim-wachtwoord"


def enrol_with_attendance(*, learner, offering, meeting, present: bool, **fields) -> Enrolment:
    enrolment = EnrolmentFactory(learner=learner, offering=offering, **fields)
    Attendance.objects.create(
        enrolment=enrolment, meeting=meeting, state="present" if present else "absent"
    )
    return enrolment


@pytest.fixture
def person(db, client):
    """A learner with a row in every holding of the inventory, and a classmate in the same offering
    enrolled by the same HR member."""
    company = CompanyFactory(name="Kampstaal")
    hr = UserFactory(first_name="Hester", last_name="Hoogendoorn", email="hester@kampstaal.nl")
    MembershipFactory(user=hr, company=company, role=Membership.Role.HR)
    learner = UserFactory(
        first_name="Jan", last_name="Jansen", email="jan@kampstaal.nl", phone="0612345678"
    )
    classmate = UserFactory(first_name="Piet", last_name="Pietersen", email="piet@kampstaal.nl")
    MembershipFactory(user=learner, company=company)
    MembershipFactory(user=classmate, company=company)
    offering = OfferingFactory(course=CourseFactory(title="TIG-lassen RVS", title_en="TIG welding"))
    yesterday = timezone.now() - timedelta(days=1)
    meeting = MeetingFactory(
        offering=offering, starts_at=yesterday, ends_at=yesterday + timedelta(hours=4)
    )
    enrolment = enrol_with_attendance(
        learner=learner,
        offering=offering,
        meeting=meeting,
        present=True,
        status=Enrolment.Status.COMPLETED,
        company=company,
        enrolled_by=hr,
        reason="Voor de nieuwe lasrobot",
    )
    enrol_with_attendance(
        learner=classmate,
        offering=offering,
        meeting=meeting,
        present=False,
        status=Enrolment.Status.NO_SHOW,
        company=company,
        enrolled_by=hr,
    )
    Certificate.objects.create(
        enrolment=enrolment,
        number="TH-2026-000123",
        verification_code="c0ffee" * 6,
        issued_at=timezone.now(),
    )
    invitation = Invitation.objects.create(
        company=company,
        email="Jan@Kampstaal.nl",
        invited_by=hr,
        token="geheim-uitnodigingstoken",
        expires_at=timezone.now() + timedelta(days=14),
        accepted_at=timezone.now(),
        accepted_by=learner,
    )
    Notification.objects.create(
        recipient=learner,
        to_email=learner.email,
        template="company_invitation",
        context={
            "company": company.name,
            "invited_by": hr.get_full_name(),
            "accept_url": "https://hub.example/uitnodiging/geheim-uitnodigingstoken/",
        },
        sent_at=timezone.now(),
    )
    Notification.objects.create(
        recipient=learner,
        to_email=learner.email,
        template="enrolment_confirmed",
        enrolment=enrolment,
    )
    TrainingNeed.objects.create(
        company=company, submitted_by=learner, title="Robotlassen voor ons team", headcount=3
    )
    Interest.objects.create(course=CourseFactory(title="PLC-programmeren"), learner=learner)
    # Jan also reserved two seats for his colleagues in a later run.
    SeatReservation.objects.create(
        offering=OfferingFactory(course=CourseFactory(title="MIG/MAG-lassen")),
        company=company,
        reserved_by=learner,
        reserved_seats=2,
        seats=2,
    )
    # And, as the hub's staff sometimes are, he once let a run below its minimum go ahead.
    OfferingFactory(go_decided_by=learner, go_decided_at=timezone.now())
    # He proposed a training, pledged his team to it, and (as a college's staff would) offered it.
    proposal = Proposal.objects.create(
        origin=Proposal.Origin.COMPANY, company=company, created_by=learner, title="Cobots"
    )
    Pledge.objects.create(proposal=proposal, company=company, headcount=3, pledged_by=learner)
    Offer.objects.create(
        proposal=proposal,
        provider=offering.course.provider,
        submitted_by=learner,
        price_excl_vat=450,
        min_participants=4,
        max_participants=10,
        hours=8,
    )
    # He was asked to evaluate the welding course and answered; HR said he applies it.
    EvaluationRequest.objects.create(
        enrolment=enrolment, sent_at=timezone.now(), answered_at=timezone.now()
    )
    TransferCheck.objects.create(
        enrolment=enrolment,
        asked_at=timezone.now(),
        answer=TransferCheck.Answer.YES,
        answered_at=timezone.now(),
        answered_by=hr,
    )
    # HR claimed the welding course at the fund, and entered his VCA from elsewhere.
    FundingClaim.objects.create(
        enrolment=enrolment,
        scheme=FundingSchemeFactory(),
        company=company,
        learner=learner,
        course=offering.course,
        status=FundingClaim.Status.APPLIED,
        applied_on=timezone.localdate(),
        reference="AO-2026-0042",
        updated_by=hr,
    )
    HeldQualification.objects.create(
        person=learner,
        qualification=QualificationFactory(name="VCA Basis"),
        obtained_on=date(2020, 5, 1),
        expires_on=date(2030, 5, 1),
        issuer="SSVV-examencentrum",
        entered_by=hr,
    )
    school_request = SchoolRequestFactory(
        teacher=learner, contact_phone="0612345678", accessibility="Rolstoelroute"
    )
    SchoolEvaluation.objects.create(
        request=school_request,
        engagement=5,
        fit=4,
        improvement="Meer tijd",
        answered_on=date.today(),
    )
    SchoolVisitFactory(request=school_request, planned_by=learner)
    SchoolActivityFactory(host_contact=learner)
    audit.record(action="invitation.sent", target=invitation, actor=hr)
    audit.record(action="enrolment.confirmed", target=enrolment, actor=hr)
    LogEntry.objects.create(
        user=UserFactory(is_staff=True, first_name="Bea", last_name="Beheer"),
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(learner.pk),
        object_repr=str(learner),
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["Telefoonnummer"]}}]),
    )
    login = {"username": learner.email, "user_agent": "Firefox/140", "http_accept": "*/*"}
    AccessAttempt.objects.create(
        **login,
        ip_address="192.0.2.10",
        path_info="/account/inloggen/",
        get_data="",
        post_data="username=jan@kampstaal.nl&password=********************",
        failures_since_start=2,
    )
    AccessFailureLog.objects.create(**login, ip_address="192.0.2.10", path_info="/")
    AccessLog.objects.create(**login, ip_address="198.51.100.7", path_info="/")
    client.force_login(learner)
    return {"learner": learner, "classmate": classmate, "hr": hr, "company": company}


def test_the_export_has_a_section_with_records_for_every_holding_of_the_inventory(person):
    data = export.collect(user=person["learner"])

    assert set(data["sections"]) == {holding.model for holding in HOLDINGS}
    empty = [model for model, section in data["sections"].items() if not section["records"]]
    assert empty == []


def test_the_export_holds_the_stored_values(person):
    sections = export.collect(user=person["learner"])["sections"]

    def records(model):
        return sections[model]["records"]

    assert records("companies.User")[0]["email"] == "jan@kampstaal.nl"
    assert records("companies.User")[0]["phone"] == "0612345678"
    assert records("companies.Membership")[0]["company"] == "Kampstaal"
    assert records("companies.Invitation")[0]["accepted_by_you"] is True
    enrolment = records("enrolment.Enrolment")[0]
    assert enrolment["course"] == "TIG-lassen RVS"
    assert (enrolment["status"], enrolment["status_label"]) == ("completed", "afgerond")
    assert enrolment["enrolled_by"] == "HR van Kampstaal"
    assert enrolment["reason"] == "Voor de nieuwe lasrobot"
    assert [mark["state"] for mark in records("enrolment.Attendance")] == ["aanwezig"]
    assert records("enrolment.Certificate")[0]["number"] == "TH-2026-000123"
    reservation = records("enrolment.SeatReservation")[0]
    assert (reservation["course"], reservation["reserved_seats"]) == ("MIG/MAG-lassen", 2)
    mails = {mail["template"]: mail for mail in records("enrolment.Notification")}
    assert mails["enrolment_confirmed"]["subject"] == "Je bent ingeschreven: TIG-lassen RVS"
    assert mails["company_invitation"]["context"] == {"company": "Kampstaal"}
    assert records("companies.TrainingNeed")[0]["title"] == "Robotlassen voor ons team"
    assert records("companies.Interest")[0]["course"] == "PLC-programmeren"
    audit_rows = {row["action"]: row for row in records("technohub.AuditLog")}
    assert audit_rows["enrolment.confirmed"]["about_you"] is True
    assert records("admin.LogEntry")[0]["about_you"] is True
    assert records("axes.AccessAttempt")[0]["ip_address"] == "192.0.2.10"
    assert records("axes.AccessFailureLog")[0]["ip_address"] == "192.0.2.10"
    assert records("axes.AccessLog")[0]["ip_address"] == "198.51.100.7"
    assert records("sessions.Session") == [{"active_sessions": 1}]
    # What it says is stored as it is stored: ISO timestamps.
    assert timezone.datetime.fromisoformat(enrolment["created_at"]).tzinfo is not None


def test_the_export_names_nobody_else_and_no_password_hash_or_link_token(person):
    text = json.dumps(export.collect(user=person["learner"]), ensure_ascii=False)

    for other in (person["classmate"], person["hr"]):
        assert other.email not in text
        assert other.last_name not in text
    assert "Beheer" not in text
    assert person["learner"].password not in text
    assert "pbkdf2" not in text
    assert "geheim-uitnodigingstoken" not in text


def test_an_enrolment_by_the_hub_names_the_hub_not_the_staff_member(person):
    learner = person["learner"]
    manager = UserFactory(is_staff=True, first_name="Mia", last_name="Manager")
    EnrolmentFactory(learner=learner, enrolled_by=manager, company=person["company"])
    EnrolmentFactory(learner=learner, enrolled_by=learner)

    data = export.collect(user=learner)

    enrolled_by = [row["enrolled_by"] for row in data["sections"]["enrolment.Enrolment"]["records"]]
    assert enrolled_by == ["HR van Kampstaal", "Technohub NOP", "jijzelf"]
    assert "Manager" not in json.dumps(data)


def test_a_classmate_export_does_not_show_the_person(person):
    text = json.dumps(export.collect(user=person["classmate"]), ensure_ascii=False)

    assert "Jansen" not in text
    assert "jan@kampstaal.nl" not in text
    assert "TH-2026-000123" not in text


def test_the_query_count_does_not_grow_with_what_the_person_has(
    person, django_assert_max_num_queries
):
    learner = person["learner"]
    with django_assert_max_num_queries(30) as few:
        export.collect(user=learner)
    yesterday = timezone.now() - timedelta(days=1)
    for _ in range(3):
        offering = OfferingFactory()
        meeting = MeetingFactory(offering=offering, starts_at=yesterday)
        enrol_with_attendance(learner=learner, offering=offering, meeting=meeting, present=True)
        Interest.objects.create(course=offering.course, learner=learner)
        Notification.objects.create(recipient=learner, to_email=learner.email, template="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        export.collect(user=learner)


def test_every_field_of_the_overview_has_a_readable_label(person):
    data = export.collect(user=person["learner"])
    keys = {
        key.removesuffix("_label")
        for section in data["sections"].values()
        for record in section["records"]
        for key in record
    }
    assert keys - set(LABELS) == set()


def read_zip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_zip_has_the_json_a_dutch_overview_and_the_certificate(person):
    files = read_zip(export.build_zip(user=person["learner"]))

    assert set(files) == {"gegevens.json", "overzicht.html", "certificaat-TH-2026-000123.pdf"}
    data = json.loads(files["gegevens.json"])
    assert data["sections"]["companies.User"]["records"][0]["email"] == "jan@kampstaal.nl"
    overview = files["overzicht.html"].decode()
    assert overview.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in overview
    assert "TIG-lassen RVS" in overview
    assert "Inschrijvingen, wachtlijst, annuleringen en kosten" in overview
    assert "HR van Kampstaal" in overview
    assert "21,00" in overview  # the VAT rate, as Dutch writes numbers
    assert "Pietersen" not in overview
    assert "<script" not in overview and "<link" not in overview
    assert files["certificaat-TH-2026-000123.pdf"].startswith(b"%PDF")


def test_the_zip_is_in_english_for_an_english_speaker(person):
    learner = person["learner"]
    learner.preferred_language = "en"
    learner.save(update_fields=["preferred_language"])

    with translation.override("nl"):
        files = read_zip(export.build_zip(user=learner))

    assert {"data.json", "overview.html", "certificate-TH-2026-000123.pdf"} == set(files)
    overview = files["overview.html"].decode()
    assert '<html lang="en">' in overview
    assert "TIG welding" in overview
    assert "Your data at Technohub NOP" in overview
    assert "completed" in overview
    sections = json.loads(files["data.json"])["sections"]
    assert sections["enrolment.Enrolment"]["records"][0]["status_label"] == "completed"


def test_downloading_gives_a_private_zip_and_is_audited(person, client):
    response = client.post(reverse("privacy:download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="technohub-gegevens-{today}.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "gegevens.json" in read_zip(response.content)
    learner = person["learner"]
    assert AuditLog.objects.filter(
        action="privacy.exported", actor=learner, object_id=learner.pk
    ).exists()


def test_the_download_file_name_is_english_for_an_english_speaker(person, client):
    learner = person["learner"]
    learner.preferred_language = "en"
    learner.save(update_fields=["preferred_language"])

    response = client.post(reverse("privacy:download"))

    assert response["Content-Disposition"].startswith('attachment; filename="technohub-data-')


def test_downloading_needs_a_log_in(db, client):
    response = client.post(reverse("privacy:download"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('accounts:profile')}"
    assert not AuditLog.objects.filter(action="privacy.exported").exists()


def test_downloading_takes_only_post(person, client):
    response = client.get(reverse("privacy:download"))

    assert response.status_code == 405
    assert not AuditLog.objects.filter(action="privacy.exported").exists()


def test_downloading_too_often_in_an_hour_says_so_on_the_profile(person, client):
    for _ in range(export.EXPORTS_PER_HOUR):
        assert client.post(reverse("privacy:download")).status_code == 200

    response = client.post(reverse("privacy:download"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "keer gedownload" in response.content.decode()
    assert AuditLog.objects.filter(action="privacy.exported").count() == export.EXPORTS_PER_HOUR


def test_downloads_more_than_an_hour_ago_do_not_count(person, client):
    for _ in range(export.EXPORTS_PER_HOUR):
        client.post(reverse("privacy:download"))
    AuditLog.objects.filter(action="privacy.exported").update(
        created_at=timezone.now() - timedelta(hours=1, minutes=1)
    )

    assert client.post(reverse("privacy:download")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_downloads_at_the_same_moment_keep_to_the_hourly_limit():
    learner = UserFactory()
    attempts = export.EXPORTS_PER_HOUR + 3

    results = race([lambda: export.export_personal_data(user=learner)] * attempts)

    assert sum(isinstance(result, bytes) for result in results) == export.EXPORTS_PER_HOUR
    assert sum(isinstance(result, export.ExportRefused) for result in results) == 3
    assert AuditLog.objects.filter(action="privacy.exported").count() == export.EXPORTS_PER_HOUR


def test_the_profile_offers_the_download_as_a_form(person, client):
    response = client.get(reverse("accounts:profile"))

    content = response.content.decode()
    assert "Je gegevens" in content
    assert f'action="{reverse("privacy:download")}"' in content
    assert "Mijn gegevens downloaden" in content


def test_the_english_address_of_the_download(db):
    with translation.override("en"):
        assert reverse("privacy:download") == "/en/account/my-data/download/"
    assert reverse("privacy:download") == "/account/mijn-gegevens/downloaden/"


@pytest.mark.django_db
def test_a_trainers_data_says_which_college_they_work_for():
    trainer = UserFactory(is_staff=True, provider=ProviderFactory(name="Firda Emmeloord"))

    (account,) = export.collect(user=trainer)["sections"]["companies.User"]["records"]

    assert account["works_for_provider"] == "Firda Emmeloord"
