"""HOM settings: one module, production differing from development only by environment.

Every value an operator may change is read from the environment (django-environ).
Without any environment, the app runs on a SQLite file under ``var/`` with eager
Celery tasks and a local-memory cache, which is what ``make run`` uses.
"""
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from hom.celery import ALL_QUEUES, DEFAULT_QUEUE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# No default in production: a server must never run with a known key. The settings still load
# without one, so that `makemigrations --check` and `check` work on a fresh checkout; what serves
# or works (gunicorn, the ASGI app, a Celery worker) refuses to start (hom/startup.py), and
# `check --deploy` reports the missing key.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-never-used-in-production" if DEBUG else "")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The office's name, as on its site: in the bar (the short one on a phone), every page title and
# the emails' sender. A proper name: the same in French and English.
SITE_NAME = env.str("SITE_NAME", default="HOM — Bureau d'appui aux migrants")
SITE_SHORT_NAME = env.str("SITE_SHORT_NAME", default="HOM")
# The port `make run` serves on.
PORT = env.int("PORT", default=8000)
# The public address of the site (no trailing slash): every absolute link in an email, a notice
# or an export starts with it (hom/links.py). `check --deploy` warns when it is missing.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{PORT}" if DEBUG else "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "axes",
    "django_ratelimit",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_countries",
    "phonenumber_field",
    "simple_history",
    "django_celery_beat",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # HOM, in dependency order: core first, then the apps that build on it
    "hom.accounts",
    "hom.territories",
    "hom.submissions",
    "hom.outbox",
    "migrants",
    "projects",
    "partnerships",
    "hom.reports",
    "hom.notifications",
    "hom.messaging",
    "hom.api",
    "hom.pwa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Saves an unchanged session again at most once a minute (instead of SESSION_SAVE_EVERY_REQUEST).
    "hom.accounts.sessions.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After django-otp's: staff without a verified second factor reach only the second-factor pages.
    "hom.accounts.mfa.SecondFactorMiddleware",
    "hom.http.PrivateCacheMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hom.urls"
WSGI_APPLICATION = "hom.wsgi.application"

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
                "hom.accounts.context_processors.navigation",
                "hom.context_processors.site",
            ],
            "builtins": ["hom.formatting"],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hom.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for the reports and exports (hom/replica.py, docs/deployment.md): a PostgreSQL
# streaming replica's URL, or "primary" for a second connection to the primary itself (one machine
# trying the routing out; the test suite). Writes always go to the primary.
REPLICA_DATABASE_URL = env.str("REPLICA_DATABASE_URL", default="")
if REPLICA_DATABASE_URL:
    _replica = dict(DATABASES["default"]) if REPLICA_DATABASE_URL == "primary" else {
        **env.db_url_config(REPLICA_DATABASE_URL),
        "ATOMIC_REQUESTS": False, "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"], "CONN_HEALTH_CHECKS": True,
    }
    # Tests read the primary's test database through it (a replica has no test database of its own).
    DATABASES["replica"] = {**_replica, "TEST": {"MIRROR": "default"}}
