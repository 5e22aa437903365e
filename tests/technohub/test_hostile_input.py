"""No input, however hostile, gives a server error.

Every URL pattern of the project (site, staff pages and the admin) is requested with hostile
path arguments and with hostile values for the query parameters its pages use, by every role,
with GET and POST. Each request runs in a savepoint that is rolled back, so one request's
changes never reach the next.

The data the addresses point at is built once for the module (rolled back after it), and each
role's pages at their valid addresses are requested once for both walks over every URL. A
request that provably reaches no view (a NUL character, which the request guard refuses first,
or an address no URL pattern matches, which is the same 404 whatever the route) is sent once per
role, method and value, not once per route: every such address is still checked to be one.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import timezone

from companies.models import Invitation, Membership
from enrolment.models import Certificate, SeatReservation
from tests.factories import (
    CompanyFactory,
    CourseFactory,
    EnrolmentFactory,
    LocationFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)

# The one primary key and slug every path argument gets when it should find something.
PK = 990001
SLUG = "proef"
VALID = {"slug": SLUG, "token": "proef-token", "code": "proef-code", "uidb64": "MQ"}

HOSTILE = [
    "a%00b",
    "x" * 10_000,
    "%ff%fe",
    "99999999999999999999",
    "-99999999999999999999",
    "9999-12-31",
    "%27%22%3Cscript%3E",
]

# The values also posted as every form field of a page (the form test posts the rest).
POSTED = {"x" * 10_000, "99999999999999999999", "9999-12-31"}

# Query parameters the views read; more are found on each page (form fields, filter links).
QUERY_NAMES = {
    "q",
    "o",
    "p",
    "e",
    "all",
    "page",
    "pagina",
    "next",
    "cursus",
    "thema",
    "plaats",
    "company",
    "start",
    "end",
    "van",
    "tot",
    "format",
    "people",
    "companies",
    "by",
    "_changelist_filters",
    "_popup",
    "_to_field",
}

NAME_PATTERN = re.compile(r'name="([A-Za-z0-9_\-]+)"')
QUERY_KEY_PATTERN = re.compile(r'href="\?([^"#]*)"')


class _Done(Exception):
    def __init__(self, response):
        self.response = response


def _routes(resolver: URLResolver | None = None, prefix: tuple = ()) -> list[tuple]:
    """Every URL pattern as a tuple of its route pieces (route and regex strings)."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            piece = ""
        elif isinstance(pattern, RoutePattern):
            piece = str(pattern._route)
        else:
            piece = pattern._regex
        if isinstance(entry, URLResolver):
            found.extend(_routes(entry, (*prefix, piece)))
        elif isinstance(entry, URLPattern):
            found.append(((*prefix, piece), isinstance(pattern, RegexPattern)))
    return found


