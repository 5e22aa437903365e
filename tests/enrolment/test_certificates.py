"""Certificates of participation: issued once per completed enrolment, a PDF stored once and
mailed, downloadable by the learner only, and checkable by anyone who has the code."""

import html
import io
import re
import threading
import time
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from enrolment import certificates_pdf, outbox, selectors, services, tasks
from enrolment.models import Certificate, Enrolment, Notification
from enrolment.services import certificates as certificate_services
from technohub.models import AuditLog
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    MeetingFactory,
    OfferingFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^TH-(\d{4})-(\d{6})$")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored PDFs go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def published(monkeypatch, request):
    """Record what would be handed to Celery instead of publishing it to the broker (unless
    the test runs a real worker)."""
    calls = {"pdf": [], "mail": []}
    if "celery_worker" in request.fixturenames:
        return calls
    monkeypatch.setattr(
        certificate_services, "schedule_pdf", lambda pk: calls["pdf"].append(pk) or True
    )
    monkeypatch.setattr(outbox, "publish", lambda pk: calls["mail"].append(pk) or True)
    return calls


@pytest.fixture
def company():
    return CompanyFactory(name="Kampstaal Emmeloord")


def completed_enrolment(*, learner=None, company=None, status=Enrolment.Status.COMPLETED):
    """An offering of two meetings that ended last month, and the learner's enrolment in it."""
    course = CourseFactory(title="TIG-lassen RVS", provider=ProviderFactory(name="Firda Emmeloord"))
    offering = OfferingFactory(course=course, status="completed")
    first = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
    for week in range(2):
        starts_at = first + timedelta(weeks=week)
        MeetingFactory(
            offering=offering, starts_at=starts_at, ends_at=starts_at + timedelta(hours=7)
        )
    return EnrolmentFactory(
        offering=offering,
        learner=learner or UserFactory(first_name="Zoë", last_name="Bakker"),
        company=company,
        status=status,
    )


@pytest.fixture
def enrolment(company):
    learner = UserFactory(first_name="Zoë", last_name="Bakker", email="zoe@kampstaal.nl")
    return completed_enrolment(learner=learner, company=company)


def issue(enrolment, **kwargs) -> Certificate:
    return services.issue_certificate(enrolment_id=enrolment.pk, **kwargs)


# --- Issuing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        Enrolment.Status.CONFIRMED,
        Enrolment.Status.NO_SHOW,
        Enrolment.Status.CANCELLED,
        Enrolment.Status.REQUESTED,
    ],
)
def test_issue_certificate_refuses_enrolment_that_is_not_completed(status):
    enrolment = completed_enrolment(status=status)

    with pytest.raises(services.CertificateRefused):
        issue(enrolment)

    assert not Certificate.objects.exists()
    assert not Notification.objects.exists()


