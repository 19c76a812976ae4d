"""Settings for every environment, read from environment variables.

Production differs only by environment flags (DJANGO_ENV=production), never by a
separate code path. See README.md for the variables.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no fallback: refuse to start without one
    # …or with one that signs nothing safely (Django's security.W009 measure, made an error here).
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("django-insecure", "insecure-")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is insecure: use at least 50 random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
else:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")

# The key of the logs' hash chains (config.records), kept outside the database so that someone who can
# write to the database cannot re-seal an edited log. Required in production; elsewhere a development
# key derived from SECRET_KEY (not SECRET_KEY itself).
if PRODUCTION:
    LOG_CHAIN_KEY = env.str("LOG_CHAIN_KEY")
else:
    import hashlib

    LOG_CHAIN_KEY = env.str("LOG_CHAIN_KEY", default=hashlib.sha256(f"log-chain:{SECRET_KEY}".encode()).hexdigest())

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "eligibility",
    "applications",
    "publicity",
    "exits",
    "outreach",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into accounts.lockout's 429
]

if PRODUCTION:
    # Static files from collectstatic, compressed and cache-busted, without a separate server.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "eligibility.context_processors.calendar_warning",
                "eligibility.context_processors.policy_documents",
                "eligibility.context_processors.policy_expiry_warning",
                "accounts.context_processors.unread_notifications",
            ],
        },
    },
]

VAR_DIR.mkdir(exist_ok=True)  # the embedded defaults keep their SQLite file and broker folder here
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web threads and a Celery worker share one file: wait for locks instead of
    # failing at once, and take the write lock at BEGIN so select_for_update-style
    # critical sections serialise rather than deadlock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Tests race real threads: an in-memory shared-cache database fails at once where a file waits.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / env.str("TEST_DB_NAME", default="test.sqlite3"))}
else:
    if env.str("TEST_DB_NAME", default=""):  # parallel test runs on one server need their own databases
        DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DB_NAME")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # config.postgresql: only where the server may be gone
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "config.postgresql"
if REPLICA_URL := env.str("DATABASE_REPLICA_URL", default=""):
    # issue 13: the dashboard, the stats API and exports read a replica (config/replica.py); tests mirror default
    DATABASES["replica"] = {
        **env.db_url_config(REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down: served from process memory with a warning, never a 500 (config.cache).
            "BACKEND": "config.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # first: refuses a locked username before any password check
    "accounts.backends.IdNumberBackend",  # applicants sign in with their ID number
]
# Login brute force (issue 12, API.md "Audit"; accounts.lockout): 5 failures for one username within 15 minutes
# lock that username for 15 minutes on every login path, keyed by the username only, so neither a new
# address nor a forged X-Forwarded-For helps; the address axes logs comes from config.throttling.client_ip.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_USE_ATTEMPT_EXPIRATION = True  # failures older than the cool-off stop counting (a rolling window)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_key"
AXES_CLIENT_IP_CALLABLE = "config.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# axes.W006 asks for the address in the lockout key; API.md wants the username alone, so that rotating
# addresses (or a forged X-Forwarded-For) never gives an attacker a fresh budget.
# models.W040: the queue's covering indexes (INCLUDE, applications/models.py) are for PostgreSQL's
# index-only scans; SQLite, the embedded default, builds them without the extra columns, which is fine,
# and the warning would otherwise open every manage.py command (`make run`) on SQLite.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Chinese only: there is no English catalogue and a half-English page is worse than none, so no language
# switcher and no LocaleMiddleware (Accept-Language is ignored). Texts still go through gettext.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Before Django's own: the Chinese of messages whose ids Django 5.2 changed without updating zh_Hans
# (MinimumLengthValidator's "too short" came out in English).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")  # make load collects into a temporary folder
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded materials are personal data: kept outside any served folder, streamed only
# through the access gate.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then answers 401 with WWW-Authenticate, not 403.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("THROTTLE_AUTH", default="10/min"),
        "progress": env.str("THROTTLE_PROGRESS", default="10/min"),
        "register": env.str("THROTTLE_REGISTER", default="30/hour"),
        # 自助预审 re-evaluates as the person types (one request per pause): a higher budget
        "self_check": env.str("THROTTLE_SELF_CHECK", default="60/min"),
    },
    # How many reverse proxies of ours append to X-Forwarded-For. 0: the client is REMOTE_ADDR and the
    # header is ignored (DRF's default None would trust whatever a client writes there).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "就业困难人员认定 API",
    "DESCRIPTION": "Recognition of persons with employment difficulties (就业困难人员认定).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PATH_CONVERTER_OVERRIDES": {"id": int},  # config.converters
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.api.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "applications.models.State",
        "NoticeStateEnum": "publicity.models.NoticeState",
        "ObjectionStateEnum": "publicity.models.ObjectionState",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise a filesystem broker needing no server.
CELERY_BROKER_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if REDIS_URL
    else {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),  # kombu's default is ./control
        "store_processed": False,
    }
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# Excel exports (reports): above this many rows the file is built by Celery, with progress, not in the request.
EXPORT_ASYNC_ROWS = env.int("EXPORT_ASYNC_ROWS", default=5000)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

# Text messages (accounts.sms): a dotted path to a backend class, like EMAIL_BACKEND. The console
# backend logs the text; tests use accounts.sms.LocmemBackend; production names its gateway's backend.
SMS_BACKEND = env.str("SMS_BACKEND", default="accounts.sms.ConsoleBackend")
SMS_SIGNATURE = env.str("SMS_SIGNATURE", default="就业困难人员认定")
# The SMS / email outbox (accounts.outbox): batch size, retries with a growing delay, a claim left by
# a sender that died is taken back after OUTBOX_CLAIM_SECONDS, beat sends what is due every few minutes.
OUTBOX_BATCH = env.int("OUTBOX_BATCH", default=200)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=12)
OUTBOX_MAX_DELAY_SECONDS = env.int("OUTBOX_MAX_DELAY_SECONDS", default=6 * 3600)
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=600)
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=300)

# Pushed lists (outreach): working days a community has to contact a pushed person (第十三条 sets no limit),
# and the number of rows above which a list is processed by Celery instead of in the request.
PUSH_CONTACT_WORKING_DAYS = env.int("PUSH_CONTACT_WORKING_DAYS", default=10)
PUSH_LIST_SYNC_ROWS = env.int("PUSH_LIST_SYNC_ROWS", default=2000)
# A closed public notice stays on the public pages (/notices/) this many days after it closed, then leaves
# them (publicity.access.public_notices); staff keep it.
PUBLIC_NOTICE_RETENTION_DAYS = env.int("PUBLIC_NOTICE_RETENTION_DAYS", default=30)
# One-time identity codes to the phone on the person's record (DESIGN.md §10, applications.identity).
IDENTITY_CODE_MINUTES = 10
IDENTITY_CODE_ATTEMPTS = 5  # wrong entries per code
IDENTITY_CODE_SENDS_PER_HOUR = 5  # per account, and per phone number

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # one working day
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp: Django 5.2 has none of its own), in every environment so tests and
# development see what production enforces: our own scripts, styles and fonts only, no inline code (the
# templates use static/js/app.js and CSS classes), images also from data: URIs (Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