# Whether the reports' reads go to the replica at all (the suite turns it on in the routing's own tests,
# whose data is committed: the other tests' data, in a transaction, is seen by the primary's connection only).
REPLICA_READS = env.bool("REPLICA_READS", default=True)
DATABASE_ROUTERS = ["hom.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# --- Cache and Celery -----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A Redis that is down degrades the cache to "always empty" (hom/cache.py): reports are then
    # computed each time, an import's progress is not shown, but no page fails.
    CACHES = {
        "default": {
            "BACKEND": "hom.cache.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT", default=1.0),
                "socket_timeout": env.float("REDIS_CACHE_TIMEOUT", default=1.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker, tasks run in the caller's process: `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Africa/Dakar"
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies is given back to the broker (every HOM task is safe to run twice).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Publishing from a request or the outbox (hom/outbox) gives up fast when the broker is down:
# the work stays in the outbox and the beat task publishes it later.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# The result store (Redis as well) gives up after two quick retries instead of twenty seconds.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queues (hom/celery.py, docs/deployment.md "Workers per queue"). A route to a queue not declared
# here fails at publishing instead of filling a queue no worker reads; hom/tests/test_queues.py
# fails when a HOM task has no route of its own.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in ALL_QUEUES]
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_CREATE_MISSING_QUEUES = False
_QUEUE_OF_TASKS = {
    # Housekeeping, quick: publishing what a broker outage left behind, deleting expired rows.
    "default": [
        "hom.outbox.tasks.outbox_drain",
        "hom.submissions.tasks.purge_submissions",
        "migrants.tasks.purge_pending_sign_ups",
        "migrants.tasks.access_log_purge",
        # Deleting again the files of erased documents that the storage refused at the erasure.
        "projects.tasks.documents_delete",
    ],
    # Emails a person waits for: the daily digests, reminders, notices of a decision or a booking.
    "digests": [
        "hom.notifications.tasks.send_daily_digests",
        "hom.notifications.tasks.send_digest",
        "hom.notifications.tasks.requeue_stale_digests",
        "migrants.tasks.appointment_booked_notify",
        "migrants.tasks.appointment_cancelled_notify",
        "migrants.tasks.appointment_reminders_send",
        "partnerships.tasks.introduction_notify",
        "partnerships.tasks.event_registration_notify",
        "partnerships.tasks.event_reminders_send",
        "projects.tasks.dossier_notify_promoter",
        "projects.tasks.funding_decision_notify",
    ],
    # SMS and WhatsApp: each message, the due ones, the campaigns' fan-out into messages. (Delivery
    # receipts are written by the gateways' webhooks in the request, with no task.)
    "sms": [
        "hom.messaging.tasks.message_send",
        "hom.messaging.tasks.messages_send_due",
        "migrants.tasks.send_campaign",
        "migrants.tasks.send_due_campaigns",
    ],
    # Spreadsheet imports (minutes for a large file) and their requeue.
    "imports": [
        "migrants.tasks.run_migrant_import",
        "migrants.tasks.requeue_stale_imports",
    ],
    # Long recomputations over whole tables: the summaries' rebuild, every open dossier's readiness,
    # the nightly retention erasure (person by person).
    "reports": [
        "hom.reports.tasks.rebuild_visit_summaries",
        "projects.tasks.readiness_refresh_open_dossiers",
        "migrants.tasks.retention_erase",
    ],
}
CELERY_TASK_ROUTES = {task: {"queue": queue} for queue, tasks in _QUEUE_OF_TASKS.items() for task in tasks}

# --- Accounts and security ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading an email address or a phone number (docs/accounts.md).
    "hom.accounts.backends.LoginNameBackend",
    "hom.accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes: lock the account (not the whole office's shared IP) after 5 failures;
# the lock lifts by itself after the cool-off.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Every case and spacing variant of an address is one account, so one counter (hom/http.py).
AXES_USERNAME_CALLABLE = "hom.http.axes_username"
# axes.W006 wants the IP address among the lockout parameters. We lock by account on
# purpose: an office's advisors and the migrants at its desk share one NATed address, and
# locking it would shut the whole office out after five typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# django-ratelimit: sign-up and password reset per client address and per email address;
# confirmation links lock an address after repeated bad links (hom/http.py). The counters
# live in the default cache: Redis when REDIS_URL is set (shared by every worker; Django's
# own RedisCache increments atomically, which the library does not list, hence W001), local
# memory otherwise (one process: `make run` and the tests, hence E003 silenced there only).
RATELIMIT_VIEW = "hom.http.rate_limited"
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])
# models.W040: the reports' summaries have covering indexes (an office's months read from the index
# alone, issue 23); PostgreSQL, production's database, keeps their included columns, SQLite (the
# development default) builds the same indexes without them.
SILENCED_SYSTEM_CHECKS += ["models.W040"]

# Second factor (django-otp, docs/accounts.md): staff who signed in with a password must
# enrol (TOTP and recovery codes) and give a code before any other page. On by default in
# production; `make run` (DEBUG=1) and the tests (pytest.ini) leave it off.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="HOM")
# Passkeys (django-otp-webauthn): a second factor only, never a sign-in without the password.
# The relying party id is the site's host name (no scheme, no port): a passkey made for it works
# on it and its subdomains only. The origins are the exact addresses the browser shows
# (scheme, host, port). Browsers allow WebAuthn on https:// and on http://localhost only.
WEBAUTHN_RP_ID = env.str(
    "WEBAUTHN_RP_ID", default=ALLOWED_HOSTS[0].lstrip(".") if ALLOWED_HOSTS and not DEBUG else "localhost"
)
OTP_WEBAUTHN_RP_ID = WEBAUTHN_RP_ID
OTP_WEBAUTHN_RP_NAME = env.str("WEBAUTHN_RP_NAME", default="HOM")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS",
    default=["http://localhost:8000"] if WEBAUTHN_RP_ID == "localhost" else [f"https://{WEBAUTHN_RP_ID}"],
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# A staff invitation (and a password-reset link) is valid this long.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 60 * 60)

# Sessions expire after two hours without activity; staff sessions after STAFF_SESSION_IDLE_SECONDS.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=60 * 60)
# Sessions live in the cache and the database (hom/accounts/sessions.py): read from the cache, not
# written on every request but again at most every SESSION_TOUCH_SECONDS, so the idle times above
# slide to the minute.
SESSION_ENGINE = "hom.accounts.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health probe speaks plain HTTP to the app: /healthz answers it there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy (nginx, a PaaS router) the scheme comes from this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script or style anywhere: every script is a vendored or project file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- REST API (hom/api, docs/api.md) ---------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hom.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hom.api.permissions.HasRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "hom.api.pagination.HomCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["hom.api.throttling.TokenRateThrottle", "hom.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_TOKEN", default="1200/hour"),
        "anon": env.str("API_RATE_ANONYMOUS", default="120/hour"),
    },
    "EXCEPTION_HANDLER": "hom.api.problems.problem_exception_handler",
    "PAGE_SIZE": 25,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HOM API",
    "DESCRIPTION": "The Help Office for Migrants' REST API. Scoping, tokens and the versioning promise: docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI and Redoc from our own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema is generated and validated by the tests (hom/api/tests/test_schema.py); its cosmetic
    # warnings (enum names, filter types) must not fail `check --deploy`.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Africa/Dakar")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["hom.formats"]
