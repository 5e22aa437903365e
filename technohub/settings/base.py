"""Settings shared by every environment; the environment-specific modules import this one.

Everything that differs between machines comes from environment variables (see .env.example).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Return an environment variable, treating an empty value as unset."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def bootstrap_static_dir() -> Path:
    """Bootstrap's compiled CSS and JS, shipped by the ``bootstrap-wrapper`` package."""
    import bootstrap_wrapper

    return Path(bootstrap_wrapper.__file__).resolve().parent.parent / "bootstrap"


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "technohub.apps.HubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "technohub",
    "companies",
    "catalogue",
    "enrolment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "technohub.request_guard.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Content-Security-Policy, Permissions-Policy, Cache-Control for logged-in users.
    "technohub.security_headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The site's 405 page for the empty answers of require_POST and friends.
    "technohub.error_views.MethodNotAllowedPageMiddleware",
    # Last, as axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "technohub.urls"
WSGI_APPLICATION = "technohub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "technohub.context_processors.hub",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL selects a real server; the environment modules fall back to an embedded one.


def database_settings(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    config["ATOMIC_REQUESTS"] = False
    return {"default": config}


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# How many reverse proxies the operator runs in front of the site, each appending to
# X-Forwarded-For; 0 (no proxy) counts clients by REMOTE_ADDR. See technohub.client.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# --- Users ----------------------------------------------------------------------------------

AUTH_USER_MODEL = "companies.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "enrolment:my_courses"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, with the logged-in user's row kept in the shared cache (accounts.user_cache).
    "companies.accounts.user_cache.CachedModelBackend",
]
# Guessing passwords (companies.accounts.lockout): five wrong passwords for one account from one
# client address lock that pair for 15 minutes; other addresses are not refused. Failures from all
# addresses together slow the account down from LOGIN_SLOWDOWN_AFTER on, never lock it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "technohub.client.client_address"
AXES_USERNAME_CALLABLE = "companies.accounts.lockout.axes_username"
# The log-in form calls the email field "username", as Django's AuthenticationForm does.
AXES_USERNAME_FORM_FIELD = "username"
LOGIN_SLOWDOWN_AFTER = 10
LOGIN_SLOWDOWN_MAX_SECONDS = 60
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Links in verification and password mails stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
# How long an invitation to a company, or the first-password link of an imported employee,
# stays valid: long enough for someone on shifts or on leave.
INVITATION_VALID_DAYS = int(env("INVITATION_VALID_DAYS", "14"))
# Password-reset, confirmation and sign-up-attempt mails: at most this many of a kind per
# address per hour (counted in the outbox); past it the page says the same and no mail goes.
ACCOUNT_MAILS_PER_HOUR = 3
# Retention (AVG). The privacy statement and the processing register render these values and
# the beat tasks of technohub.privacy.retention enforce them, so the three never disagree.
PRIVACY_ACCOUNT_INACTIVE_DAYS = int(env("PRIVACY_ACCOUNT_INACTIVE_DAYS", "730"))
PRIVACY_ACCOUNT_WARNING_DAYS = int(env("PRIVACY_ACCOUNT_WARNING_DAYS", "30"))
PRIVACY_MAIL_RETENTION_DAYS = int(env("PRIVACY_MAIL_RETENTION_DAYS", "365"))
PRIVACY_RECORDS_RETENTION_YEARS = int(env("PRIVACY_RECORDS_RETENTION_YEARS", "7"))
PRIVACY_CERTIFICATE_RETENTION_YEARS = int(env("PRIVACY_CERTIFICATE_RETENTION_YEARS", "10"))
PRIVACY_LOGIN_LOG_RETENTION_DAYS = int(env("PRIVACY_LOGIN_LOG_RETENTION_DAYS", "90"))
PRIVACY_INVITATION_RETENTION_DAYS = int(env("PRIVACY_INVITATION_RETENTION_DAYS", "30"))
# A qualification that expired is kept this long after its expiry, then deleted.
PRIVACY_EXPIRED_QUALIFICATION_RETENTION_YEARS = int(
    env("PRIVACY_EXPIRED_QUALIFICATION_RETENTION_YEARS", "2")
)
# A school request keeps the teacher's name and contact details this long after the visit (or
# the request's end); then only the school and the counts stay, for the funder's reports.
PRIVACY_SCHOOL_REQUEST_RETENTION_YEARS = int(env("PRIVACY_SCHOOL_REQUEST_RETENTION_YEARS", "2"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "companies.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cookies ------------------------------------------------------------------------------
# Every cookie the site sets: the session (and the messages cookie, which follows the session
# cookie's settings), the CSRF token and the display language. Production makes them Secure.

# Sessions are written to the database and read from the shared cache (Redis) first.
SESSION_ENGINE = "companies.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "technohub.error_views.csrf_failure"

# --- Language and time ----------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", bootstrap_static_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Mail -----------------------------------------------------------------------------------
# EMAIL_URL (smtp+tls://user:password@host:587) or the separate EMAIL_* variables.

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Technohub NOP <noreply@technohub-nop.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


EMAIL_URL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str) -> dict:
    """Mail settings from a URL: ``smtp+tls://user:password@host:587`` (STARTTLS),
    ``smtps://…:465`` (TLS from the start), ``smtp://…``, ``console:``, ``file:///path``."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_URL_BACKENDS:
        raise ImproperlyConfigured(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    config = {"EMAIL_BACKEND": EMAIL_URL_BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        config["EMAIL_FILE_PATH"] = unquote(parts.path)
    elif parts.scheme.startswith("smtp"):
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or {"smtps": 465, "smtp+tls": 587}.get(parts.scheme, 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtps",
        )
    return config


def email_settings(default_backend: str) -> dict:
    """Mail settings from EMAIL_URL, or from EMAIL_HOST and friends, or ``default_backend``."""
    if url := env("EMAIL_URL"):
        return parse_email_url(url)
    if host := env("EMAIL_HOST"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": host,
            "EMAIL_PORT": int(env("EMAIL_PORT", "587")),
            "EMAIL_HOST_USER": env("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": env("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", True),
            "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", False),
        }
    return {"EMAIL_BACKEND": default_backend}


EMAIL_TIMEOUT = 20

# --- Redis, cache and Celery ----------------------------------------------------------------


def redis_settings(url: str) -> dict:
    """Cache, Celery broker and result settings that all point at one Redis server."""
    return {
        "CACHES": {
            "default": {
                "BACKEND": "technohub.redis_cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "technohub",
            }
        },
        "CELERY_BROKER_URL": url,
    }


CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged after it ran, so a worker that dies mid-task leaves it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when Redis is down: give up quickly, the sweep resends.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "technohub.tasks.heartbeat", "schedule": crontab(minute="*")},
    "sweep-outbox": {"task": "enrolment.tasks.sweep_outbox", "schedule": crontab(minute="*")},
    "queue-reminders": {"task": "enrolment.tasks.queue_reminders", "schedule": crontab(minute=5)},
    # Reserved seats: unnamed ones go back at the deadline; HR is reminded a few days before.
    "release-expired-reservations": {
        "task": "enrolment.tasks.release_expired_reservations",
        "schedule": crontab(minute=25),
    },
    "queue-reservation-reminders": {
        "task": "enrolment.tasks.queue_reservation_reminders",
        "schedule": crontab(minute=35),
    },
    # Employees' requests for HR who chose a bundle: at most one mail an hour.
    "queue-request-bundles": {
        "task": "enrolment.tasks.queue_request_bundles",
        "schedule": crontab(minute=0),
    },
    # HR's daily digest of the last 24 hours' enrolment news, before the working day starts.
    "hr-digests": {
        "task": "companies.tasks.send_hr_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # HR's question three months after a run: one mail per company per day at most.
    "ask-transfer-checks": {
        "task": "enrolment.tasks.ask_transfer_checks",
        "schedule": crontab(hour=7, minute=30),
    },
    # HR's reminder that a funding claim's application window closes (30 and 7 days before).
    "send-funding-deadline-alarms": {
        "task": "companies.tasks.send_funding_deadline_alarms",
        "schedule": crontab(hour=7, minute=15),
    },
    # Qualifications that expire in 90 or 30 days: the holder and their HR, once each.
    "send-qualification-alarms": {
        "task": "enrolment.tasks.send_qualification_alarms",
        "schedule": crontab(hour=7, minute=40),
    },
    # Offerings whose last meeting ended: participants become completed or no-show.
    "complete-ended-offerings": {
        "task": "enrolment.tasks.complete_ended_offerings",
        "schedule": crontab(minute=15),
    },
    # Evaluations (enrolment.evaluation): ask who attended a run that ended; remind once.
    "queue-evaluations": {
        "task": "enrolment.tasks.queue_evaluations",
        "schedule": crontab(minute=45),
    },
    # School visits (enrolment.schools): yesterday's visits done and their evaluation asked;
    # the teachers' reminders two weeks and two days before.
    "finish-school-visits": {
        "task": "enrolment.tasks.finish_school_visits",
        "schedule": crontab(hour=6, minute=30),
    },
    "send-school-visit-reminders": {
        "task": "enrolment.tasks.send_school_visit_reminders",
        "schedule": crontab(hour=6, minute=45),
    },
    # Retention (technohub.privacy.retention): nightly, a few minutes apart, after 04:00 so the
    # hour that daylight saving time skips or repeats never drops or doubles a run.
    "warn-inactive-accounts": {
        "task": "technohub.tasks.warn_inactive_accounts",
        "schedule": crontab(hour=4, minute=0),
    },
    "erase-inactive-accounts": {
        "task": "technohub.tasks.erase_inactive_accounts",
        "schedule": crontab(hour=4, minute=10),
    },
    "purge-mail-bodies": {
        "task": "technohub.tasks.purge_mail_bodies",
        "schedule": crontab(hour=4, minute=20),
    },
    "purge-login-records": {
        "task": "technohub.tasks.purge_login_records",
        "schedule": crontab(hour=4, minute=30),
    },
    "purge-sessions": {
        "task": "technohub.tasks.purge_sessions",
        "schedule": crontab(hour=4, minute=40),
    },
    "purge-invitations": {
        "task": "technohub.tasks.purge_invitations",
        "schedule": crontab(hour=4, minute=50),
    },
    "purge-logs": {"task": "technohub.tasks.purge_logs", "schedule": crontab(hour=5, minute=0)},
    # Certificates before enrolments: an enrolment waits for its certificate to go.
    "purge-certificates": {
        "task": "technohub.tasks.purge_certificates",
        "schedule": crontab(hour=5, minute=10),
    },
    "purge-enrolments": {
        "task": "technohub.tasks.purge_enrolments",
        "schedule": crontab(hour=5, minute=20),
    },
    "purge-expired-qualifications": {
        "task": "technohub.tasks.purge_expired_qualifications",
        "schedule": crontab(hour=5, minute=30),
    },
    "purge-school-requests": {
        "task": "technohub.tasks.purge_school_requests",
        "schedule": crontab(hour=5, minute=40),
    },
}

# Rendered catalogue pages for visitors who are not logged in, shared in Redis by every web
# process (technohub.page_cache). Stale pages are never served; this only bounds their memory.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = 300

# --- The hub ------------------------------------------------------------------------------

# Days before an offering's first meeting on which confirmed learners get a reminder.
REMINDER_DAYS = [int(day) for day in env_list("REMINDER_DAYS", "7,1")]
# Days after a run's last meeting before the hourly task completes it, so that the last
# meeting's attendance can still be taken the morning after (the manager may complete earlier).
COMPLETION_GRACE_DAYS = int(env("COMPLETION_GRACE_DAYS", "3"))
# Days after a run's last meeting before HR is asked, per participant who completed it, whether
# what they learned is put to use ("wordt het geleerde toegepast?").
TRANSFER_CHECK_AFTER_DAYS = int(env("TRANSFER_CHECK_AFTER_DAYS", "90"))
# Evaluations (enrolment.evaluation): who attended a run whose last meeting ended within
# EVALUATION_ASK_WITHIN_DAYS is asked once, and reminded once after EVALUATION_REMINDER_DAYS; the
# personal link lasts EVALUATION_LINK_DAYS from the mail that carries it. Results reach the
# college and the course page only for runs with at least EVALUATION_MIN_ANSWERS answers.
EVALUATION_ASK_WITHIN_DAYS = int(env("EVALUATION_ASK_WITHIN_DAYS", "30"))
EVALUATION_REMINDER_DAYS = int(env("EVALUATION_REMINDER_DAYS", "7"))
EVALUATION_LINK_DAYS = int(env("EVALUATION_LINK_DAYS", "60"))
EVALUATION_MIN_ANSWERS = int(env("EVALUATION_MIN_ANSWERS", "5"))
# Funding (companies.funding): HR is mailed these many days before the last day to apply for an
# enrolment's claim, once each.
FUNDING_ALARM_DAYS = [int(day) for day in env_list("FUNDING_ALARM_DAYS", "30,7")]
# Qualifications (enrolment.qualifications): HR and the holder are mailed these many days before
# a qualification expires, once each; the matrix marks what expires within
# QUALIFICATION_EXPIRING_DAYS, and the demand board counts those without a refresher run planned.
QUALIFICATION_ALARM_DAYS = [int(day) for day in env_list("QUALIFICATION_ALARM_DAYS", "90,30")]
QUALIFICATION_EXPIRING_DAYS = int(env("QUALIFICATION_EXPIRING_DAYS", "90"))
# School visits (enrolment.schools): the teacher may move or cancel a visit online until
# SCHOOL_RESCHEDULE_DAYS before it; the host's confirmation link lasts SCHOOL_HOST_LINK_DAYS;
# the teacher is reminded these many days before the visit, once each.
SCHOOL_RESCHEDULE_DAYS = int(env("SCHOOL_RESCHEDULE_DAYS", "10"))
SCHOOL_HOST_LINK_DAYS = int(env("SCHOOL_HOST_LINK_DAYS", "7"))
SCHOOL_REMINDER_DAYS = [int(day) for day in env_list("SCHOOL_REMINDER_DAYS", "14,2")]
# Whom learners contact for what the site cannot do (e.g. cancelling after the deadline).
HUB_CONTACT_EMAIL = env("HUB_CONTACT_EMAIL", "info@technohub-nop.nl")
# The demand board marks a group "ready to schedule" from this many people of this many companies.
DEMAND_READY_PEOPLE = int(env("DEMAND_READY_PEOPLE", "8"))
DEMAND_READY_COMPANIES = int(env("DEMAND_READY_COMPANIES", "2"))

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Dozens of lines per certificate PDF (the font subsetter's steps) at INFO.
        "fontTools": {"level": "WARNING"},
    },
}


def require(name: str) -> str:
    """Return a required environment variable or refuse to start."""
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value
