"""/health/ tells a load balancer whether this web process can serve, and what is wrong."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from technohub.tasks import HEARTBEAT_KEY

pytestmark = pytest.mark.django_db

SECRET = "s3cret-password"


@pytest.fixture
def worker_beat():
    """A heartbeat left by a worker ``age`` ago."""

    def beat(age: timedelta = timedelta(seconds=10)):
        cache.set(HEARTBEAT_KEY, (timezone.now() - age).isoformat(), timeout=None)

    yield beat
    cache.delete(HEARTBEAT_KEY)


def test_health_is_ok_when_database_redis_and_a_worker_answer(client, worker_beat):
    worker_beat()

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_fails_on_the_database_without_telling_the_error(client, worker_beat):
    worker_beat()
    error = OperationalError(f"connection to postgres://app:{SECRET}@db failed")

    with mock.patch("technohub.health.connection.cursor", side_effect=error):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert SECRET not in response.content.decode()


def test_health_fails_on_redis_and_cannot_tell_the_worker(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:{SECRET}@127.0.0.1:1/0",
        }
    }

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"] == {"database": "ok", "redis": "fail", "worker": "unknown"}
    assert body["failing"] == ["redis", "worker"]
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("age", [None, timedelta(minutes=10)])
def test_health_fails_when_no_worker_answered_lately(client, worker_beat, age):
    if age:
        worker_beat(age)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


def test_health_answers_over_plain_http_when_https_is_enforced(client, settings, worker_beat):
    worker_beat()
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]

    assert client.get("/health/").status_code == 200
    assert client.get("/robots.txt").status_code == 301
