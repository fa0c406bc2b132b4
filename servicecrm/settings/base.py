"""Settings shared by every environment, read from the environment.

Parsing is strict: a malformed value stops start-up with a message instead of
silently falling back to a default.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env (never committed) is convenient in development.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

BUSINESS_NAME = env("BUSINESS_NAME", default="ServiceCRM")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "phonenumber_field",
    "bootstrap",
    "csp",
    "simple_history",
    "django_filters",
    "axes",
    "core",
    "accounts",
    "customers",
    "followups",
    "interactions",
    "mail",
    "today",
    "feedback",
    "actionplans",
    "reminders",
    "offline",
    "team",
    "health",
    "trash",
    "insights",
    "merge",
    "imports",
    "backup",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.LoginRequiredExceptPublicMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages (an idle sign-out leaves one for the login page), before anything that reads request.user.
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The pages anyone may open without signing in, by URL name: every other page asks for a login
# (core.middleware.LoginRequiredExceptPublicMiddleware). None of them shows customer data, except the
# customer's own feedback link, which a signed token guards.
PUBLIC_VIEWS = [
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "feedback:answer",
    # The installable app's shell: no data, and a phone must fetch it before anyone signs in.
    "offline:service_worker",
    "offline:manifest",
    "offline:page",
    # The admin's own sign-in page: the same lockout applies to it.
    "admin:login",
]

ROOT_URLCONF = "servicecrm.urls"

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
                "core.context_processors.app",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so project templates can define widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "servicecrm.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a plan for any big aggregate: on the Insights page it cost more time (0.3-0.4 s a
    # query) than it saved. Short queries, which are all the others, never use it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")


def use_connection_pool(database: dict) -> None:
    """Each process keeps a few open PostgreSQL connections (psycopg 3's pool) instead of opening one per request:
    measured, every request without it started a new server process on PostgreSQL (README, "Deployment").

    Django wants CONN_MAX_AGE = 0 with a pool: the pool owns the reuse. max_size matches gunicorn's threads per
    worker (gunicorn.conf.py), so a request never waits for a connection another thread holds.
    """
    database["CONN_MAX_AGE"] = 0
    database.setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
        # Seconds a request waits for a free connection before it fails, rather than hang.
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }


# Off by default in development and tests; production turns it on (settings/production.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_POOL", default=False):
    use_connection_pool(DATABASES["default"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out client is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PHONENUMBER_DEFAULT_REGION = env("PHONENUMBER_DEFAULT_REGION", default="US")
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds to wait for the mail server: a stalled server must not hold a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default=f"{BUSINESS_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Redis when REDIS_URL is set, otherwise kombu's filesystem
# transport so that `make run` needs no server.
REDIS_URL = env("REDIS_URL", default="")
BROKER_DIR = BASE_DIR / "var" / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # The exchange tables (control/*.exchange) too, or kombu writes them into the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# A cache shared by every process (the feedback link's rate limit counts in it): Redis when
# REDIS_URL is set; otherwise per-process memory, good enough for a single-process `make run`.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "servicecrm"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Feedback: the customer's private link stops working after this many days.
FEEDBACK_LINK_MAX_AGE_DAYS = env.int("FEEDBACK_LINK_MAX_AGE_DAYS", default=30)
# How often one client address may open or answer feedback links (django-ratelimit's "N/period").
FEEDBACK_LINK_RATE_LIMIT = env("FEEDBACK_LINK_RATE_LIMIT", default="20/m")

# Reminders and the weekly email (reminders app).
REMINDERS_SKIP_EMPTY_DIGEST = env.bool("REMINDERS_SKIP_EMPTY_DIGEST", default=True)
REMINDERS_BATCH_SIZE = env.int("REMINDERS_BATCH_SIZE", default=200)  # emails queued per dispatcher run
# A claimed email not marked sent after this long is handed out again (the worker died mid-send).
REMINDERS_CLAIM_LEASE_SECONDS = env.int("REMINDERS_CLAIM_LEASE_SECONDS", default=600)
# A send that fails is tried again after this pause, doubled after each failure up to the maximum, until the
# email is no longer useful (a reminder: the end of the user's day; the weekly email: two days). The
# dispatcher hands out the retries, so a pause is in effect at least its interval (5 minutes).
REMINDERS_RETRY_BACKOFF_SECONDS = env.int("REMINDERS_RETRY_BACKOFF_SECONDS", default=30)
REMINDERS_RETRY_BACKOFF_MAX_SECONDS = env.int("REMINDERS_RETRY_BACKOFF_MAX_SECONDS", default=1800)

# Content Security Policy: our own origin only (assets come from pip packages).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Sessions fit lost phones: signed out after this many idle seconds (a working day), unless the user
# ticked "keep me signed in on this device"; then the session lasts SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=10 * 60 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 24 * 60 * 60)

# The client's real address, for the login lockout and every rate limit: the number of reverse proxies
# in front of the app that append to X-Forwarded-For (0: none, use the connection's address). Only the
# addresses those proxies added are believed, never one a client sent (core.http.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Login lockout (django-axes): this many failures for one account from one client address lock that
# pair for AXES_COOLOFF_MINUTES; the same account from elsewhere still signs in.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# django-ratelimit counts per client address from core.http.client_ip too.
RATELIMIT_IP_META_KEY = "core.http.client_ip"
# Password reset: how often one client address may ask for a link.
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", default="5/h")

# Insights: the page's figures are computed once per period, member, zone and role, and kept this many seconds
# (0: always computed). Everyone sees when they were computed.
INSIGHTS_CACHE_SECONDS = env.int("INSIGHTS_CACHE_SECONDS", default=300)

# Imports: the largest file accepted, rows written per transaction, and the seconds without a sign of life after
# which a run is taken to have died with its worker and is resumed (by the next worker to start, or within a
# minute by beat); a run that died this many times stops, cleanly, with what it wrote recorded.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=50)
IMPORT_CHUNK_SIZE = env.int("IMPORT_CHUNK_SIZE", default=500)
IMPORT_STALL_SECONDS = env.int("IMPORT_STALL_SECONDS", default=60)
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=3)

# Search results and lists
CUSTOMERS_PER_PAGE = env.int("CUSTOMERS_PER_PAGE", default=25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}


def require(name: str, value: str) -> str:
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment.")
    return value


# The trash: a deleted customer can be restored, with everything that went with them, for this many days;
# then the purge task (trash.purge, hourly) erases them for good, at most TRASH_PURGE_BATCH_SIZE per run.
TRASH_RETENTION_DAYS = env.int("TRASH_RETENTION_DAYS", default=30)
TRASH_PURGE_BATCH_SIZE = env.int("TRASH_PURGE_BATCH_SIZE", default=20)
