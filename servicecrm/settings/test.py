"""Test settings: fast hasher, in-memory mail unless a test points at a real SMTP server."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Several test runs may share one PostgreSQL server: a suffix keeps their databases apart.
_suffix = os.environ.get("TEST_DB_SUFFIX", "")
if _suffix:
    DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_servicecrm_{_suffix}"

# Tests that run a real Celery worker need a database the worker process can open too: PostgreSQL,
# or SQLite in a file named here (the default in-memory SQLite test database is private to pytest).
_sqlite_file = os.environ.get("TEST_SQLITE_NAME", "")
if _sqlite_file and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = _sqlite_file

# A worker started by a test sends to the test's SMTP server (tests/services.py); a dedicated
# variable, so that an EMAIL_URL in a developer's .env never makes tests send real mail.
if os.environ.get("TEST_EMAIL_URL"):
    vars().update(env.email_url("TEST_EMAIL_URL"))  # noqa: F405
    EMAIL_TIMEOUT = env.int("TEST_EMAIL_TIMEOUT", default=20)  # noqa: F405

# Static files come from the app folders (no collectstatic in tests), as in development.
WHITENOISE_AUTOREFRESH = True

# Each test builds its own data: figures kept from another test would be wrong (tests/insights turn it on).
INSIGHTS_CACHE_SECONDS = 0
