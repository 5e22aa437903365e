"""Test settings: ``make test``. Its own embedded servers, apart from the development data."""

from technohub import embedded

from .base import *  # noqa: F403
from .base import database_settings, email_settings, env, redis_settings

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]

EMBEDDED_PROFILE = embedded.PROFILES["test"]
DATABASES = database_settings(env("DATABASE_URL") or embedded.start_postgres(EMBEDDED_PROFILE))
DATABASES["default"]["CONN_MAX_AGE"] = 0
globals().update(redis_settings(env("REDIS_URL") or embedded.start_redis(EMBEDDED_PROFILE)))

# In memory, unless a test hands a real worker EMAIL_URL (e.g. file:///path) to watch it send.
globals().update(email_settings("django.core.mail.backends.locmem.EmailBackend"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITE_URL = "http://testserver"
# Tests of the page cache switch it on; elsewhere a page stored by one test must not show up in
# the next (their transactions are rolled back, so no new generation would start).
PAGE_CACHE = False

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
