"""runstrong's Django settings, read from RUNSTRONG_* environment variables.

Defaults suit `runstrong demo`: SQLite under ./var, loopback only. Production sets
RUNSTRONG_SECRET_KEY, RUNSTRONG_ALLOWED_HOSTS and, at scale, RUNSTRONG_DATABASE_URL=postgresql://…
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from runstrong.web.config.email import email_settings
from runstrong.web.config.env import env_bool, env_int, env_list, env_rate, env_str

# Django's generic classes (ModelForm[Race], ModelAdmin[Athlete]) take the model as the type
# checker reads them, also when the class statement runs.
django_stubs_ext.monkeypatch()

DATA_DIR = Path(env_str("RUNSTRONG_DATA_DIR", "var")).resolve()
DEBUG = env_bool("RUNSTRONG_DEBUG")
DEMO = env_bool("RUNSTRONG_DEMO")
TESTING = env_bool("RUNSTRONG_TESTING")

SECRET_KEY = env_str("RUNSTRONG_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or DEMO or TESTING):
        raise ImproperlyConfigured(
            "RUNSTRONG_SECRET_KEY is required outside debug and demo mode "
            "(or RUNSTRONG_SECRET_KEY_FILE pointing at a file holding it)."
        )
    SECRET_KEY = "insecure-local-only-key-for-debug-demo-and-tests"

ALLOWED_HOSTS = env_list("RUNSTRONG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("RUNSTRONG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "runstrong.web.coaching",
]

MIDDLEWARE = [
    # First: nothing (CSRF checking included) may read an oversized body.
    "runstrong.web.coaching.request_size.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "runstrong.web.config.urls"
WSGI_APPLICATION = "runstrong.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent.parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "runstrong.web.coaching.context_processors.nav",
            ],
            # Dates, days and groups written one way on every page (engine/wording.py).
            "builtins": ["runstrong.web.coaching.templatetags.formats"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("RUNSTRONG_DATABASE_URL", f"sqlite:///{DATA_DIR / 'runstrong.sqlite3'}"),
        # Each worker keeps its connection: opening one (and, on SQLite, setting its pragmas)
        # costs more than a whole set-log request.
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # A squad's publish can hold the write lock for seconds: wait for it, don't fail.
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool(
    "RUNSTRONG_DATABASE_PREPARED", True
):
    # Server-side binding lets psycopg prepare a statement after 5 runs on a connection, so
    # PostgreSQL stops re-planning the per-request ones: its CPU per set log fell from 0.56
    # to 0.20 ms under bench/api_load.py. Turn off behind a pooler that cannot keep
    # prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies stand in front (each appends to X-Forwarded-For). 0: the caller is
# REMOTE_ADDR. One client_ip() reads it for login lockouts and for the API's limits.
RUNSTRONG_TRUSTED_PROXIES = env_int("RUNSTRONG_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "runstrong.web.coaching.client_ip.client_ip"
# Request bodies: anything larger is refused (413) before it is read. runstrong's largest
# upload, a roster CSV, is limited to 1 MB; allowed uploads stay in memory, never on disk.
RUNSTRONG_MAX_REQUEST_BYTES = env_int("RUNSTRONG_MAX_REQUEST_BYTES", 2_621_440)
# Running-plan calendar subscriptions: fetched within this many seconds and bytes, every
# RUNSTRONG_CALENDAR_SYNC_MINUTES by the worker. Loopback addresses are refused unless allowed
# (tests serve feeds on 127.0.0.1); private, link-local and metadata addresses always are.
RUNSTRONG_FETCH_TIMEOUT = env_int("RUNSTRONG_FETCH_TIMEOUT", 10, minimum=1)
RUNSTRONG_FETCH_MAX_BYTES = env_int("RUNSTRONG_FETCH_MAX_BYTES", 2_000_000, minimum=1000)
RUNSTRONG_FETCH_ALLOW_LOOPBACK = env_bool("RUNSTRONG_FETCH_ALLOW_LOOPBACK")
RUNSTRONG_CALENDAR_SYNC_MINUTES = env_int("RUNSTRONG_CALENDAR_SYNC_MINUTES", 60, minimum=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = RUNSTRONG_MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = RUNSTRONG_MAX_REQUEST_BYTES
# Run files are the exception: a year's bulk export is tens of MB. Only the run-upload routes
# take bodies up to this (request_size.py); files past FILE_UPLOAD_MAX_MEMORY_SIZE go to a
# temporary file while the request reads them.
RUNSTRONG_MAX_RUN_UPLOAD_BYTES = env_int("RUNSTRONG_MAX_RUN_UPLOAD_BYTES", 200 * 1_048_576)
# An upload of up to this many run files is imported in the request; more go to the worker.
RUNSTRONG_RUN_INLINE_FILES = env_int("RUNSTRONG_RUN_INLINE_FILES", 20)
# Processes the worker reads a large upload's files with (FIT decoding is pure Python).
RUNSTRONG_RUN_IMPORT_PROCESSES = env_int("RUNSTRONG_RUN_IMPORT_PROCESSES", os.cpu_count() or 1)
# A zip's limits: files in it, one file unpacked, everything unpacked.
RUNSTRONG_RUN_ZIP_MAX_FILES = env_int("RUNSTRONG_RUN_ZIP_MAX_FILES", 3000)
RUNSTRONG_RUN_FILE_MAX_BYTES = env_int("RUNSTRONG_RUN_FILE_MAX_BYTES", 25 * 1_048_576)
RUNSTRONG_RUN_ZIP_MAX_BYTES = env_int("RUNSTRONG_RUN_ZIP_MAX_BYTES", 1024 * 1_048_576)
# Requests a minute for one signed-in API user (token or session).
RUNSTRONG_API_RATE = env_rate("RUNSTRONG_API_RATE", "1200/m")
# Password reset emails per caller's address and per email address typed.
RUNSTRONG_PASSWORD_RESET_RATE = env_rate("RUNSTRONG_PASSWORD_RESET_RATE", "5/h")
# The API's rate limits count in the cache: each worker's memory by default, or one Redis
# server shared by every worker and machine when RUNSTRONG_CACHE_URL names it.
CACHE_URL = env_str("RUNSTRONG_CACHE_URL")
# Limits that must hold across the server's workers even without Redis (password reset
# emails): counted in files in the data folder, or in Redis when it is named.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limits": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "limits"),
    },
}
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"RUNSTRONG_CACHE_URL={CACHE_URL!r}: expected redis://host:port/db (or rediss://)"
        )
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        for alias in ("default", "limits")
    }
# Work that must not hold a request runs in `runstrong worker`, queued in the app's own
# database (SQLite or PostgreSQL): no broker to install.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Email (invitations, password reset) goes through Django's email framework: printed to the
# console unless RUNSTRONG_EMAIL_URL names an SMTP server (see config/email.py).
_EMAIL = email_settings(env_str("RUNSTRONG_EMAIL_URL"))
EMAIL_BACKEND = _EMAIL.backend
EMAIL_HOST, EMAIL_PORT = _EMAIL.host, _EMAIL.port
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _EMAIL.user, _EMAIL.password
EMAIL_USE_TLS, EMAIL_USE_SSL = _EMAIL.use_tls, _EMAIL.use_ssl
EMAIL_TIMEOUT = 20  # seconds: a mail server that does not answer fails the send, not the page
DEFAULT_FROM_EMAIL = env_str("RUNSTRONG_EMAIL_FROM", "runstrong <runstrong@localhost>")
# An invitation link works once, for this many days after it is issued.
# A club's own catalog TOML (empty: the packaged defaults); checked at start-up (catalog.py).
RUNSTRONG_CATALOG = env_str("RUNSTRONG_CATALOG")
RUNSTRONG_INVITATION_DAYS = env_int("RUNSTRONG_INVITATION_DAYS", 7, minimum=1)
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("RUNSTRONG_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "runstrong.web.finders.PlotlyFinder",
]
STATIC_ROOT = DATA_DIR / "static"
# Front-end packages from npm (package.json; `make` runs `npm ci`): by default the checkout's
# node_modules. runstrong.web.finders.PlotlyFinder serves the one chart bundle from it.
NODE_MODULES_DIR = Path(
    env_str("RUNSTRONG_NODE_MODULES_DIR", str(Path(__file__).resolve().parents[4] / "node_modules"))
).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts, styles and fonts come only from the app itself: no inline scripts, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly.js positions its chart parts with inline styles; scripts stay strictly 'self'.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env_bool("RUNSTRONG_TLS"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Feed, invitation and password-reset tokens in a URL never reach a log (web/config/
# log_redaction.py; gunicorn's access log uses the same redaction).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "runstrong.web.config.log_redaction.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "loggers": {
        name: {"filters": ["redact_tokens"]}
        for name in ("django.request", "django.server", "django.security")
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
