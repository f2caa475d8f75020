"""Settings shared by every environment, read from the environment with django-environ.

With no DATABASE_URL the portal uses a SQLite file under var/; with no CELERY_BROKER_URL (or
REDIS_URL) Celery runs tasks eagerly in the web process. Both embedded defaults exist only so
that `make run` works on a fresh machine; real deployments set both variables.
"""

import time
from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    # The change history (core/history.py): PostgreSQL triggers, none on SQLite.
    "pgtrigger",
    "pghistory",
    # The portal's apps, from the bottom layer up (docs/architecture.md): each imports only
    # the ones listed before it. `departments` keeps only the migrations of the app that held
    # organisations and applications before they moved.
    "core",
    "accounts",
    "notifications",
    "organisations",
    "catalogue",
    "contracts",
    "repricing",
    "applications",
    "rollout",
    "procurement",
    "framework",
    "audit",
    "opendata",
    "pages",
    "demo",
    "departments",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id (core/logging.py).
    "core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # core/headers.py: CSP, Permissions-Policy, and no-store on signed-in pages, the API and
    # downloads (after WhiteNoise, so /static/ keeps its own far-future caching).
    "core.headers.ContentSecurityPolicyMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "core.headers.PrivateResponsesMiddleware",
    "core.logging.RequestLogMiddleware",
    # Who made each change, for the change history (core/history.py); after authentication.
    "core.history.HistoryMiddleware",
]
# Each change is stamped with the moment its statement ran, not the start of its transaction,
# so the changes of one long transaction (a repricing) keep their order in the audit.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"

ROOT_URLCONF = "flexportal.urls"
WSGI_APPLICATION = "flexportal.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'flexportal.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that needs no round trip (core/postgresql).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    # The reads every request makes are prepared once they have run twice on a connection
    # (core/postgresql); off behind a pooler that cannot keep prepared statements (PgBouncer
    # before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        2 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.OrganisationModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: five failures for one username from one address locks it for 30 minutes,
# and so do twenty for one username from any addresses (password spraying); accounts/lockout.py.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
ACCOUNT_LOCKOUT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "accounts.lockout.AccountLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files (export jobs' files). Never served from MEDIA_URL: each is
# downloaded through a view that checks who asks. Web and worker processes must share it.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="flex-portal@cabinetoffice.gov.uk"
)

# GOV.UK Notify (notifications/): every email goes through the outbox and a Celery task, never
# inside a request. NOTIFY_BACKEND is `notify` (the API at NOTIFY_BASE_URL with NOTIFY_API_KEY)
# or `console` (printed; the default of `make run` without a key, and of the tests). Each
# template's id is NOTIFY_TEMPLATE_<KEY> (notifications.models.TemplateKey), e.g.
# NOTIFY_TEMPLATE_APPLICATION_RECEIVED.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_BACKEND = env.str("NOTIFY_BACKEND", default="notify")
NOTIFY_TIMEOUT = env.float("NOTIFY_TIMEOUT", default=10.0)
NOTIFY_TEMPLATES = {
    name.removeprefix("NOTIFY_TEMPLATE_").lower(): value
    for name, value in env.ENVIRON.items()
    if name.startswith("NOTIFY_TEMPLATE_")
}

# API tokens (django-rest-knox, accounts/authentication.py): stored as digests, expiring, one per
# sign-in, revoked by DELETE /api/v1/auth/token/ and by a password change or deactivation.
# The tokens live in accounts.ApiToken; knox's own table is never made (no migrations for it).
KNOX_TOKEN_MODEL = "accounts.ApiToken"
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=10.0)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Live tokens one user may hold (one per client signed in); signing in again past this revokes
# the oldest.
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)
# Reverse proxies in front of the app that set X-Forwarded-For: 0 trusts no forwarded header
# (the client is REMOTE_ADDR); behind exactly one proxy that overwrites it, set 1. Used by DRF's
# throttles and by the sign-in lockout alike.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a request without credentials a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    # Filters and pages given empty (`?status=`) are refused: core/api/filters.py.
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The API takes JSON only (docs/interface.md), read by core's parser, which bounds its size
    # and nesting; any other body is a 415, and the schema offers JSON alone.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    # Non-ASCII text is sent as \u escapes (\u00e9 for é): valid JSON for any string, even
    # one holding a lone surrogate that UTF-8 cannot encode.
    "UNICODE_JSON": False,
    "NUM_PROXIES": NUM_PROXIES,
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

