"""Shared fixtures. Tests run against the project's embedded PostgreSQL and Redis (or the
servers named by DATABASE_URL and REDIS_URL); the test settings start them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    CompanyFactory,
    CourseFactory,
    MeetingFactory,
    MembershipFactory,
    OfferingFactory,
    UserFactory,
)


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True, email="beheer@example.nl")


@pytest.fixture
def offering(db):
    """An open offering of a published course with one meeting a month from now."""
    offering = OfferingFactory(course=CourseFactory())
    MeetingFactory(offering=offering)
    return offering


@pytest.fixture(autouse=True, scope="session")
def empty_broker():
    """Start with an empty test broker: tasks nobody consumed in earlier offerings only slow it."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    client.close()


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Each test starts in Dutch; a request in English earlier must not leak into the next."""
    from django.utils import translation

    with translation.override("nl"):
        yield


@pytest.fixture
def make_offering(db):
    """A factory for open offerings whose first meeting is ``days`` ahead."""

    def make(*, capacity: int = 5, days: int = 30, **fields):
        offering = OfferingFactory(capacity=capacity, min_participants=1, **fields)
        MeetingFactory(offering=offering, starts_at=timezone.now() + timedelta(days=days))
        return offering

    return make


@pytest.fixture
def learners(db):
    """A factory for ``n`` learners."""

    def make(n: int):
        return [UserFactory() for _ in range(n)]

    return make


@pytest.fixture
def approving_company(db):
    """A company whose employees' own enrolments wait for HR approval."""
    return CompanyFactory(requires_approval=True)


@pytest.fixture
def employee_of(db):
    def make(company):
        return MembershipFactory(company=company).user

    return make


@pytest.fixture
def start_celery_worker(tmp_path, settings):
    """A factory for real Celery worker processes on the test broker.

    Each worker reads the test database (the test must use ``transaction=True`` so it sees
    committed rows) and sends mail to ``email_url``. Returns the process; every worker still
    running is stopped afterwards.
    """
    import os
    import subprocess
    import sys
    import time

    from django.db import connection

    from technohub.celery import app

    app.control.purge()  # leftovers published by earlier tests would only slow the worker
    database = connection.settings_dict
    workers = []

    def start(*, email_url: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "technohub.settings.test",
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
                f"{database['NAME']}"
            ),
            "REDIS_URL": settings.CELERY_BROKER_URL,
            "EMAIL_URL": email_url,
        }
        log_path = tmp_path / f"worker-{len(workers)}.log"
        with open(log_path, "w") as log:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "technohub",
                    "worker",
                    "--pool",
                    "solo",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "info",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        workers.append(worker)
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            assert worker.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "the Celery worker did not start"
            time.sleep(0.2)
        return worker

    yield start
    for worker in workers:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def celery_worker(tmp_path, start_celery_worker):
    """A real Celery worker process on the test broker, mailing into files in a folder.

    Yields the mail folder; the worker is stopped afterwards.
    """
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    start_celery_worker(email_url=f"file://{mail_dir}")
    return mail_dir
