"""Shared fixtures. Tests run against the project's embedded PostgreSQL and Redis (or the
servers named by DATABASE_URL and REDIS_URL); the test settings start them."""

import pytest

from tests.factories import CourseFactory, MeetingFactory, OfferingFactory, UserFactory


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True, email="beheer@example.nl")


@pytest.fixture
def offering(db):
    """An open run of a published course with one meeting a month from now."""
    run = OfferingFactory(course=CourseFactory())
    MeetingFactory(offering=run)
    return run


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Each test starts in Dutch; a request in English earlier must not leak into the next."""
    from django.utils import translation

    with translation.override("nl"):
        yield