SPECTACULAR_SETTINGS = {
    "TITLE": "Flex Portal API",
    "DESCRIPTION": "Catalogue, prices, quotes, sign-up applications, contracts and rollouts of the Flex framework.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status"; name each choice set so the schema is unambiguous.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applications.models.ApplicationStatus",
        "ChangeStatusEnum": "applications.models.ChangeStatus",
        "WaveStatusEnum": "rollout.models.WaveStatus",
        "ContractStatusEnum": "contracts.models.ContractStatus",
        "ContractKindEnum": "contracts.models.ContractKind",
        "OrganisationKindEnum": "organisations.models.OrganisationKind",
        "MembershipStatusEnum": "organisations.models.MembershipStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_error_responses",
    ],
}

# Celery: Redis in every real deployment; eager in the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# visibility_timeout must stay above the longest task (a full repricing takes seconds); the
# socket timeouts make a publish to an unreachable broker fail in seconds, not hang a request.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing happens after an approval has committed: give up within about a second (the
# durable RepricingRequest and the sweeper cover a failed publish) rather than hold the page.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Repricing runs at least this many seconds apart, so a burst of approvals coalesces into a
# few runs (repricing/services.py explains the bound).
CELERY_REPRICING_COALESCE_SECONDS = env.float("REPRICING_COALESCE_SECONDS", default=2.0)
CELERY_TIMEZONE = TIME_ZONE
# The worker's own log lines, with the id of the request that published each task
# (core/logging.py adds the filter to the worker's handlers).
CELERY_WORKER_LOG_FORMAT = (
    "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s] %(message)s"
)
CELERY_WORKER_TASK_LOG_FORMAT = (
    "[%(asctime)s: %(levelname)s/%(processName)s] [%(request_id)s]"
    " %(task_name)s[%(task_id)s]: %(message)s"
)
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-repricing": {
        "task": "repricing.tasks.sweep_pending_repricing",
        "schedule": env.float("REPRICING_SWEEP_SECONDS", default=60.0),
    },
    # Ends contracts whose term or notice ran out (applications/lifecycle.py). A day's work, run
    # every hour: ending is idempotent and dated by the contract, so a missed tick (beat or
    # broker down) only delays it by an hour.
    "end-due-contracts": {
        "task": "applications.tasks.end_due_contracts",
        "schedule": env.float("CONTRACT_EXPIRY_SECONDS", default=3600.0),
    },
    # Sends notifications whose task was lost or whose Notify call failed
    # (notifications/services.py); each is sent once however often this runs.
    "send-due-notifications": {
        "task": "notifications.tasks.send_due_notifications",
        "schedule": env.float("NOTIFICATIONS_SWEEP_SECONDS", default=60.0),
    },
    # Tells CIOs of contracts ending within six months, once a contract (contracts/notices.py).
    "notify-contracts-ending": {
        "task": "contracts.tasks.notify_contracts_ending",
        "schedule": env.float("CONTRACT_ENDING_NOTICE_SECONDS", default=6 * 3600.0),
    },
    # Folds the running tally of contracts (contracts/tally.py) into a row per status and kind,
    # and the download log's running count into one row.
    "compact-contract-tally": {
        "task": "contracts.tasks.compact_contract_tally",
        "schedule": env.float("CONTRACT_TALLY_COMPACT_SECONDS", default=3600.0),
    },
    # Resends export jobs whose message was lost and deletes expired export files
    # (procurement/services.py).
    "sweep-export-jobs": {
        "task": "procurement.tasks.sweep_export_jobs",
        "schedule": env.float("EXPORT_SWEEP_SECONDS", default=300.0),
    },
    # Deletes expired sessions (accounts/services.py), once a day.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": env.float("SESSION_CLEAR_SECONDS", default=24 * 3600.0),
    },
    # Makes the open-data contract-lines CSV again (opendata/services.py), once a day.
    "publish-open-data": {
        "task": "opendata.tasks.publish_contract_lines",
        "schedule": env.float("OPEN_DATA_PUBLISH_SECONDS", default=24 * 3600.0),
    },
}

# Contract lists of more than this many contracts are made by a Celery worker, with progress
# on a page, rather than inside the web request (procurement/services.py).
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)
# A finished export file is kept this long, then deleted by the sweep.
EXPORT_FILE_TTL_HOURS = env.int("EXPORT_FILE_TTL_HOURS", default=24)
# A job still queued this long after it was asked for has its task sent again.
EXPORT_REQUEUE_SECONDS = env.int("EXPORT_REQUEUE_SECONDS", default=120)

