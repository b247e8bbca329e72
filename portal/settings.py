"""Settings for the ideology-work responsibility portal.

Every value comes from the environment through the strict helpers below, so a
typo in a deployment fails at start-up instead of silently using a default.
With no environment at all the portal runs in its embedded mode: an SQLite
file under ``var/``, background jobs run in threads of the web process
(portal.jobs), e-mail goes to the console.
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and envbool("PORTAL_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # Embedded/demo mode only: a fixed, clearly-marked key. The "django-insecure-"
    # prefix makes ``check --deploy`` (security.W009) flag a deployment that
    # forgot to set SECRET_KEY.
    SECRET_KEY = "django-insecure-embedded-demo-key-not-for-production-" + "x" * 24
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    # Permission predicates: loads each app's rules.py (portal/rules.py) at start-up.
    "rules.apps.AutodiscoverRulesConfig",
    "portal",
    "responsibility",
    "study",
    "publicity",
    "reports",
    "reports.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.sessions.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After CSRF, auth and messages: keeps forms posted after expiry or too large.
    "portal.middleware.KeptFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.ActorMiddleware",
    # AxesMiddleware must stay last: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "portal.accounts.session_timing",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
try:
    # Bootstrap comes from the XStatic-Bootstrap package installed at set-up,
    # never from a CDN nor a copy in the repository.
    import xstatic.pkg.bootstrap as _xbootstrap

    STATICFILES_DIRS.append(("bootstrap", _xbootstrap.BASE_DIR))
except ImportError:  # pragma: no cover - the set-up always installs it
    pass
# Tom Select (the searchable multi-select for people) from the static files of
# the django-tomselect package installed at set-up; only its files are used.
_tomselect = importlib.util.find_spec("django_tomselect")
if _tomselect is not None:
    STATICFILES_DIRS.append(("tomselect", Path(_tomselect.origin).parent / "static" / "django_tomselect"))
# Production images run collectstatic and set STATIC_MANIFEST=1; the embedded
# mode and the tests serve static files straight from the finders.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", False)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files are private: they are served by views that check permission,
# never under a public URL (see portal.files).
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-public/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Upload bounds: Django refuses bodies larger than this; forms check file sizes.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PORTAL_MAX_UPLOAD_BYTES = envint("PORTAL_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Whole request bodies above this get a 413 page before anything is read
# (portal.limits); one file at the upload limit plus the form fits.
PORTAL_MAX_REQUEST_BYTES = envint("PORTAL_MAX_REQUEST_BYTES", PORTAL_MAX_UPLOAD_BYTES + 1024 * 1024)
# Evidence attachments (portal.attachments): each file is bounded by
# PORTAL_MAX_UPLOAD_BYTES; a record carries at most this many; an Office file (a
# zip) may unpack to at most this many bytes, an image hold at most this many pixels.
PORTAL_ATTACHMENTS_PER_RECORD = envint("PORTAL_ATTACHMENTS_PER_RECORD", 30)
PORTAL_ATTACHMENT_MAX_UNZIPPED_BYTES = envint("PORTAL_ATTACHMENT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
PORTAL_ATTACHMENT_MAX_PIXELS = envint("PORTAL_ATTACHMENT_MAX_PIXELS", 80_000_000)
# The evidence binder of a unit and year (reports.binder) is refused above this size.
PORTAL_BINDER_MAX_BYTES = envint("PORTAL_BINDER_MAX_BYTES", 2 * 1024 * 1024 * 1024)

# Sessions end after this many seconds without a request (inactivity): a
# request renews the session when it was last renewed this many seconds ago
# or more (portal.sessions; saving it on every request cost a write per page).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_RENEW_SECONDS = envint("SESSION_RENEW_SECONDS", 60)
# Pages warn this many seconds before the session would expire, and offer to
# extend it (static/js/session.js).
SESSION_WARNING_SECONDS = envint("SESSION_WARNING_SECONDS", 300)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: no inline script, no outside origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)
# The attempt log keeps the POSTed fields: mask every password the portal asks
# for (password change, signing) and the drawn signature.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "old_password", "new_password1", "new_password2", "signature"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "portal@localhost")
# A mail server that does not answer must not hold a job (or a request) forever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
    # Bounded waits, so a page that uses the cache answers when Redis is down.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Embedded mode: no broker; portal.jobs runs tasks in threads of this process.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = False
# Job state lives in database rows (queued/running/done/failed), never in
# Celery results: with results ignored, publishing a task does not touch the
# result backend, whose reconnect retries held a request for ~20 s when Redis
# was down.
CELERY_TASK_IGNORE_RESULT = True
# Long work goes through portal.jobs: Celery with Redis, else a small pool of
# threads of the web process; either way after the response.
PORTAL_JOBS_THREADS = envint("PORTAL_JOBS_THREADS", 2)
# How long a request waits for Redis to take a job, whatever way Redis fails.
PORTAL_JOBS_PUBLISH_TIMEOUT = 1.0
# Tests only: run jobs in the calling thread at commit.
PORTAL_JOBS_INLINE = False
# The daily reminders (in the portal and by e-mail) go out at this local hour.
PORTAL_REMINDER_HOUR = envint("PORTAL_REMINDER_HOUR", 8)
if not 0 <= PORTAL_REMINDER_HOUR <= 23:
    raise ImproperlyConfigured(f"PORTAL_REMINDER_HOUR must be an hour 0–23, got {PORTAL_REMINDER_HOUR}")
# Without Redis there is no Celery beat: these sweeps (task name: seconds) run
# in the web process instead (portal.jobs.start_sweeps). The reminders run
# hourly there and send nothing before PORTAL_REMINDER_HOUR, nor twice a day.
PORTAL_JOBS_SWEEPS = {
    "reports.tasks.requeue_stale_builds": 300,
    "reports.tasks.requeue_stale_binders": 300,
    "portal.tasks.requeue_stale_imports": 300,
    "responsibility.tasks.send_reminders": 3600,
    "reports.assessment.tasks.send_reminders": 3600,
    "portal.tasks.send_stale_notification_emails": 300,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request must answer even when Redis is down: give up publishing quickly.
# visibility_timeout: an unacknowledged message is handed out again only after
# this long; it must stay far above any task's time limit, since a redelivered
# report build takes over the build its dead worker left running
# (reports.services.build_reclaim_redelivered).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "responsibility.tasks.send_reminders",
        "schedule": crontab(hour=PORTAL_REMINDER_HOUR, minute=0),
    },
    "daily-rectification-reminders": {
        "task": "reports.assessment.tasks.send_reminders",
        "schedule": crontab(hour=PORTAL_REMINDER_HOUR, minute=0),
    },
    "stale-notification-emails": {
        "task": "portal.tasks.send_stale_notification_emails",
        "schedule": 300,
    },
    "requeue-stale-report-builds": {
        "task": "reports.tasks.requeue_stale_builds",
        "schedule": 300,
    },
    "requeue-stale-binders": {
        "task": "reports.tasks.requeue_stale_binders",
        "schedule": 300,
    },
    "requeue-stale-imports": {
        "task": "portal.tasks.requeue_stale_imports",
        "schedule": 300,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# pyHanko needs lxml; with lxml installed openpyxl would parse workbooks with
# it instead of defusedxml, which accepts entity declarations that the ledger
# import refuses (portal.ledger.files). Settings load before openpyxl does.
os.environ.setdefault("OPENPYXL_LXML", "False")

# The installation's seal (portal.seal): the private key lives in SEAL_DIR,
# outside the database and every served path, unless the organisation gives
# its own PKCS#12 file. Nothing outside the machine is contacted unless the
# organisation names its own timestamp server.
SEAL_DIR = Path(envstr("PORTAL_SEAL_DIR", str(VAR_DIR / "seal")))
SEAL_ORGANISATION = envstr("PORTAL_SEAL_ORGANISATION")  # empty: the first committee's name
SEAL_PKCS12_FILE = envstr("PORTAL_SEAL_PKCS12")
SEAL_PKCS12_PASSPHRASE = envstr("PORTAL_SEAL_PKCS12_PASSPHRASE")
SEAL_TSA_URL = envstr("PORTAL_SEAL_TSA_URL")
SEAL_TSA_TIMEOUT = envint("PORTAL_SEAL_TSA_TIMEOUT", 10)
# Printed in every issued PDF's QR code: the address readers open the portal at.
PORTAL_BASE_URL = envstr("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Verifying an uploaded file costs at most this much (portal.seal.verify).
VERIFY_MAX_BYTES = envint("PORTAL_VERIFY_MAX_BYTES", PORTAL_MAX_UPLOAD_BYTES)
VERIFY_MAX_PAGES = envint("PORTAL_VERIFY_MAX_PAGES", 2000)
VERIFY_TIMEOUT_SECONDS = envint("PORTAL_VERIFY_TIMEOUT", 10)
VERIFY_MEMORY_BYTES = envint("PORTAL_VERIFY_MEMORY_MB", 512) * 1024 * 1024
