"""Names in Dutch order: one sort key, kept by the user model, used by every list of people."""

import pytest
from django.urls import reverse

from companies.models import Membership, User
from companies.names import fold, name_sort_key, split_surname
from companies.portal.selectors import RosterQuery, search_members
from enrolment.models import Enrolment
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

# As a Dutch list files them: tussenvoegsels aside, accents and case aside, IJ as I + J.
DUTCH_ORDER = [
    ("Anna", "Bakker"),
    ("Jan", "van der Berg"),
    ("Piet", "Berg"),
    ("Emre", "Çelik"),
    ("Lotte", "ten Have-Smit"),
    ("Hans", "Huisman"),
    ("Sanne", "IJsselstein"),
    ("Mark", "Jansen"),
    ("Kees", "de Jong"),
    ("Ingrid", "Ødegaard"),
    ("Ayşe", "Öztürk"),
    ("Mehmet", "Yılmaz"),  # noqa: RUF001 (the Turkish dotless i is the point)
    ("Zoë", "Zwart"),
]


def test_sort_key_files_names_the_dutch_way():
    keys = [name_sort_key(first_name=first, last_name=last) for first, last in DUTCH_ORDER]
    assert keys == sorted(keys)
    # Öztürk with O, before Y; the code point order would put Ö after Y.
    assert fold("Öztürk") == "ozturk"
    assert fold("Yılmaz") == "yilmaz"  # noqa: RUF001
    assert fold("Ødegaard") == "odegaard"
    assert split_surname("van der Berg") == ("van der", "Berg")
    assert split_surname("Van") == ("", "Van")  # a surname that is only a prefix stays


def test_a_tussenvoegsel_only_breaks_a_tie_after_the_first_name():
    berg = name_sort_key(first_name="Jan", last_name="Berg")
    van_der_berg = name_sort_key(first_name="Jan", last_name="van der Berg")
    bergman = name_sort_key(first_name="Aart", last_name="Bergman")
    assert berg < van_der_berg < bergman


def test_someone_without_a_name_files_by_address():
    assert name_sort_key(first_name="", last_name="", email="Zz@x.nl") == "zzxnl"


@pytest.mark.django_db
def test_users_keep_their_key_through_every_save_and_sort_in_dutch_order_in_the_database():
    for first, last in reversed(DUTCH_ORDER):
        UserFactory(first_name=first, last_name=last)
    ordered = [(u.first_name, u.last_name) for u in User.objects.in_dutch_order()]
    assert ordered == DUTCH_ORDER
    # A profile edit saves only some fields; the key follows the name all the same.
    user = User.objects.get(last_name="Zwart")
    user.last_name = "Aalders"
    user.save(update_fields=["last_name"])
    assert User.objects.in_dutch_order().first().pk == user.pk


@pytest.mark.django_db
def test_roster_and_team_seats_follow_the_dutch_order(make_offering, client):
    company = CompanyFactory()
    hr = MembershipFactory(company=company, role=Membership.Role.HR).user
    people = [
        MembershipFactory(company=company, user=UserFactory(first_name=f, last_name=lst)).user
        for f, lst in reversed(DUTCH_ORDER)
    ]
    found = search_members(company=company, query=RosterQuery())
    names = [(m.user.first_name, m.user.last_name) for m in found if m.user != hr]
    assert names == DUTCH_ORDER

    # The team page places seats in the order the chosen are shown: Dutch order.
    offering = make_offering(capacity=2)
    client.force_login(hr)
    url = reverse("portal:team_enrol", args=[company.slug, offering.pk])
    chosen = [people[0].pk, people[-1].pk, people[2].pk]  # Zwart, Bakker, Öztürk
    page = client.post(url, {"learners": chosen, "search": ""}).content.decode()
    assert page.index("Bakker") < page.index("Öztürk") < page.index("Zwart")
    client.post(url, {"learners": chosen, "step": "confirm"})
    confirmed = Enrolment.objects.filter(status="confirmed").values_list(
        "learner__last_name", flat=True
    )
    assert sorted(confirmed) == ["Bakker", "Öztürk"]
    assert Enrolment.objects.get(learner__last_name="Zwart").status == "waitlisted"
