"""Fault drills: servers and workers die at the worst moment, and nothing is lost or doubled.

These drills stop and start the embedded test servers, so they refuse to run against servers
named by DATABASE_URL or REDIS_URL that are not the embedded ones.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from enrolment import outbox, services
from enrolment.models import Enrolment, Notification
from technohub import embedded
from technohub.tasks import HEARTBEAT_KEY
from tests.mail_server import start_mail_server
from tests.races import assert_offering_is_consistent, race

pytestmark = pytest.mark.django_db(transaction=True)

PROFILE = settings.EMBEDDED_PROFILE


def wait_for(condition, *, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def embedded_servers():
    """Refuse to stop servers this test run does not own."""
    database = connection.settings_dict
    if database["PORT"] and int(database["PORT"]) != embedded.postgres_port(PROFILE):
        pytest.fail("This drill restarts the embedded PostgreSQL; run it without DATABASE_URL.")
    if not settings.CELERY_BROKER_URL.startswith(embedded.redis_url(PROFILE)[:-2]):
        pytest.fail("This drill restarts the embedded Redis; run it without REDIS_URL.")


@pytest.fixture
def mail_server():
    state, server = start_mail_server()
    yield state
    state.hold.clear()
    server.shutdown()


def sweep_all_unsent() -> int:
    """What beat's sweep does a minute later: publish every unsent, unclaimed row."""
    return outbox.sweep(now=timezone.now() + outbox.SWEEP_GRACE * 2)


def test_redis_killed_during_a_rush_loses_no_mail_and_sends_none_twice(
    embedded_servers, make_offering, learners, mail_server, start_celery_worker
):
    offerings = [make_offering(capacity=4), make_offering(capacity=4)]
    people = learners(15)
    started = Counter()
    lock = threading.Lock()

    def enrol(learner, offering):
        def action():
            with lock:
                started["enrolments"] += 1
                if started["enrolments"] == 10:  # a third of the way in, Redis dies
                    embedded.stop_redis(PROFILE)
            return services.enrol_learner(learner=learner, offering_id=offering.pk)

        return action

    try:
        results = race([enrol(learner, offering) for learner in people for offering in offerings])
    finally:
        embedded.start_redis(PROFILE)

    assert all(isinstance(result, Enrolment) for result in results), results
    for offering in offerings:
        assert_offering_is_consistent(offering)
    assert Enrolment.objects.filter(status="confirmed").count() == 8
    assert Enrolment.objects.filter(status="waitlisted").count() == 22

    start_celery_worker(email_url=f"smtp://127.0.0.1:{mail_server.port}")
    sweep_all_unsent()  # some rows may also still sit in the queue: each is sent once
    wait_for(lambda: not Notification.objects.filter(sent_at=None).exists())
    sweep_all_unsent()
    time.sleep(1)  # room for a wrong second send to show up

    for learner in people:
        assert mail_server.delivered_to(learner.email) == 2  # one per offering
    assert len(mail_server.delivered) == 30


def test_a_worker_killed_mid_send_leaves_the_mail_to_be_sent_once(
    embedded_servers, make_offering, learners, mail_server, start_celery_worker
):
    mail_server.hold.set()  # the mail server takes its time over the data
    first = start_celery_worker(email_url=f"smtp://127.0.0.1:{mail_server.port}")
    (learner,) = learners(1)
    services.enrol_learner(learner=learner, offering_id=make_offering().pk)

    assert mail_server.receiving.wait(30), "the worker never started sending"
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    mail_server.hold.clear()
    notification = Notification.objects.get()
    assert notification.sent_at is None
    assert mail_server.delivered == []

    # The dead worker's claim runs out, the sweep hands the row to another worker.
    Notification.objects.filter(pk=notification.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    start_celery_worker(email_url=f"smtp://127.0.0.1:{mail_server.port}")
    assert sweep_all_unsent() == 1
    wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, sent_at__isnull=False).exists()
    )
    sweep_all_unsent()
    time.sleep(1)

    assert mail_server.delivered_to(learner.email) == 1
    assert f"<notification-{notification.pk}@" in mail_server.delivered[0]


@pytest.fixture
def production_web_process(tmp_path):
    """gunicorn with the production settings on the test database, as a web server runs."""
    database = connection.settings_dict
    port = embedded._free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "technohub.settings.production",
        "SECRET_KEY": "drill-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
    }
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    # One process with one thread: every request reuses the same persistent connection.
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "technohub.wsgi", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/health/"
    wait_for(lambda: embedded._is_listening(port), seconds=30)
    try:
        yield url
    finally:
        web.terminate()
        web.wait(20)
        log.close()


def database_state(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
    import json

    return json.loads(body)["checks"]["database"]


def test_the_site_answers_again_after_postgresql_restarts(embedded_servers, production_web_process):
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)
    assert database_state(production_web_process) == "ok"

    try:
        embedded.stop_postgres(PROFILE)
        assert database_state(production_web_process) == "fail"
    finally:
        embedded.start_postgres(PROFILE)
        connection.close()  # this test's own connection died with the server
    assert database_state(production_web_process) == "ok"

    # A restart between two requests: the kept connection is dead, the next request notices.
    embedded.stop_postgres(PROFILE)
    embedded.start_postgres(PROFILE)
    connection.close()
    assert database_state(production_web_process) == "ok"
