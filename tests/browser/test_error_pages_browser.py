"""The error pages are valid HTML and meet WCAG 2.1 AA, like every other page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from technohub.error_views import server_error
from tests.browser.test_html_and_a11y import DESKTOP, PHONE
from tests.factories import UserFactory

ERROR_URLS = "tests.technohub.error_urls"


def error_documents() -> dict[str, str]:
    """Each error page in each language, as the site serves it."""
    documents = {}
    visitor, user = Client(raise_request_exception=False), Client()
    user.force_login(UserFactory())
    for code, prefix in (("nl", ""), ("en", "/en")):
        with translation.override(code):
            logout = reverse("accounts:logout")
            login = reverse("accounts:login")
        pages = {
            "400": visitor.get(f"{prefix}/proef/verdacht/"),
            "403-visitor": visitor.get(f"{prefix}/proef/verboden/"),
            "403-user": user.get(f"{prefix}/proef/verboden/"),
            "csrf": Client(enforce_csrf_checks=True).post(login, {"username": "a@example.nl"}),
            "404": visitor.get(f"{prefix}/bestaat-niet/"),
            "405": visitor.get(logout),
            "429": visitor.get(f"{prefix}/proef/te-veel/"),
            "500": visitor.get(f"{prefix}/proef/storing/"),
        }
        for name, response in pages.items():
            assert response.status_code >= 400, f"{name}-{code}"
            documents[f"{name}-{code}"] = response.content.decode()
    return documents


@pytest.mark.django_db
@pytest.mark.urls(ERROR_URLS)
def test_error_pages_are_valid_html(html_validator):
    errors = html_validator.validate(error_documents())

    assert {name: found for name, found in errors.items() if found} == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["/bestaat-niet/", "/en/does-not-exist/"])
def test_404_page_meets_wcag_21_aa(path, width, live_server, page, axe):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{path}")

    assert axe(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["/kapot/", "/en/kapot/"])
def test_500_page_meets_wcag_21_aa(path, width, live_server, page, axe, rf):
    # The live server's own stylesheets, around the page a failing request would get.
    html = server_error(rf.get(path)).content.decode()
    page.route(
        f"{live_server.url}{path}",
        lambda route: route.fulfill(body=html, status=500, content_type="text/html; charset=utf-8"),
    )
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{path}")
    navbar = "getComputedStyle(document.querySelector('.site-navbar')).backgroundColor"
    assert page.evaluate(navbar) != "rgba(0, 0, 0, 0)"  # the site's stylesheet is applied

    assert axe(page) == []
