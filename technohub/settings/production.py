"""Production settings: real PostgreSQL and Redis, secrets from the environment, HTTPS only."""

from .base import *  # noqa: F403
from .base import database_settings, email_settings, env, env_bool, redis_settings, require

SECRET_KEY = require("SECRET_KEY")
DEBUG = False
DATABASES = database_settings(require("DATABASE_URL"))
globals().update(redis_settings(require("REDIS_URL")))
globals().update(email_settings("django.core.mail.backends.smtp.EmailBackend"))
SITE_URL = require("SITE_URL")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the health check over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
