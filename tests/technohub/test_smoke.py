"""The app boots on the embedded services and serves its first pages over real HTTP."""

from urllib.request import urlopen

import pytest
from django.core.cache import cache
from django.db import connection


@pytest.mark.django_db
def test_site_serves_home_and_admin_login_over_http(live_server):
    with urlopen(f"{live_server.url}/", timeout=10) as response:
        assert response.status == 200
        assert "Technohub NOP" in response.read().decode()
    with urlopen(f"{live_server.url}/beheer/login/", timeout=10) as response:
        assert response.status == 200


@pytest.mark.django_db
def test_database_is_postgresql_and_cache_is_redis():
    assert connection.vendor == "postgresql"
    cache.set("smoke", "ok", timeout=10)
    assert cache.get("smoke") == "ok"
