"""A minimal Django project: one review model, one POST view (the peer of bench/writes.py).

Database: PEER_DATABASE_URL (a libpq URL or conninfo), the same PostgreSQL kaoping uses.
"""

from __future__ import annotations

import os

from psycopg.conninfo import conninfo_to_dict

_db = conninfo_to_dict(os.environ["PEER_DATABASE_URL"])

SECRET_KEY = "bench-peer-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["reviews"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware",
              "django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": _db.get("dbname", "postgres"),
    "USER": _db.get("user", ""),
    "PASSWORD": _db.get("password", ""),
    "HOST": _db.get("host", ""),
    "PORT": _db.get("port", ""),
    "CONN_MAX_AGE": None,  # persistent connections, as a production deployment would use
    "CONN_HEALTH_CHECKS": True,
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
