"""Admin change forms as a browser posts them: every field as the page rendered it."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormReader(HTMLParser):
    """The values a browser would submit from a page's form (text, hidden, checked, selected)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, object] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data.setdefault(name, []).append(attributes.get("value") or "on")
            elif kind not in ("submit", "button", "file", "reset"):
                self.data[name] = attributes.get("value") or ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.data[self._select] = attributes.get("value") or ""
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(html: str) -> dict[str, object]:
    reader = _FormReader()
    reader.feed(html)
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


def offering_form(client, offering) -> tuple[str, dict[str, object]]:
    """The offering's change page URL and its form's data as the page shows it."""
    url = reverse("admin:catalogue_offering_change", args=[offering.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, form_data(page.content.decode())
