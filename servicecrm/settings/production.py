"""Production: refuses to start without its secrets; passes `manage.py check --deploy`."""

from .base import *  # noqa: F403
from .base import DATABASES, env, require, use_connection_pool

DEBUG = False
SECRET_KEY = require("DJANGO_SECRET_KEY", env("DJANGO_SECRET_KEY", default=""))
require("DJANGO_ALLOWED_HOSTS", env("DJANGO_ALLOWED_HOSTS", default=""))
require("DATABASE_URL", env("DATABASE_URL", default=""))

# psycopg 3's connection pool, on by default on PostgreSQL (DATABASE_POOL=false turns it off).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_POOL", default=True):
    use_connection_pool(DATABASES["default"])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
