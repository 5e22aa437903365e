"""Production settings refuse to start without their secrets and pass ``check --deploy``."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "technohub.settings.production",
    "SECRET_KEY": "x7!Kp2-vQ9#mZr4$Lw8^Nt6&Hy3*Bd5@Fg1%Jc0(Sx2)Ae7_Uq9+Wo4=Ri6~Te3Yz",
    "DATABASE_URL": "postgres://technohub:secret@127.0.0.1:1/technohub",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "SITE_URL": "https://cursussen.technohub-nop.nl",
    "ALLOWED_HOSTS": "cursussen.technohub-nop.nl",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a production process would have: nothing leaks in from the test run.
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_database_url():
    env = {**PRODUCTION_ENV, "DATABASE_URL": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_same_site():
    code = (
        "from django.conf import settings as s;"
        "print([(n, getattr(s, n + '_SECURE'), getattr(s, n + '_SAMESITE'),"
        " getattr(s, n + '_HTTPONLY')) for n in ('SESSION_COOKIE', 'LANGUAGE_COOKIE')]);"
        "print(s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    # The messages cookie follows the session cookie's settings.
    assert "('SESSION_COOKIE', True, 'Lax', True)" in result.stdout
    assert "('LANGUAGE_COOKIE', True, 'Lax', True)" in result.stdout
    assert "True Lax" in result.stdout
