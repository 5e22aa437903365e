"""Development settings: ``make run``. Embedded PostgreSQL and Redis unless URLs are given."""

from technohub import embedded

from .base import *  # noqa: F403
from .base import BASE_DIR, database_settings, email_settings, env, env_bool, redis_settings

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-technohub-nop")
ALLOWED_HOSTS = ["*"]

EMBEDDED_PROFILE = embedded.PROFILES["dev"]
DATABASES = database_settings(env("DATABASE_URL") or embedded.start_postgres(EMBEDDED_PROFILE))
globals().update(redis_settings(env("REDIS_URL") or embedded.start_redis(EMBEDDED_PROFILE)))

# Mail is written to files in .data/dev/mail, one file per message: read them there.
EMAIL_FILE_PATH = str(BASE_DIR / ".data" / "dev" / "mail")
globals().update(email_settings("django.core.mail.backends.filebased.EmailBackend"))
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".data" / "dev" / "celerybeat-schedule")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# A developer changing a template wants to see it at once.
PAGE_CACHE = env_bool("PAGE_CACHE", False)

# Serve static files straight from the apps and packages, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
