"""Sintas settings: one module, driven by the environment.

Every value that differs between a laptop demo and a production server is read from an
environment variable (or a ``*_FILE`` variable naming a file that holds it, for secrets).
SQLite under ``var/`` is the embedded default; ``DATABASE_URL`` selects PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
import stat
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SINTAS_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str | None:
    """A setting from NAME, or from the file named by NAME_FILE (for secrets)."""
    value = os.environ.get(name)
    if value is not None:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return default


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting. Anything but a known spelling refuses to start: a typo such as
    ``SINTAS_SECURE_COOKIES=ture`` must not quietly mean "off"."""
    value = env_str(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value: use 1/true/yes/on or 0/false/no/off.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    value = env_str(name, default) or ""
    return [item.strip() for item in value.replace("\n", ",").split(",") if item.strip()]


# Fail closed: only these values are understood. Anything else (a typo, "Production", an empty
# variable from an unset template value) refuses to start rather than quietly running as a
# development server with generated keys, DEBUG and insecure cookies.
SINTAS_ENVS = ("development", "production")
# "production" refuses to start without real secrets and Redis; "development" (the demo, the
# tests) generates its own keys under var/secrets so nothing has to be configured by hand.
SINTAS_ENV = (env_str("SINTAS_ENV", "development") or "").strip()
if SINTAS_ENV not in SINTAS_ENVS:
    raise ImproperlyConfigured(
        f"SINTAS_ENV={SINTAS_ENV!r} is not understood: use one of {', '.join(SINTAS_ENVS)}"
        " (unset means development)."
    )
PRODUCTION = SINTAS_ENV == "production"
DEBUG = env_bool("SINTAS_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("SINTAS_DEBUG cannot be on with SINTAS_ENV=production: debug pages show data.")

# Production needs Redis: the cache holds the API rate-limit counters and must be shared by every
# process (a per-process cache multiplies every limit by the number of workers), and Celery needs
# a broker (without one, tasks run inside the web request).
if PRODUCTION:
    _redis_url = env_str("REDIS_URL") or ""
    if not _redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            "SINTAS_ENV=production needs REDIS_URL (redis://, rediss:// or unix://): the shared cache for rate"
            " limits and the Celery broker (unless CELERY_BROKER_URL names another) live there."
        )


# --- var/: the embedded default's database, generated keys, reports ---------------------------
# Private to the account Sintas runs as: directories 0700, files 0600. The SQLite file holds
# every record and var/secrets the keys that open the identity vault.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700, or tighten it if an older checkout left it open."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777
    if mode != PRIVATE_DIR_MODE:
        _chmod(path, PRIVATE_DIR_MODE, mode)
    return path


def _chmod(path: Path, mode: int, was: int) -> None:
    try:
        path.chmod(mode)
    except PermissionError as exc:
        raise ImproperlyConfigured(
            f"{path} is mode {was:o} and this account cannot make it {mode:o}: give it to the account Sintas runs as."
        ) from exc


def private_file_create(path: Path, text: str) -> None:
    """Write a new file that is 0600 from its first byte, whole or not at all: written under a
    temporary name, then linked into place (FileExistsError if another process got there first)."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.link(draft, path)
    finally:
        draft.unlink()


def _var_tighten(root: Path) -> None:
    """Close what an older checkout (or a tool that ignores the umask) left readable under var/."""
    for directory, dirnames, filenames in os.walk(root):
        for name in dirnames:
            private_dir(Path(directory) / name)
        for name in filenames:
            path = Path(directory) / name
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                _chmod(path, PRIVATE_FILE_MODE, mode & 0o7777)


if VAR_DIR.exists() and VAR_DIR.stat().st_mode & 0o1000:
    # A sticky, shared directory such as /tmp: tightening it would lock everyone else out.
    raise ImproperlyConfigured(f"SINTAS_VAR_DIR={VAR_DIR} is a shared directory: give Sintas a directory of its own.")
# Whatever the process writes from here on is the account's own: periodic reports, the demo
# accounts file, SQLite's journal, benchmark output. (Nothing Sintas writes is for other users of
# the machine; static files are served by the application itself, through WhiteNoise.)
os.umask(0o077)
private_dir(VAR_DIR)
_var_tighten(VAR_DIR)


def _dev_secret(name: str, make: str) -> str:
    """Read or create a development secret in var/secrets (never used in production)."""
    path = private_dir(VAR_DIR / "secrets") / name
    if not path.exists():
        if make == "fernet":
            from cryptography.fernet import Fernet  # only when a development key must be made

            value = Fernet.generate_key().decode()
        else:
            value = secrets.token_urlsafe(48)
        try:
            private_file_create(path, value + "\n")
        except FileExistsError:
            pass  # another process made it first: use theirs
    return path.read_text(encoding="utf-8").strip()


def _secret(env_name: str, dev_file: str, make: str = "token") -> str:
    value = env_str(env_name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{env_name} (or {env_name}_FILE) must be set in production.")
    return _dev_secret(dev_file, make)


SECRET_KEY = _secret("SINTAS_SECRET_KEY", "secret_key")
# Identity-vault encryption keys (Fernet). Comma-separated; the first encrypts, all decrypt,
# so a key can be rotated: put the new key first, run `manage.py rotate_keys`, drop the old.
SINTAS_ENCRYPTION_KEYS = [
    k for k in _secret("SINTAS_ENCRYPTION_KEYS", "encryption_keys", make="fernet").split(",") if k
]
# Key for the keyed hash (HMAC-SHA256) that makes NIK findable by exact match.
SINTAS_HASH_KEY = _secret("SINTAS_HASH_KEY", "hash_key")
# Key for the hash chain of the access log and the change history (HMAC-SHA256, audit/chain.py).
# Kept outside the database, so whoever can write the tables cannot forge a link; never rotate it
# casually: `manage.py verify_trail` checks every existing link with this key.
SINTAS_TRAIL_KEY = _secret("SINTAS_TRAIL_KEY", "trail_key")

ALLOWED_HOSTS = env_list("SINTAS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("SINTAS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "django_countries",
    "core",
    "accounts",
    "audit",
    "survivors",
    "cases",
    "recovery",
    "plans",
    "care",
    "reintegration",
    "partners",
    "referrals",
    "transfers",
    "interop",
    "monitoring",
    "releases",
    "privacy",
    "livelihood",
    "legal",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before CommonMiddleware: its slash redirect would copy a NIK in the query string into Location.
    "survivors.middleware.IdentityNotInURLMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.OrganisationTimezoneMiddleware",
    # Jobs that must not change the answer (privacy: what a registration matched) run after the response.
    "privacy.after_response.AfterResponseMiddleware",
    # Break-the-glass: the access policy asks whether this request is a read-only one (privacy/emergency.py).
    "privacy.emergency.EmergencyRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last: it turns a lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sintas.urls"
WSGI_APPLICATION = "sintas.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
                "referrals.context_processors.referrals_nav",
                "monitoring.context_processors.monitoring_nav",
                "releases.context_processors.releases_nav",
                "privacy.context_processors.privacy_nav",
                "privacy.context_processors.emergency_banner",
                "livelihood.context_processors.livelihood_nav",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'sintas.sqlite3'}",
        conn_max_age=env_int("SINTAS_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    _sqlite_path = str(DATABASES["default"]["NAME"])
    if _sqlite_path and _sqlite_path != ":memory:" and not _sqlite_path.startswith("file:"):
        # Created here, empty and 0600, so SQLite never creates it world-readable (an empty file is
        # an empty database; SQLite gives its journal and WAL files the database file's mode).
        Path(_sqlite_path).parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        try:
            os.close(os.open(_sqlite_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
        except FileExistsError:
            pass
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Throttling of failed logins (django-axes): lock a username+address pair after N failures.
AXES_FAILURE_LIMIT = env_int("SINTAS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SINTAS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env_str("SINTAS_OTP_ISSUER", "Sintas")

# Idle sessions expire: activity renews the session (at most once a minute, see
# accounts.middleware.IdleTimeoutMiddleware), silence ends it.
SESSION_COOKIE_AGE = env_int("SINTAS_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SINTAS_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Security headers ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SINTAS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SINTAS_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SINTAS_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: everything from our own origin, no inline scripts, no other host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored in UTC; shown in the organisation's zone (WIB, WITA, WIT)

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = private_dir(VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Uploads ------------------------------------------------------------------------------
SINTAS_PHOTO_MAX_BYTES = env_int("SINTAS_PHOTO_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SINTAS_PHOTO_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = SINTAS_PHOTO_MAX_BYTES + 1024 * 1024

# --- Domain configuration -----------------------------------------------------------------
# NIK: also require the 6-digit prefix to be a current kecamatan (off by default: kecamatan
# splits mean older cards carry codes that no longer exist; the kabupaten/kota must exist).
SINTAS_NIK_STRICT_DISTRICT = env_bool("SINTAS_NIK_STRICT_DISTRICT", False)
SINTAS_CASELOAD_PAGE_SIZE = env_int("SINTAS_CASELOAD_PAGE_SIZE", 25)

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.HashedTokenAuthentication",
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsVerifiedUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("SINTAS_API_RATE", "600/minute")},
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_METADATA_CLASS": "api.metadata.SintasMetadata",
}
# API tokens stand in for a two-factor sign-in: each expires after at most this many days (its
# owner may choose fewer when creating it).
SINTAS_API_TOKEN_DAYS = env_int("SINTAS_API_TOKEN_DAYS", 90)
if SINTAS_API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("SINTAS_API_TOKEN_DAYS must be at least 1.")
SPECTACULAR_SETTINGS = {
    "TITLE": "Sintas API",
    "DESCRIPTION": "Survivors, cases and consent. Every endpoint applies the same access policy as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.exceptions.document_errors"],
}

# --- Background work (Celery) --------------------------------------------------------------
# With no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
# celery beat: legal time limits and referral response limits are checked every 15 minutes
# (alerts once per passed limit; unanswered referrals expire).
CELERY_BEAT_SCHEDULE = {
    "care-time-limits": {"task": "care.time_limits_escalate", "schedule": env_int("SINTAS_TIME_LIMIT_CHECK_SECONDS", 900)},
    "referrals-check": {"task": "referrals.check_referrals", "schedule": env_int("SINTAS_REFERRAL_CHECK_SECONDS", 900)},
    "legal-clocks": {"task": "legal.clocks_escalate", "schedule": env_int("SINTAS_LEGAL_CLOCK_CHECK_SECONDS", 900)},
    # the per-case figures the monitoring dashboards read: changed cases, and a nightly full rebuild
    "monitoring-facts": {"task": "monitoring.facts_refresh", "schedule": env_int("SINTAS_FACTS_REFRESH_SECONDS", 600)},
    "monitoring-facts-rebuild": {"task": "monitoring.facts_refresh", "kwargs": {"full": True},
                                 "schedule": env_int("SINTAS_FACTS_REBUILD_SECONDS", 86400)},
}

# --- Cache (throttling counters; shared across processes with Redis) -------------------------
if env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Email (only links, never personal data) ------------------------------------------------
EMAIL_BACKEND = env_str("SINTAS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("SINTAS_FROM_EMAIL", "sintas@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SINTAS_LOG_LEVEL", "WARNING")},
}

# --- The rooms' own settings -----------------------------------------------------------------
# Each room reads its settings through its conf.py, which holds the default. These may also be
# given as environment variables (documented in README.md and the rooms' pages under docs/).
_ROOM_SETTINGS_FROM_ENV: dict[str, str] = {
    "SINTAS_SITE_URL": "str",  # referrals: the address used in e-mail links
    "SINTAS_REFERRAL_RESPONSE_WORKING_DAYS": "int",
    "SINTAS_REFERRAL_UNANSWERED_EXPIRY_DAYS": "int",
    "SINTAS_PUBLIC_HOLIDAYS": "list",  # ISO dates that are not working days (core/workdays.py)
    "SINTAS_TRANSFER_SENDER_ACCESS": "str",  # "none" or "own_records"
    "SINTAS_HTCDS_IMPORT_MAX_BYTES": "int",
    "SINTAS_DISCLOSURE_K_INTERNAL": "int",
    "SINTAS_DISCLOSURE_K_PUBLIC": "int",
    "SINTAS_MONITORING_REPORTS_DIR": "str",
    "SINTAS_DP_TOTAL_EPSILON": "str",  # decimals, read as Decimal by releases/conf.py
    "SINTAS_DP_RELEASE_EPSILON": "str",
    "SINTAS_DP_MAX_RELEASE_EPSILON": "str",
    "SINTAS_SIMFONI_ROLES": "list",
    "SINTAS_STATISTICS_WITHOUT_CONSENT": "str",  # "aggregate_only" or "exclude" (survivors/lawful_use.py)
    # privacy: break-the-glass (privacy/conf.py, docs/privacy.md)
    "SINTAS_EMERGENCY_ACCESS_HOURS": "int",
    "SINTAS_EMERGENCY_REVIEW_WORKING_DAYS": "int",
    # legal (legal/conf.py, docs/legal.md): the [verify] time limits of restitution and LPSK
    "SINTAS_LEGAL_PAYMENT_DAYS": "int",
    "SINTAS_LEGAL_PAYMENT_DAYS_CHILD": "int",
    "SINTAS_LEGAL_WARNING_DAYS": "int",
    "SINTAS_LEGAL_CLAIM_WINDOW_DAYS": "int",
    "SINTAS_LEGAL_LPSK_DECISION_DAYS": "int",
    "SINTAS_LEGAL_COMPANION_WORKING_DAYS": "int",
    "SINTAS_LEGAL_EVIDENCE_MAX_BYTES": "int",
    "SINTAS_LEGAL_DUE_DAYS": "int",
    "SINTAS_LEGAL_MEDICAL_SERVICES": "list",  # service codes whose delivery costs prefill the loss ledger
}
for _name, _kind in _ROOM_SETTINGS_FROM_ENV.items():
    if env_str(_name) is not None:
        if _kind == "int":
            globals()[_name] = env_int(_name, 0)
        elif _kind == "list":
            globals()[_name] = env_list(_name)
        else:
            globals()[_name] = env_str(_name)
