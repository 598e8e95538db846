"""Aksi settings. Every value comes from the environment; defaults suit a fresh clone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from aksi.core.database import database_config
from aksi.core.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
# Runtime files (SQLite database, uploads, collected static) live in var/ of the source checkout,
# or of the working folder when Aksi is installed as a package; AKSI_HOME overrides both.
_CHECKOUT = PACKAGE_DIR.parent
_DEFAULT_HOME = (_CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd()) / "var"
AKSI_HOME = Path(env_str("AKSI_HOME", str(_DEFAULT_HOME))).resolve()

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_secret("SECRET_KEY", "insecure-development-key-change-me" if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = "Aksi"
# The public address, for links in e-mails (invitations, reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The demo banner is on whenever demo data may be present; production turns it off.
AKSI_DEMO = env_bool("AKSI_DEMO", DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",
    "aksi.core",
    "aksi.regions",
    "aksi.accounts",
    "aksi.catalogue",
    "aksi.reporting",
    "aksi.analytics",
    "aksi.review",
    "aksi.documents",
    "aksi.assessment",
    "aksi.guide",
    "aksi.prevalence",
    "aksi.public",
    "aksi.api",
    "aksi.synth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compress about tenfold (an entry grid: ~300 KB of repetitive cells): what a slow
    # kecamatan connection needs. Django's gzip adds the BREACH mitigation (random padding),
    # and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aksi.core.middleware_db.ReplicaPinningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aksi.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "aksi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "aksi.accounts.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aksi.urls"
WSGI_APPLICATION = "aksi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aksi.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL"),
        default_sqlite=AKSI_HOME / "aksi.sqlite3",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
# A streaming replica for the reads of dashboards, maps, public pages and API GETs
# (docs/scale-out.md). Unset: one database, no router.
AKSI_READ_REPLICA = "replica" if env_str("DATABASE_REPLICA_URL") else ""
if AKSI_READ_REPLICA:
    DATABASES[AKSI_READ_REPLICA] = database_config(
        env_str("DATABASE_REPLICA_URL"),
        default_sqlite=AKSI_HOME / "aksi.sqlite3",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
    # Tests use the primary's test database, which the replica receives by streaming.
    DATABASES[AKSI_READ_REPLICA]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["aksi.core.db_routers.ReplicaRouter"]
# Seconds a browser keeps reading the primary after it changed data.
AKSI_REPLICA_PIN_SECONDS = env_int("AKSI_REPLICA_PIN_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failures, by user name and, separately, by address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else None
AXES_VERBOSE = False

# An assignment made from an SK Penunjukan lapses when the SK expires (admins are warned first).
AKSI_DECREE_EXPIRY_ENDS_ASSIGNMENTS = env_bool("AKSI_DECREE_EXPIRY_ENDS_ASSIGNMENTS", True)
AKSI_DECREE_MAX_BYTES = env_int("AKSI_DECREE_MAX_BYTES", 5 * 1024 * 1024)
# Document registers (regulations, publications, minutes): the largest file one may upload.
AKSI_DOCUMENT_MAX_BYTES = env_int("AKSI_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)

# Time-based one-time passwords (authenticator app) for the roles that administer others.
AKSI_TWO_FACTOR_REQUIRED = env_bool("AKSI_TWO_FACTOR_REQUIRED", not DEBUG)
AKSI_TWO_FACTOR_ROLES = ["central_admin", "region_admin"]
OTP_TOTP_ISSUER = "Aksi"

# Outlier warnings on entry (assumption — keep configurable): robust z-score against the other
# desa of the kecamatan, and the change from last year in percentage points.
AKSI_OUTLIER_Z = float(env_str("AKSI_OUTLIER_Z", "3.5"))
AKSI_OUTLIER_MIN_SIBLINGS = env_int("AKSI_OUTLIER_MIN_SIBLINGS", 5)
AKSI_OUTLIER_CHANGE_POINTS = env_int("AKSI_OUTLIER_CHANGE_POINTS", 40)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # inactivity expiry: the clock restarts on each request

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = AKSI_HOME / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = AKSI_HOME / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "aksi@localhost")

# Security headers; production values are documented in docs/production.md.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)

# No inline script or style anywhere: everything comes from our own static files.
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
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# e-PPGBM prevalence: fewer children measured than this marks a desa "low N"; a share of the
# targeted children measured below this percentage is flagged as low measurement coverage.
AKSI_PREVALENCE_LOW_N = env_int("AKSI_PREVALENCE_LOW_N", 30)
AKSI_PREVALENCE_LOW_MEASUREMENT = env_int("AKSI_PREVALENCE_LOW_MEASUREMENT", 80)
# Penilaian kinerja: from this total score up, a kab/kota whose stunting prevalence did not fall
# is flagged "outcome mismatch" beside its score (DOMAIN §8.4; prevalence never enters the score).
AKSI_OUTCOME_MISMATCH_SCORE = env_int("AKSI_OUTCOME_MISMATCH_SCORE", 90)

# Data entry: a denominator further than this from the target-group count warns; which
# kecamatan enter their own data where a kab/kota has not chosen (all, pilot or district).
AKSI_DENOMINATOR_TOLERANCE_PERCENT = env_int("AKSI_DENOMINATOR_TOLERANCE_PERCENT", 10)
AKSI_SUBDISTRICT_ENTRY_DEFAULT = env_str("AKSI_SUBDISTRICT_ENTRY_DEFAULT", "all")

# The API: calls a minute per token (or per user for Basic and session calls), the largest
# body a data value set may have, and how many objects a list gives without paging.
AKSI_API_RATE = env_str("AKSI_API_RATE", "600/m")
AKSI_API_MAX_BYTES = env_int("AKSI_API_MAX_BYTES", 100 * 1024 * 1024)
AKSI_API_MAX_UNPAGED = 10000
NINJA_PAGINATION_MAX_LIMIT = 1000
# Webhooks call only public HTTPS addresses, unless this is a development installation.
AKSI_WEBHOOK_ALLOW_PRIVATE = env_bool("AKSI_WEBHOOK_ALLOW_PRIVATE", DEBUG)