def test_issue_certificate_writes_number_code_mail_and_audit(
    enrolment, staff_user, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue(enrolment, actor=staff_user)

    year, sequence = NUMBER.match(certificate.number).groups()
    assert int(year) == timezone.localdate().year
    assert int(sequence) == certificate.pk
    assert len(certificate.verification_code) >= 20
    certificate.refresh_from_db()
    assert certificate.enrolment == enrolment
    assert not certificate.pdf
    notification = Notification.objects.get()
    assert notification.template == "certificate_issued"
    assert notification.to_email == "zoe@kampstaal.nl"
    assert notification.enrolment == enrolment
    assert notification.sent_at is None
    audit = AuditLog.objects.get(action="certificate.issued")
    assert audit.actor == staff_user
    assert audit.data["number"] == certificate.number
    # After commit the PDF task is published; the mail waits for it, so it is not published yet.
    assert published["pdf"] == [certificate.pk]
    assert published["mail"] == []


def test_issue_certificate_is_idempotent(enrolment, published, django_capture_on_commit_callbacks):
    first = issue(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        again = issue(enrolment)

    assert again.pk == first.pk
    assert again.number == first.number
    assert Certificate.objects.count() == 1
    assert Notification.objects.count() == 1
    assert AuditLog.objects.filter(action="certificate.issued").count() == 1
    # A certificate still without PDF gets its task published again.
    assert published["pdf"] == [first.pk]


def test_issue_certificates_for_offering_issues_completed_enrolments_only(enrolment, staff_user):
    offering = enrolment.offering
    other = EnrolmentFactory(offering=offering, status=Enrolment.Status.COMPLETED)
    EnrolmentFactory(offering=offering, status=Enrolment.Status.NO_SHOW)
    EnrolmentFactory(offering=offering, status=Enrolment.Status.CANCELLED)

    certificates = services.issue_certificates_for_offering(
        offering_id=offering.pk, actor=staff_user
    )
    again = services.issue_certificates_for_offering(offering_id=offering.pk, actor=staff_user)

    assert sorted(c.enrolment_id for c in certificates) == sorted([enrolment.pk, other.pk])
    assert [c.pk for c in again] == [c.pk for c in certificates]
    assert Certificate.objects.count() == 2


def _race(actions):
    """Offering each action in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def offering(index, action):
        barrier.wait()
        try:
            results[index] = action()
        except Exception as error:  # asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=offering, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_unique_numbers():
    enrolments = [completed_enrolment() for _ in range(8)]

    results = _race(
        [lambda e=enrolment: issue(e) for enrolment in enrolments],
    )

    assert all(isinstance(result, Certificate) for result in results), results
    numbers = [result.number for result in results]
    assert len(set(numbers)) == 8
    assert all(NUMBER.match(number) for number in numbers)
    assert Certificate.objects.count() == 8
    assert Notification.objects.filter(template="certificate_issued").count() == 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_for_one_enrolment_make_one_certificate():
    enrolment = completed_enrolment()

    results = _race([lambda: issue(enrolment) for _ in range(4)])

    assert all(isinstance(result, Certificate) for result in results), results
    assert {result.pk for result in results} == {Certificate.objects.get().pk}
    assert Notification.objects.count() == 1
    assert AuditLog.objects.filter(action="certificate.issued").count() == 1


# --- The PDF ------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The text a reader extracts from the PDF's one page, as a copy and paste would."""
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    return page.extract_text()


def test_pdf_shows_hub_learner_course_provider_number_and_link(enrolment):
    certificate = issue(enrolment)

    pdf = certificates_pdf.render_certificate_pdf(selectors.get_certificate(pk=certificate.pk))

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    url = "http://testserver" + reverse(
        "enrolment:verify_certificate", kwargs={"code": certificate.verification_code}
    )
    text = pdf_text(pdf)
    for shown in [
        "Technohub NOP",
        "Certificaat van deelname",
        "Zoë Bakker",
        "TIG-lassen RVS",
        "Firda Emmeloord",
        "2 maart 2026 – 9 maart 2026",
        certificate.number,
        url,
    ]:
        assert shown in text, shown
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata.author == "Technohub NOP"
    assert b"/Lang (nl)" in certificates_pdf.render_certificate_pdf(
        selectors.get_certificate(pk=certificate.pk), compress=False
    )


def test_english_learners_pdf_links_the_english_page_at_a_permanent_address(client, enrolment):
    enrolment.learner.preferred_language = "en"
    enrolment.learner.save(update_fields=["preferred_language"])
    certificate = issue(enrolment)

    pdf = certificates_pdf.render_certificate_pdf(
        selectors.get_certificate(pk=certificate.pk), compress=False
    )

    path = f"/en/certificaat/{certificate.verification_code}/"
    text = pdf_text(pdf)
    assert f"http://testserver{path}" in text
    assert "Certificate of participation" in text
    assert "Certificaat van deelname" not in text
    assert b"/Lang (en)" in pdf
    cache.clear()
    assert client.get(path).status_code == 200


def test_pdf_is_compressed_by_default_and_names_the_number_in_its_metadata(enrolment):
    certificate = issue(enrolment)

    pdf = certificates_pdf.render_certificate_pdf(selectors.get_certificate(pk=certificate.pk))

    assert pdf.startswith(b"%PDF-")
    assert b"/FlateDecode" in pdf
    title = PdfReader(io.BytesIO(pdf)).metadata.title
    assert title == f"Certificaat van deelname {certificate.number}"


# Names as learners here write them: Latin with every kind of diacritic, Turkish dotted and
# dotless i, Cyrillic, Greek and Arabic (right to left, letters joined).
NAMES_IN_EVERY_SCRIPT = [
    ("Łucja", "Wiśniewska-Żółć"),
    ("Søren", "Ødegård Æbelø"),
    ("Ayşe", "Doğan"),
    ("İlkay", "Işıkoğlu"),  # noqa: RUF001 (the dotless i is the point)
    ("Nguyễn", "Thị Hồng"),
    ("Ștefan", "Țărănescu"),
    ("Дмитрий", "Иванов"),
    ("Γιώργος", "Παπαδόπουλος"),
    ("محمد", "العلي"),
    ("Jan", "de Vries ✔"),
]


@pytest.mark.parametrize(("first_name", "last_name"), NAMES_IN_EVERY_SCRIPT)
def test_pdf_name_equals_the_name_on_the_verification_page(
    client, first_name, last_name, fresh_limits
):
    learner = UserFactory(first_name=first_name, last_name=last_name)
    certificate = issue(completed_enrolment(learner=learner))

    pdf = certificates_pdf.render_certificate_pdf(selectors.get_certificate(pk=certificate.pk))

    page = client.get(verify_url(certificate.verification_code)).content.decode()
    shown = re.search(r'<dd class="certificate-name"[^>]*>(.*?)</dd>', page)
    name = html.unescape(shown.group(1)).strip() if shown else None
    assert name == learner.get_full_name()
    assert name in pdf_text(pdf).splitlines()


def test_pdf_embeds_its_fonts_from_the_font_package(enrolment):
    certificate = issue(enrolment)

    pdf = certificates_pdf.render_certificate_pdf(selectors.get_certificate(pk=certificate.pk))

    fonts = {
        str(font["/BaseFont"])
        for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
    }
    assert any("FiraGO" in font for font in fonts), fonts
    assert not any("Helvetica" in font for font in fonts), fonts


def test_pdf_task_stores_the_pdf_once_and_then_publishes_the_mail(enrolment, published, media_root):
    certificate = issue(enrolment)
    notification = Notification.objects.get()

    assert tasks.generate_certificate_pdf(certificate.pk) is True
    certificate.refresh_from_db()
    name = certificate.pdf.name
    assert name.startswith("certificates/") and name.endswith(".pdf")
    with certificate.pdf.open("rb") as file:
        stored = file.read()
    assert stored.startswith(b"%PDF-")

    assert tasks.generate_certificate_pdf(certificate.pk) is False
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    assert len(list((media_root / "certificates").iterdir())) == 1
    assert published["mail"] == [notification.pk, notification.pk]


def test_pdf_task_stores_the_pdf_again_when_the_file_went_missing(enrolment, media_root):
    certificate = issue(enrolment)
    tasks.generate_certificate_pdf(certificate.pk)
    certificate.refresh_from_db()
    lost = certificate.pdf.name
    certificate.pdf.storage.delete(lost)

    assert tasks.generate_certificate_pdf(certificate.pk) is True

    certificate.refresh_from_db()
    assert certificate.pdf.name != lost
    assert certificate.pdf.storage.exists(certificate.pdf.name)


def test_pdf_task_for_a_missing_certificate_does_nothing():
    assert tasks.generate_certificate_pdf(987654) is False


# --- The mail ------------------------------------------------------------------------------


@pytest.fixture
def worker_media(monkeypatch, media_root):
    """The worker process stores PDFs where this test looks (list it before celery_worker)."""
    monkeypatch.setenv("MEDIA_ROOT", str(media_root))
    return media_root


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_stores_the_pdf_and_then_mails_it(worker_media, celery_worker):
    enrolment = completed_enrolment()

    certificate = issue(enrolment)

    deadline = time.monotonic() + 60
    while not Notification.objects.filter(sent_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the certificate mail was not sent"
        time.sleep(0.2)
    certificate.refresh_from_db()
    assert (worker_media / certificate.pdf.name).exists()
    (sent,) = [path.read_text() for path in celery_worker.iterdir()]
    assert "application/pdf" in sent
    assert f'filename="certificaat-{certificate.number}.pdf"' in sent


def test_certificate_mail_carries_the_stored_pdf(enrolment):
    certificate = issue(enrolment)
    tasks.generate_certificate_pdf(certificate.pk)
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as file:
        stored = file.read()

    assert outbox.deliver(Notification.objects.get().pk) is True

    (message,) = mail.outbox
    assert message.to == ["zoe@kampstaal.nl"]
    assert "TIG-lassen RVS" in message.subject
    (attachment,) = message.attachments
    assert attachment.filename == f"certificaat-{certificate.number}.pdf"
    assert attachment.mimetype == "application/pdf"
    assert attachment.content == stored
    assert certificate.number in message.body
    assert certificate.verification_code in message.body
    html = message.alternatives[0].content
    assert reverse("enrolment:certificate_pdf", args=[enrolment.pk]) in html


def test_certificate_mail_renders_the_pdf_if_it_is_not_stored_yet(enrolment, media_root):
    issue(enrolment)

    assert outbox.deliver(Notification.objects.get().pk) is True

    (attachment,) = mail.outbox[0].attachments
    assert attachment.content.startswith(b"%PDF-")
    assert not (media_root / "certificates").exists()  # rendered for the mail, not stored


def test_certificate_mail_renders_in_english(enrolment):
    enrolment.learner.preferred_language = "en"
    enrolment.learner.save(update_fields=["preferred_language"])
    issue(enrolment)

    outbox.deliver(Notification.objects.get().pk)

    html = mail.outbox[0].alternatives[0].content
    assert '<html lang="en">' in html


# --- Downloading -------------------------------------------------------------------------


def test_learner_downloads_own_certificate(client, enrolment, media_root):
    certificate = issue(enrolment)
    client.force_login(enrolment.learner)

    response = client.get(reverse("enrolment:certificate_pdf", args=[enrolment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificaat-{certificate.number}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    assert not (media_root / "certificates").exists()  # rendered on the fly, not stored


def test_learner_download_serves_the_stored_pdf(client, enrolment):
    certificate = issue(enrolment)
    tasks.generate_certificate_pdf(certificate.pk)
    certificate.refresh_from_db()
    client.force_login(enrolment.learner)

    response = client.get(reverse("enrolment:certificate_pdf", args=[enrolment.pk]))

    with certificate.pdf.open("rb") as file:
        assert response.content == file.read()


def test_someone_elses_certificate_is_not_found(client, enrolment):
    issue(enrolment)
    client.force_login(UserFactory())

    response = client.get(reverse("enrolment:certificate_pdf", args=[enrolment.pk]))

    assert response.status_code == 404


def test_enrolment_without_certificate_has_nothing_to_download(client, enrolment):
    client.force_login(enrolment.learner)

    response = client.get(reverse("enrolment:certificate_pdf", args=[enrolment.pk]))

    assert response.status_code == 404


def test_certificate_download_needs_log_in(client, enrolment):
    issue(enrolment)

    response = client.get(reverse("enrolment:certificate_pdf", args=[enrolment.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_certificate_download_refuses_post(client, enrolment):
    issue(enrolment)
    client.force_login(enrolment.learner)

    response = client.post(reverse("enrolment:certificate_pdf", args=[enrolment.pk]))

    assert response.status_code == 405


def test_my_courses_links_the_certificate_of_a_completed_enrolment(client, enrolment):
    issue(enrolment)
    not_yet = completed_enrolment(learner=enrolment.learner)  # completed, no certificate yet
    client.force_login(enrolment.learner)

    response = client.get(reverse("enrolment:my_courses"))

    html = response.content.decode()
    assert reverse("enrolment:certificate_pdf", args=[enrolment.pk]) in html
    assert reverse("enrolment:certificate_pdf", args=[not_yet.pk]) not in html
    assert "Certificaat (pdf)" in html


# --- The public check ---------------------------------------------------------------------


@pytest.fixture
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def verify_url(code: str) -> str:
    return reverse("enrolment:verify_certificate", kwargs={"code": code})


def test_verify_page_shows_name_course_and_dates_only(client, enrolment, company, fresh_limits):
    certificate = issue(enrolment)

    response = client.get(verify_url(certificate.verification_code))

    assert response.status_code == 200
    html = response.content.decode()
    for shown in ["Zoë Bakker", "TIG-lassen RVS", "2 maart 2026", "9 maart 2026"]:
        assert shown in html
    for hidden in ["zoe@kampstaal.nl", company.name, "Firda Emmeloord"]:
        assert hidden not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_verify_page_needs_no_log_in_and_answers_404_for_unknown_codes(client, fresh_limits):
    response = client.get(verify_url("geen-echte-code"))

    assert response.status_code == 404


def test_verify_page_answers_429_after_twenty_lookups(client, enrolment, fresh_limits):
    certificate = issue(enrolment)
    for attempt in range(20):
        code = certificate.verification_code if attempt % 2 else f"gok-{attempt}"
        assert client.get(verify_url(code)).status_code in (200, 404)

    response = client.get(verify_url(certificate.verification_code))

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Probeer het over 10 minuten opnieuw" in response.content.decode()
    # Another address is counted on its own.
    other = client.get(verify_url(certificate.verification_code), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_verify_page_limit_is_shared_through_the_cache(client, enrolment, fresh_limits):
    """The counter lives in Redis, not in the process: a counter set elsewhere applies here."""
    certificate = issue(enrolment)
    cache.set("certificate-lookups:127.0.0.1", 20, timeout=600)

    response = client.get(verify_url(certificate.verification_code))

    assert response.status_code == 429


def test_staff_download_a_certificate_from_the_admin_and_others_cannot(client, staff_user):
    enrolment = EnrolmentFactory(status="completed")
    MeetingFactory(offering=enrolment.offering)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number="TH-2026-000777",
        verification_code="abc",
        issued_at=timezone.now(),
    )
    url = reverse("admin:enrolment_certificate_pdf", args=[certificate.pk])
    assert client.get(url).status_code == 302  # to the admin log-in
    client.force_login(staff_user)
    change_page = client.get(reverse("admin:enrolment_certificate_change", args=[certificate.pk]))
    assert url in change_page.content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_one_clients_lookups_do_not_block_another(client, enrolment, fresh_limits):
    certificate = issue(enrolment)
    url = verify_url(certificate.verification_code)
    for _ in range(21):
        client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")

    other = client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.10")

    assert other.status_code == 200