# Open contracting data (opendata/): each contract's OCDS ocid is this prefix and its reference.
# The prefix is the publisher's, registered with the Open Contracting Partnership
# ("ocds-" and six characters); the default marks data not yet registered.
OCDS_OCID_PREFIX = env.str("OCDS_OCID_PREFIX", default="ocds-xxxxxx-flex-")
OCDS_PUBLISHER_NAME = env.str("OCDS_PUBLISHER_NAME", default="Cabinet Office")
OCDS_SUPPLIER_NAME = env.str("OCDS_SUPPLIER_NAME", default="Flex managed desktop service")
# Releases a page of the package holds, and how often one address may ask without signing in.
OCDS_PAGE_SIZE = env.int("OCDS_PAGE_SIZE", default=500)
# Over this many published contracts, the contract-lines CSV is the file a worker makes every
# night rather than made in the visitor's request (opendata/services.py).
OPEN_DATA_CSV_IMMEDIATE_MAX = env.int("OPEN_DATA_CSV_IMMEDIATE_MAX", default=5000)
OCDS_ANON_RATE = env.str("OCDS_ANON_RATE", default="60/min")


# Cached catalogue responses (catalogue/caching.py): in Redis when CACHE_URL names one (a
# database of its own, not the broker's: a cache may be emptied), else each process's own
# memory, which stays correct as entries are keyed on a version kept in the database. The
# timeout is only a safety net; writes invalidate at once.
CACHE_URL = env.str("CACHE_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_PREFIX": "flexportal",
        "TIMEOUT": env.int("CACHE_TIMEOUT", default=300),
    }
}
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES["default"].update(
        BACKEND="django.core.cache.backends.redis.RedisCache",
        LOCATION=CACHE_URL,
        # A Redis that stops answering slows a page by at most this, never hangs it.
        OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1},
    )
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}")

# DRF's throttles (core/throttling.py) count where every web worker sees the same count: the
# cache's Redis when CACHE_URL is set, else the broker's Redis (keys prefixed, each expiring
# with its window; nothing clears this alias, which would empty the queue), else this process's
# memory (the embedded default, one process).
_REDIS_URLS = ("redis://", "rediss://")
THROTTLE_CACHE_URL = CACHE_URL or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(_REDIS_URLS) else ""
)
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "throttle",
    "KEY_PREFIX": "flexportal-throttle",
}
if THROTTLE_CACHE_URL:
    CACHES["throttle"].update(
        BACKEND="django.core.cache.backends.redis.RedisCache",
        LOCATION=THROTTLE_CACHE_URL,
        OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1},
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    # Every line carries the id of its request or Celery task (core/logging.py).
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Our request log replaces Django's own per-request lines.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Errors to Sentry only when SENTRY_DSN is set; without it the SDK is never initialised. No
# personal data is sent (no cookies, users or request bodies).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

# Whole pages kept per user until anything they show changes (core/pagecache.py; PostgreSQL
# only). The release keys them, so a deploy never serves a page made by older templates.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
PAGE_CACHE_TTL = env.int("PAGE_CACHE_TTL", default=600)
PAGE_CACHE_RELEASE = env.str("SENTRY_RELEASE", default="") or str(int(time.time()))
# Django's database sessions in the portal's table (accounts.Session), read with the signed-in
# user in one plain SQL statement on each request (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4, core/headers.py): scripts, styles, fonts and images
# from the portal's own origin only; an inline script needs the request's nonce
# (`nonce="{{ request.csp_nonce }}"`), and no page has inline styles or style attributes.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF, csp_constants.NONCE],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_NONE],
        "form-action": [_SELF],
        "frame-ancestors": [_NONE],
    },
}
# Swagger UI and Redoc (drf-spectacular's templates) start their viewers from inline scripts
# and styles, and Redoc from a blob: worker: those pages only, nothing of the portal's own.
_API_DOCS_POLICY = {
    "script-src": [_SELF, "'unsafe-inline'"],
    "style-src": [_SELF, "'unsafe-inline'"],
    "worker-src": [_SELF, "blob:"],
}
CSP_RELAXED_PATHS = {"/api/docs/": _API_DOCS_POLICY, "/api/redoc/": _API_DOCS_POLICY}
# Permissions-Policy (core/headers.py): features no page of the portal uses, off for all.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}
