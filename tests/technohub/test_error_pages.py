"""Failed requests get the site's own page: in its layout, in the visitor's language, with a
way back. The 500 page needs no database."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from technohub.error_views import csrf_failure, server_error
from tests.factories import UserFactory

ERROR_URLS = "tests.technohub.error_urls"

# Per language: the URL prefix, the html lang, and each page's heading.
LANGUAGES = {
    "nl": {
        "prefix": "",
        400: "Dit verzoek klopt niet",
        403: "Geen toegang",
        "csrf": "Het formulier is verlopen",
        404: "Pagina niet gevonden",
        405: "Dit kan zo niet",
        429: "Even geduld",
        500: "Er ging iets mis",
        "home": "Naar de homepagina",
        "catalogue": "Naar het cursusaanbod",
    },
    "en": {
        "prefix": "/en",
        400: "This request is not valid",
        403: "No access",
        "csrf": "The form has expired",
        404: "Page not found",
        405: "This cannot be done this way",
        429: "Please wait",
        500: "Something went wrong",
        "home": "Go to the home page",
        "catalogue": "To the course catalogue",
    },
}


def url_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


def assert_error_page(response, *, language: str, status: int, heading) -> str:
    """The page is in the layout and the language, says what happened and links home."""
    texts = LANGUAGES[language]
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html
    assert f"<h1>{texts[heading]}</h1>" in html
    assert f'href="{url_in(language, "home")}">{texts["home"]}</a>' in html
    assert f'href="{url_in(language, "catalogue:course_list")}">{texts["catalogue"]}</a>' in html
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_unknown_address_gets_the_404_page(client, language):
    response = client.get(f"{LANGUAGES[language]['prefix']}/bestaat-niet/")

    html = assert_error_page(response, language=language, status=404, heading=404)
    # The full layout: the menu and the language switch.
    assert 'id="site-nav"' in html
    assert "language-switch" in html


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_bad_request_gets_the_400_page(client, language):
    response = client.get(f"{LANGUAGES[language]['prefix']}/proef/verdacht/")

    assert_error_page(response, language=language, status=400, heading=400)


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_request_for_a_host_we_do_not_serve_gets_a_400_page_without_the_database(
    client, settings, language
):
    settings.ALLOWED_HOSTS = ["cursussen.technohub-nop.nl"]

    response = client.get(f"{LANGUAGES[language]['prefix']}/", HTTP_HOST="evil.example")

    html = assert_error_page(response, language=language, status=400, heading=400)
    assert "evil.example" not in html


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_forbidden_page_offers_a_visitor_to_log_in(client, language):
    path = f"{LANGUAGES[language]['prefix']}/proef/verboden/"

    response = client.get(path)

    html = assert_error_page(response, language=language, status=403, heading=403)
    assert f'href="{url_in(language, "accounts:login")}?next={path}"' in html


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_forbidden_page_offers_a_user_to_log_in_as_someone_else(client, language):
    client.force_login(UserFactory(email="piet@example.nl"))
    path = f"{LANGUAGES[language]['prefix']}/proef/verboden/"

    response = client.get(path)

    html = assert_error_page(response, language=language, status=403, heading=403)
    assert "piet@example.nl" in html
    assert f'<form action="{url_in(language, "accounts:logout")}" method="post">' in html
    login_again = f"{url_in(language, 'accounts:login')}?next={path}"
    assert f'name="next" value="{login_again}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_form_without_csrf_token_gets_the_expired_form_page(language):
    client = Client(enforce_csrf_checks=True)
    login = url_in(language, "accounts:login")

    response = client.post(login, {"username": "a@example.nl", "password": "x"})

    html = assert_error_page(response, language=language, status=403, heading="csrf")
    reload = "Formulier opnieuw laden" if language == "nl" else "Reload the form"
    assert f'href="{login}">{reload}</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_wrong_method_gets_the_405_page(client, language):
    # Logging out only takes a POST; Django answers a GET with an empty 405.
    response = client.get(url_in(language, "accounts:logout"))

    assert_error_page(response, language=language, status=405, heading=405)
    assert "POST" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_rate_limited_request_gets_the_429_page(client, language):
    response = client.get(f"{LANGUAGES[language]['prefix']}/proef/te-veel/")

    html = assert_error_page(response, language=language, status=429, heading=429)
    assert response["Retry-After"] == "90"
    wait = "over 2 minuten" if language == "nl" else "in 2 minutes"
    assert wait in html


# No django_db mark: pytest-django refuses every database query in these tests, so they fail
# if the 500 page, or anything on the way to it, asks the database.
@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_failure_gets_the_500_page_while_the_database_is_down(language):
    client = Client(raise_request_exception=False)

    response = client.get(f"{LANGUAGES[language]['prefix']}/proef/storing/")

    assert_error_page(response, language=language, status=500, heading=500)
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_500_page_renders_with_database_access_blocked(rf, django_db_blocker):
    request = rf.get("/en/cursussen/")

    with django_db_blocker.block():
        response = server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en">' in html
    assert "<h1>Something went wrong</h1>" in html
    assert 'href="/static/css/technohub.css"' in html


def test_expired_form_page_links_only_to_this_site(rf):
    request = rf.post("/inloggen/")
    request.path = "//evil.example/inloggen/"  # as a server may pass on a doubled slash

    response = csrf_failure(request)

    assert 'href="/evil.example/inloggen/"' in response.content.decode()
