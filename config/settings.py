"""Settings from the environment, with safe defaults.

Every value a deployment changes is read from an environment variable; see docs/deployment.md.
DEBUG is off unless DJANGO_DEBUG=1 (as `make run` sets it).
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KC_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# The project's apps come first: where one of their strings is also in Django's own apps ("Save", "now", "active"),
# the first app's translation is the one shown, and it must be ours (core/tests/test_translations.py).
INSTALLED_APPS = [
    "khuyencong.core",
    "khuyencong.geo",
    "khuyencong.accounts",
    "khuyencong.rules",
    "khuyencong.registry",
    "khuyencong.projects",
    "khuyencong.network",
    "khuyencong.events",
    "khuyencong.clusters",
    "khuyencong.awards",
    "khuyencong.consulting",
    "khuyencong.settlement",
    "khuyencong.extraction",
    "khuyencong.news",
    "khuyencong.reporting",
    "khuyencong.web",
    "khuyencong.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.web.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khuyencong.accounts.middleware.SessionIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "khuyencong.accounts.otp.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Audit: the request being served, so that the audit events recorded by signals (a password saved, a second
# factor added) name who acted and from which address (khuyencong/core/audit.py). Its place in the list is free.
MIDDLEWARE += ["khuyencong.core.audit.AuditContextMiddleware"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "khuyencong.web.context_processors.navigation",
            ],
            "builtins": ["khuyencong.core.templatetags.kc"],
        },
    }
]

# Database: the embedded SQLite file under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'khuyencong.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A PostgreSQL streaming replica (DATABASE_REPLICA_URL): report and dashboard reads go to it, a user who has just
# written reads the primary for KC_READ_YOUR_WRITES_SECONDS (khuyencong/core/db_routing.py). KC_REPLICA_VIEWS names
# the views (URL names) whose GET requests read it; a view may also be decorated with db_routing.replica_reads.
if replica := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["khuyencong.core.db_routing.ReplicaRouter"]
MIDDLEWARE += ["khuyencong.core.db_routing.ReplicaReadsMiddleware"]  # after AuthenticationMiddleware
KC_REPLICA_VIEWS = env_list(
    "KC_REPLICA_VIEWS",
    "reporting_dashboard,reporting_dashboard_export,reporting_indicators,reporting_indicators_export,"
    "reporting_compare,reporting_compare_export,report_completeness",
)
KC_READ_YOUR_WRITES_SECONDS = int(os.environ.get("KC_READ_YOUR_WRITES_SECONDS", "10"))
KC_PRIMARY_COOKIE = "kc_primary_until"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# --- Sign-in: throttling, second factor, password policy, sessions (khuyencong/accounts/throttling.py, otp.py)
# The throttle (django-axes) checks every sign-in that comes with a request, before the password is tried; a locked
# client gets the Vietnamese page of accounts/templates/accounts/locked_out.html (HTTP 429).
AUTHENTICATION_BACKENDS = [
    "khuyencong.accounts.throttling.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last: it turns a refused sign-in into the lockout page
# Counted per account (any address) and per address (any account), each on its own: a guesser spreading over many
# addresses still locks the account, one trying many accounts still locks the address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("KC_LOGIN_FAILURE_LIMIT", "10"))
# The wait after the limit: KC_LOGIN_COOLOFF_MINUTES, doubled for every further limit's worth of failures of the
# account or the address in the last 24 hours, at most KC_LOGIN_COOLOFF_MAX_HOURS (throttling.login_cool_off).
AXES_COOLOFF_TIME = "khuyencong.accounts.throttling.login_cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each counter ends at its own cool-off, not at the next visitor's
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the memory of past failures the growing wait reads
AXES_LOCKOUT_CALLABLE = "khuyencong.accounts.throttling.lockout_response"
KC_LOGIN_COOLOFF_MINUTES = int(os.environ.get("KC_LOGIN_COOLOFF_MINUTES", "15"))
KC_LOGIN_COOLOFF_MAX_HOURS = int(os.environ.get("KC_LOGIN_COOLOFF_MAX_HOURS", "24"))
# Behind a proxy every request comes from the proxy's address: the client's is the one the nearest proxy appends to
# X-Forwarded-For (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). KC_PROXY_COUNT says how
# many proxies stand in front (1 when DJANGO_BEHIND_PROXY=1); entries left of theirs are the client's own claims.
KC_PROXY_COUNT = int(os.environ.get("KC_PROXY_COUNT", "1" if env_bool("DJANGO_BEHIND_PROXY") else "0"))
AXES_CLIENT_IP_CALLABLE = "khuyencong.accounts.throttling.client_ip"

# Second factor (django-otp, TOTP with recovery codes): the roles that must use it (comma-separated Role values);
# the administration site asks everyone for it.
KC_2FA_REQUIRED_ROLES = env_list(
    "KC_2FA_REQUIRED_ROLES", "system_admin,ministry_officer,doit_manager,finance_officer"
)
# The administration site asks every staff user for the second factor (off only in the test settings).
KC_2FA_ADMIN_SITE = True
OTP_TOTP_ISSUER = os.environ.get("KC_2FA_ISSUER", "Khuyến công")

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = int(os.environ.get("KC_PASSWORD_RESET_TIMEOUT", str(3 * 3600)))
# A session ends after this many seconds without a request (8 hours: a working day). Requests move the end again,
# writing the session at most once per KC_SESSION_REFRESH_SECONDS rather than on every request
# (accounts/middleware.py SessionIdleMiddleware, in place of SESSION_SAVE_EVERY_REQUEST).
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_COOKIE_AGE", str(8 * 3600)))
KC_SESSION_REFRESH_SECONDS = int(os.environ.get("KC_SESSION_REFRESH_SECONDS", "60"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first: the interface, dates dd/mm/yyyy, Vietnam's time zone.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/echarts-i18n", NODE_MODULES / "echarts" / "i18n"),
    ("vendor/flatpickr", NODE_MODULES / "flatpickr" / "dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),  # the API docs page (khuyencong/web/api_docs.py)
]
# Map tiles: a URL template (e.g. an internal tile server). Empty: maps draw points on a plain background, offline.
KC_MAP_TILE_URL = os.environ.get("KC_MAP_TILE_URL", "")
KC_MAP_TILE_ATTRIBUTION = os.environ.get("KC_MAP_TILE_ATTRIBUTION", "")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": os.environ.get("KC_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("KC_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or env_bool("KC_PLAIN_STATIC")

# Caches. "default" is each process's own memory: only for what may differ between processes. "shared" is a table
# in the database that every server process and machine sees (the public application page's rate limit); the table
# is created by `migrate` (khuyencong/network/migrations) and by the test runner.
CACHES = {
    # per process: small reads kept briefly, and the reporting aggregates of a state of the database
    # (reporting/aggregate_cache)
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5_000}},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kc_shared_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
# REDIS_URL (several app servers: production, scripts/deploy_local): "shared" is Redis through Django's own backend,
# and the sessions are kept in it in front of the database ("cached_db": read from Redis, written to both; a logout
# deletes both at once, and a password change is checked against the user read on each request). Without it
# (SQLite installations, one server) the sessions stay in the database: a process's own memory cannot hold them,
# since a logout served by one worker must end the session in the others.
if redis_url := os.environ.get("REDIS_URL"):
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "shared"

# Background jobs: Django's tasks framework on the database (manage.py db_worker on each worker machine).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("KC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# E-mail (the daily reminder digest): Django's MAILERS. The console backend prints the messages (development, or a
# deployment without a mail server); set DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the
# host settings to send them. KC_SITE_URL is the address the messages link to.
_EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
            "timeout": 30,
        } if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Khuyen cong <khuyencong@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
KC_SITE_URL = os.environ.get("KC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Transport and browser security (docs/deployment.md, "Production security settings")
# Everything that only makes sense behind HTTPS is off by default so that `make run` works over plain HTTP; the
# documented production environment turns it on and `manage.py check --deploy` then reports nothing.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a TLS proxy Django sees plain HTTP; the proxy's X-Forwarded-Proto says what the browser used. Only trust it
# when a proxy that sets (and overwrites) the header stands in front, or a client could claim HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT")
# HSTS: 0 (off) unless set; once a browser has seen it, the site cannot go back to HTTP for that many seconds.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
X_FRAME_OPTIONS = "DENY"


def _csp_sources(url: str) -> list[str]:
    """The origin of a URL template (a map tile server) as a CSP source; "{s}" subdomains become "*"."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}", "*")
    return [f"{parts.scheme}://{host}"] if "{" not in host else []


