"""The layout works in a real browser: pages load, the language switch switches."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_switches_the_site_to_english_and_back(live_server, page):
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "nl"

    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "nl"


def test_footer_leads_to_accessibility_statement(live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheid").click()
    page.wait_for_url(f"{live_server.url}/toegankelijkheid/")
    assert page.get_by_role("heading", level=1).is_visible()