PHONENUMBER_DEFAULT_REGION = "SN"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"
COUNTRIES_FIRST = ["SN", "FR", "ES", "IT", "GM", "BR", "MR", "GN", "ML", "US"]

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside the static files and are only served through views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Documents on S3-compatible object storage (hom/storage.py, docs/deployment.md) when a bucket is named:
# every web node and worker then reads the same documents. The keys (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY) are read by boto3 from the environment, never from here.
S3_BUCKET = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if S3_BUCKET:
    _encryption = env.str("AWS_S3_SERVER_SIDE_ENCRYPTION", default="AES256")
    STORAGES["default"] = {
        "BACKEND": "hom.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # Empty: Amazon S3 itself; otherwise the provider's or MinIO's address.
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # "path" for servers that do not answer at <bucket>.<host> (MinIO without DNS).
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # Every name starts with it: one bucket may hold several deployments.
            "location": env.str("AWS_LOCATION", default="hom").strip("/"),
            # "" turns server-side encryption off, for a server that refuses the header.
            "object_parameters": {"ServerSideEncryption": _encryption} if _encryption else {},
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# The largest spreadsheet an import accepts, checked before a byte of it is parsed.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)

# --- Email ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# An SMTP server that accepts the connection and never answers must not hold a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The first retry of a digest whose email failed waits about this long, doubling up to an hour.
# Personal data (issue 15): how long the log of who read whom is kept.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=365)
# Retention: a person with no contact (registration, visit, login) for this many days and no open
# dossier is erased by the nightly task migrants.tasks.retention_erase; 0 switches the rule off.
RETENTION_NO_CONTACT_DAYS = env.int("RETENTION_NO_CONTACT_DAYS", default=5 * 365)
DIGEST_RETRY_BACKOFF = env.int("DIGEST_RETRY_BACKOFF_SECONDS", default=60)
# --- SMS and WhatsApp (hom/messaging, docs/messaging.md) ---------------------------------
# Backends by URL like EMAIL_URL: console:// (prints), file:///folder, json+https://TOKEN@host/path,
# orange://CLIENT_ID:CLIENT_SECRET@api.orange.com/?sender=tel:+221..., twilio://SID:TOKEN@api.twilio.com/?from=+221...
SMS_URL = env.str("SMS_URL", default="console://")
# whatsapp://TOKEN@graph.facebook.com/PHONE_NUMBER_ID (empty: WhatsApp is not offered).
WHATSAPP_URL = env.str("WHATSAPP_URL", default="")
# Notice kind -> the template approved by Meta for it, e.g. WHATSAPP_TEMPLATES=dossier_moved=hom_dossier,code=hom_code
WHATSAPP_TEMPLATES = env.dict("WHATSAPP_TEMPLATES", default={})
# At most this many messages a day to one number on one channel (campaigns included).
SMS_DAILY_CAP = env.int("SMS_DAILY_CAP", default=5)
# Nothing is sent from the first hour until the second (Africa/Dakar): "21-8".
SMS_QUIET_HOURS = env.str("SMS_QUIET_HOURS", default="21-8")
# The secret gateways give back in the webhooks' URL (?token=) or header (empty: webhooks refused).
MESSAGING_WEBHOOK_TOKEN = env.str("MESSAGING_WEBHOOK_TOKEN", default="")
MESSAGING_TIMEOUT = env.float("MESSAGING_TIMEOUT", default=10.0)
MESSAGING_MAX_ATTEMPTS = env.int("MESSAGING_MAX_ATTEMPTS", default=5)
MESSAGING_RETRY_BACKOFF = env.int("MESSAGING_RETRY_BACKOFF_SECONDS", default=60)
SMS_COST_FCFA_PER_SEGMENT = env.int("SMS_COST_FCFA_PER_SEGMENT", default=25)
WHATSAPP_COST_FCFA_PER_MESSAGE = env.int("WHATSAPP_COST_FCFA_PER_MESSAGE", default=40)

DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <no-reply@hom.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: to stdout, where gunicorn and the process manager collect it ------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_forbidden": {"()": "hom.logs.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # A 403 is one line ("Forbidden (Permission denied): /path"), not a traceback (hom/logs.py).
    "loggers": {"axes": {"level": "WARNING"}, "django.request": {"filters": ["one_line_forbidden"]}},
}