# Content-Security-Policy (Django's ContentSecurityPolicyMiddleware): scripts only from our own static files, no
# inline script or handler anywhere (web/tests/test_csp.py keeps templates that way). Styles allow 'unsafe-inline'
# for style attributes (server-computed progress widths, ECharts' tooltips, the printed documents' <style>): CSS
# cannot run code, and what a stylesheet could leak has nowhere to go, as images, fonts and connections are limited
# to our origin. DJANGO_CSP_REPORT_ONLY=1 sends the same policy as report-only (to try a change in production).
_CSP_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", *_csp_sources(os.environ.get("KC_MAP_TILE_URL", ""))],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if env_bool("DJANGO_CSP_REPORT_ONLY"):
    SECURE_CSP, SECURE_CSP_REPORT_ONLY = {}, _CSP_POLICY
else:
    SECURE_CSP, SECURE_CSP_REPORT_ONLY = _CSP_POLICY, {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Pages of every list (web and API) share these sizes.
KC_PAGE_SIZE = 25
KC_API_MAX_LIMIT = 200
NINJA_PAGINATION_PER_PAGE = KC_PAGE_SIZE

# --- API tokens (khuyencong/accounts/tokens.py)
# The longest lifetime a user may choose for a token, in days (30, 90, 180 or 365 are offered; 90 by default).
KC_API_TOKEN_MAX_DAYS = int(os.environ.get("KC_API_TOKEN_MAX_DAYS", "365"))
# Wrong bearer tokens per client address (KC_PROXY_COUNT says which address): after this many within the window
# (seconds), every bearer request from the address gets 429 until the window has passed.
KC_API_TOKEN_FAILURE_LIMIT = (
    int(os.environ.get("KC_API_TOKEN_FAILURES", "20")),
    int(os.environ.get("KC_API_TOKEN_FAILURE_WINDOW", "600")),
)

# --- Ledger date window (projects/ledger.py `ledger_window`): entries of a plan year's projects are dated from
# 1 January of (plan year − BEFORE) to 31 December of (plan year + AFTER). The sources fix no window: configuration.
KC_LEDGER_YEARS_BEFORE = int(os.environ.get("KC_LEDGER_YEARS_BEFORE", "1"))
KC_LEDGER_YEARS_AFTER = int(os.environ.get("KC_LEDGER_YEARS_AFTER", "1"))

# --- Backups (core/backup.py; `manage.py backup` writes its archives here unless given --output)
KC_BACKUP_DIR = Path(os.environ.get("KC_BACKUP_DIR", VAR_DIR / "backups"))

# --- Spreadsheet uploads and background jobs (core/uploads.py `check_spreadsheet`, core/jobs.py `reap_stale`)
# A spreadsheet is measured in the request before any job is queued: its size, every sheet's declared and real
# extent, the grid a reader would hold (about 32 bytes a cell), and what its zip unpacks to.
KC_SPREADSHEET_MAX_BYTES = int(os.environ.get("KC_SPREADSHEET_MAX_BYTES", str(20 * 1024 * 1024)))
KC_SPREADSHEET_MAX_ROWS = int(os.environ.get("KC_SPREADSHEET_MAX_ROWS", "100000"))
KC_SPREADSHEET_MAX_COLUMNS = int(os.environ.get("KC_SPREADSHEET_MAX_COLUMNS", "200"))
KC_SPREADSHEET_MAX_CELLS = int(os.environ.get("KC_SPREADSHEET_MAX_CELLS", "5000000"))
KC_SPREADSHEET_MAX_UNPACKED_BYTES = 250 * 1024 * 1024
KC_SPREADSHEET_MAX_RATIO = 200
# The bad rows an import's error file writes in full (a note counts the others).
KC_IMPORT_ERROR_FILE_ROWS = 5000
# A job left "checking", "importing" or "running" this long without progress is marked failed (its worker died).
KC_JOB_STALE_MINUTES = int(os.environ.get("KC_JOB_STALE_MINUTES", "30"))