ROUTE_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _regex_args(regex: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each named group, nested parentheses included."""
    spans = []
    for match in re.finditer(r"\(\?P<(\w+)>", regex):
        depth, index = 0, match.start()
        while index < len(regex):
            if regex[index] == "(" and (index == 0 or regex[index - 1] != "\\"):
                depth += 1
            elif regex[index] == ")" and regex[index - 1] != "\\":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        spans.append((match.start(), index + 1, match.group(1)))
    return spans


def _template(pieces: tuple) -> tuple[str, list[str]]:
    """The URL as a format string with one ``{name}`` per path argument."""
    url, names = "/", []
    for piece in pieces:
        piece = str(piece)
        if ROUTE_ARG.search(piece) and "(?P<" not in piece:
            names += [match.group("name") for match in ROUTE_ARG.finditer(piece)]
            text = piece.replace("{", "{{").replace("}", "}}")
            url += ROUTE_ARG.sub(lambda m: "{" + m.group("name") + "}", text)
            continue
        if piece.startswith("^") or "(?P<" in piece or piece.endswith("$"):
            text, last = "", 0
            for start, end, name in _regex_args(piece):
                text += piece[last:start].replace("{", "{{").replace("}", "}}") + "{" + name + "}"
                names.append(name)
                last = end
            text += piece[last:]
            url += text.lstrip("^").rstrip("$").replace("\\", "")
            continue
        url += piece
    return url, names


def _valid(name: str, admin_app: str) -> str:
    if name == "app_label":
        return admin_app
    if name == "url":
        return ""
    return VALID.get(name, str(PK))


@pytest.fixture(autouse=True, scope="module")
def forget_rate_limits():
    """The requests here count as certificate lookups and log-in attempts from one address;
    the counters are cleared afterwards so that later tests start under every limit."""
    yield
    cache.clear()


def _build_site_data() -> dict:
    """One of each thing a path argument can point at, all with the same key."""
    company = CompanyFactory(pk=PK, slug=SLUG)
    course = CourseFactory(pk=PK, slug=SLUG)
    location = LocationFactory(pk=PK, slug=SLUG)
    offering = OfferingFactory(pk=PK, course=course, location=location)
    meeting = MeetingFactory(pk=PK, offering=offering)
    learner = UserFactory(email="leerling@example.nl", email_verified_at=timezone.now())
    hr = UserFactory(email="hr@example.nl", email_verified_at=timezone.now())
    staff = UserFactory(
        email="baas@example.nl",
        is_staff=True,
        is_superuser=True,
        email_verified_at=timezone.now(),
    )
    MembershipFactory(pk=PK, user=learner, company=company)
    MembershipFactory(user=hr, company=company, role=Membership.Role.HR)
    enrolment = EnrolmentFactory(pk=PK, offering=offering, learner=learner, company=company)
    type(offering).objects.filter(pk=PK).update(confirmed_count=1, reserved_count=2)
    SeatReservation.objects.create(
        pk=PK, offering=offering, company=company, reserved_by=hr, reserved_seats=2, seats=2
    )
    Certificate.objects.create(
        enrolment=enrolment,
        number="TH-PROEF",
        verification_code=VALID["code"],
        issued_at=timezone.now(),
    )
    Invitation.objects.create(
        company=company,
        email="nieuw@example.nl",
        invited_by=hr,
        token=VALID["token"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {"learner": learner, "hr": hr, "staff": staff, "meeting": meeting}


@pytest.fixture(scope="module")
def shared_site_data(django_db_setup, django_db_blocker) -> dict:
    """The site data, built once for this module in a transaction rolled back after it. Each
    test runs in a savepoint inside it (``db``), so what a test changes is undone."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        data = _build_site_data()
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def site_data(shared_site_data, db) -> dict:
    return shared_site_data


@dataclass(frozen=True)
class Baseline:
    """What a role's page at its valid address gave: a failure, its query names, its forms."""

    failure: str | None
    names: set[str]
    forms: list[tuple[str, list[str], bool]]


@pytest.fixture(scope="module")
def baselines() -> dict[str, dict[str, Baseline]]:
    """Each role's pages at their valid addresses (role → URL → Baseline), filled by whichever
    test asks first: the data is the module's, so the pages are the same for both."""
    return {}


def _baseline(found: dict[str, Baseline], client: Client, cookies: SimpleCookie, url: str):
    if url not in found:
        response = _request(client, cookies, "get", url)
        found[url] = Baseline(
            failure=_failure(response, "get", url),
            names=_names_on(response),
            forms=_post_forms(response),
        )
    return found[url]


REQUESTS = RequestFactory()


def _reaches_no_view(url: str) -> str | None:
    """Why the answer to ``url`` cannot depend on its route: "nul" when it holds a NUL
    character (the request guard refuses it before URLs are resolved), "unknown" when no URL
    pattern matches its path (the project's 404). None when it may reach a view."""
    if "%00" in url:
        return "nul"
    try:
        resolve(REQUESTS.get(url).path_info)
    except Resolver404:
        return "unknown"
    return None


def _savepoint():
    """A savepoint inside which a service may still open its durable transaction, as
    Django's TestCase allows for its own atomic blocks."""
    atomic = transaction.atomic()
    atomic._from_testcase = True
    return atomic


def _client(site_data, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(site_data[role])
    return client


def _request(client: Client, cookies: SimpleCookie, method: str, url: str, data=None):
    """One request in a savepoint that is rolled back; the client's log-in is kept."""
    client.cookies = SimpleCookie()
    client.cookies.load({name: morsel.value for name, morsel in cookies.items()})
    try:
        with _savepoint():
            response = client.get(url) if method == "get" else client.post(url, data or {})
            raise _Done(response)
    except _Done as done:
        return done.response


def _failure(response, method: str, url: str) -> str | None:
    if response.status_code < 500:
        return None
    if url.startswith("/health/") and response.status_code == 503:
        return None  # the health check's own answer when a backing service is down
    error = response.exc_info[1] if getattr(response, "exc_info", None) else None
    return f"{method.upper()} {url[:160]} -> {response.status_code} {error!r:.200}"


def _names_on(response) -> set[str]:
    """The query parameters and form fields a page offers."""
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    content = response.content.decode(errors="replace")
    names = set(NAME_PATTERN.findall(content))
    for query in QUERY_KEY_PATTERN.findall(content):
        names |= {part.split("=")[0] for part in query.replace("&amp;", "&").split("&") if part}
    return names - {"csrfmiddlewaretoken"}


def _admin_apps() -> list[str]:
    from django.contrib import admin

    return sorted({model._meta.app_label for model in admin.site._registry})


@pytest.mark.parametrize("role", ["anonymous", "learner", "hr", "staff"])
def test_no_url_gives_a_server_error_for_hostile_arguments_and_queries(site_data, baselines, role):
    client = _client(site_data, role)
    cookies = SimpleCookie()
    cookies.load({name: morsel.value for name, morsel in client.cookies.items()})
    failures = []
    sent_for = {}  # (method, reason, value) → the one address sent for all alike

    def check(method, url, value, data=None):
        reason = _reaches_no_view(url)
        if reason and sent_for.setdefault((method, reason, value), url) != url:
            return
        response = _request(client, cookies, method, url, data)
        if failure := _failure(response, method, url):
            failures.append(failure)

    admin_app = _admin_apps()[0]
    found = baselines.setdefault(role, {})
    for pieces, _is_regex in _routes():
        template, names = _template(pieces)
        if template.startswith("/beheer/") and role in ("learner", "hr"):
            continue  # the admin sends them to its log-in, as it does the anonymous
        valid = {name: _valid(name, admin_app) for name in names}
        baseline = template.format(**valid)
        page = _baseline(found, client, cookies, baseline)
        if page.failure:
            failures.append(page.failure)
        query_names = sorted(QUERY_NAMES | page.names)
        for value in HOSTILE:
            query = "&".join(f"{name}={value}" for name in query_names)
            check("get", f"{baseline}?{query}", value)
            if value in POSTED:
                check("post", f"{baseline}?{query}", value, dict.fromkeys(query_names, value))
            for name in names:
                url = template.format(**{**valid, name: value})
                check("get", url, value)
                check("post", url, value)
    assert "\n".join(failures) == ""


@pytest.mark.parametrize(
    "cookie",
    ['"\\000"', '"\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000"', "x" * 5000, '"\\377"'],
)
def test_a_malformed_session_cookie_is_treated_as_no_session(site_data, client, cookie):
    client.cookies = SimpleCookie()
    response = client.get("/", HTTP_COOKIE=f"sessionid={cookie}; django_language={cookie}")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


def test_a_nul_character_in_the_address_is_a_bad_request(site_data, client):
    assert client.get("/uitnodiging/a%00b/").status_code == 400
    assert client.get("/certificaat/a%00b/").status_code == 400
    assert client.get("/cursussen/", {"q": "las\x00"}).status_code == 400


def test_an_over_long_query_string_is_a_bad_request_before_any_view(site_data, client):
    refused = client.get("/cursussen/", {"q": "x" * 9000})
    assert refused.status_code == 400
    # The error page's language links lead to the page without the refused query.
    assert "x" * 100 not in refused.content.decode()
    assert 'name="next" value="/en/courses/"' in refused.content.decode()
    assert client.get("/mijn-cursussen/", {"next": "/" + "x" * 9000}).status_code == 400
    assert client.get("/cursussen/", {"q": "x" * 1000}).status_code == 200


def test_a_nul_character_in_a_posted_form_is_a_bad_request(site_data, client):
    response = client.post("/account/inloggen/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_huge_primary_keys_are_not_found(site_data, client):
    client.force_login(site_data["learner"])
    assert client.get("/mijn-cursussen/99999999999999999999/certificaat.pdf").status_code == 404
    assert client.get("/uitvoeringen/99999999999999999999/agenda.ics").status_code == 404


FORM_PATTERN = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
FIELD_PATTERN = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE_PATTERN = re.compile(r'([a-z\-]+)="([^"]*)"', re.IGNORECASE)
TEXT_TYPES = {"text", "email", "password", "search", "tel", "url", "number", "date"}


def _post_forms(response) -> list[tuple[str, list[str], bool]]:
    """(action, field names, has a text field) of each POST form on a page."""
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    found = []
    for attributes, body in FORM_PATTERN.findall(response.content.decode(errors="replace")):
        form = dict(ATTRIBUTE_PATTERN.findall(attributes))
        if form.get("method", "get").lower() != "post":
            continue
        names, typed = [], False
        for tag, field_attributes in FIELD_PATTERN.findall(body):
            field = dict(ATTRIBUTE_PATTERN.findall(field_attributes))
            name = field.get("name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            names.append(name)
            typed |= tag.lower() == "textarea" or field.get("type", "text") in TEXT_TYPES
        action = form.get("action", "").replace("&amp;", "&") or response.wsgi_request.path
        found.append((action, names, typed))
    return found


def _row_count() -> int:
    from django.apps import apps

    return sum(
        model.objects.count()
        for app in ("catalogue", "companies", "enrolment", "technohub")
        for model in apps.get_app_config(app).get_models()
    )


@pytest.mark.parametrize("role", ["anonymous", "learner", "hr", "staff"])
def test_every_form_refuses_over_long_and_nul_input_without_saving(site_data, baselines, role):
    client = _client(site_data, role)
    cookies = SimpleCookie()
    cookies.load({name: morsel.value for name, morsel in client.cookies.items()})
    admin_app = _admin_apps()[0]
    found = baselines.setdefault(role, {})
    forms_seen, failures = set(), []
    for pieces, _is_regex in _routes():
        template, names = _template(pieces)
        page = _baseline(
            found,
            client,
            cookies,
            template.format(**{name: _valid(name, admin_app) for name in names}),
        )
        for action, fields, typed in page.forms:
            if not typed or (action, tuple(fields)) in forms_seen:
                continue
            forms_seen.add((action, tuple(fields)))
            for value, allowed in (("x" * 100_000, {200, 302, 400}), ("a\x00b", {400})):
                client.cookies = SimpleCookie()
                client.cookies.load({name: morsel.value for name, morsel in cookies.items()})
                try:
                    with _savepoint():
                        before = _row_count()
                        response = client.post(action, dict.fromkeys(fields, value))
                        saved = _row_count() - before
                        raise _Done(response)
                except _Done as done:
                    if done.response.status_code not in allowed or saved:
                        error = getattr(done.response, "exc_info", None)
                        failures.append(
                            f"{action} {value[:5]!r}: {done.response.status_code}, "
                            f"{saved} rows {error[1] if error else ''!r:.300}"
                        )
    assert forms_seen
    assert "\n".join(failures) == ""


def test_an_over_long_log_in_name_is_a_form_error(site_data, client):
    response = client.post("/account/inloggen/", {"username": "a" * 300, "password": "x" * 5000})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"username", "password"}


def test_a_funding_report_far_in_the_future_is_a_form_error(site_data, client):
    client.force_login(site_data["staff"])
    response = client.get(
        "/beheer-subsidie/",
        {"company": PK, "start": "2026-01-01", "end": "9999-12-31", "format": "csv"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["end"]


def test_a_training_need_of_a_million_characters_is_refused(site_data, client):
    from companies.models import TrainingNeed

    client.force_login(site_data["hr"])
    response = client.post(
        f"/bedrijf/{SLUG}/behoeften/nieuw/", {"description": "x" * 1_000_000, "headcount": 3}
    )
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert not TrainingNeed.objects.exists()


def test_an_over_long_name_on_the_admin_log_in_is_a_form_error(site_data, client):
    response = client.post("/beheer/login/", {"username": "a" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_a_next_address_that_is_not_a_path_sends_a_logged_in_user_home(site_data, client):
    client.force_login(site_data["learner"])
    response = client.get("/account/registreren/", {"next": "\ufffd\ufffd"})
    assert response.status_code == 302
    assert response["Location"].startswith("/")
