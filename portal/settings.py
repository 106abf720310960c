"""Settings for the portal, read from the environment in one place (12-factor).

Every knob is listed with its default in `.env.example`. Production differs from a
developer's machine only by environment variables.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """True for 1/true/yes/on; unset or empty (as in .env.example) gives the default."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

_INSECURE_DEV_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY skal sættes, når DEBUG ikke er slået til.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "taggit",
    "simple_history",
    "allauth",
    "allauth.account",
    "portal",
    "cases",
    "booklets",
    "initiatives",
    "workshops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before anything reads the body (the CSRF check reads the form).
    "portal.uploads.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so its 400 page gets every header the others add.
    "portal.admin_query.AdminQueryMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's default (4.0, spinning disks) makes it scan the whole case table
    # instead of using the full-text GIN index; 1.1 is the usual value for SSD or
    # cached data and needs no superuser, as it is set per connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", os.environ.get("DATABASE_PG_OPTIONS", "-c random_page_cost=1.1")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Applicant accounts (django-allauth): e-mail and password, e-mail must be confirmed.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address in the browser that signed up logs in and goes on to `next`
# (e.g. the application form the person set out to fill in).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Failed logins are limited by portal.ratelimit, for this login and the admin's alike
# (portal/accounts.py); allauth's own counter for them is off so there is one, not two.
ACCOUNT_ADAPTER = "portal.accounts.AccountAdapter"
ACCOUNT_RATE_LIMITS = {"login_failed": None}
# How many proxies in front of the portal append to X-Forwarded-For: the client address
# that the login and PDF limits (and allauth's other rate limits) count by.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or 0)
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT") or 5)
LOGIN_FAILURES_PER_CLIENT = int(os.environ.get("LOGIN_FAILURES_PER_CLIENT") or 20)
LOGIN_LOCK_SECONDS = int(os.environ.get("LOGIN_LOCK_SECONDS") or 300)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Applicants' attachments: never under MEDIA_ROOT, handed out only by a view that checks
# who is asking. They go through STORAGES["private"] below, by default files here; with
# more than one app server a volume they all mount or an object store (README).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private-media"))
# Submissions (first ones and resubmissions) one applicant account may make per 24 hours;
# each one mails the addresses typed into the form. See initiatives/workflow.py.
APPLICATION_SUBMISSIONS_PER_DAY = int(os.environ.get("APPLICATION_SUBMISSIONS_PER_DAY", "5"))
# Each process keeps the case list's recent searches (cases/facets.py) within this many
# bytes, the least recently used dropped first.
SEARCH_CACHE_BYTES = int(os.environ.get("SEARCH_CACHE_BYTES") or 8 * 1024 * 1024)
# Inspiration booklets are laid out in parts, in this many processes at once (one per
# core by default, at most 4); a part holds at least BOOKLET_MIN_CASES_PER_PART cases, so
# small booklets are one part. See booklets/parts.py.
BOOKLET_RENDER_PROCESSES = int(
    os.environ.get("BOOKLET_RENDER_PROCESSES") or min(4, len(os.sched_getaffinity(0)))
)
BOOKLET_MIN_CASES_PER_PART = int(os.environ.get("BOOKLET_MIN_CASES_PER_PART", "8"))
# Booklets and case PDFs not in the PDF cache yet: at most this many fresh renders per
# client address in the window (seconds); a PDF already rendered is always served.
PDF_RENDERS_PER_CLIENT = int(os.environ.get("PDF_RENDERS_PER_CLIENT") or 10)
PDF_RENDER_WINDOW_SECONDS = int(os.environ.get("PDF_RENDER_WINDOW_SECONDS") or 600)
# Booklets are laid out by the task queue's workers (booklets/queue.py, portal/celery.py).
# A request for a booklet of at most BOOKLET_WAIT_MAX_CASES cases waits this long for it
# to be ready; any other answers at once with a page that reloads itself every
# BOOKLET_REFRESH_SECONDS; a booklet not made within
# BOOKLET_RENDER_TIMEOUT is ordered again; a failure is told for BOOKLET_FAILURE_SECONDS.
BOOKLET_WAIT_SECONDS = float(os.environ.get("BOOKLET_WAIT_SECONDS") or 1.5)
BOOKLET_WAIT_MAX_CASES = int(os.environ.get("BOOKLET_WAIT_MAX_CASES") or 10)
# Five seconds, not two: time to reach „Stop den automatiske opdatering“ with the keyboard
# or hear the status before the page reloads (WCAG 2.2.1).
BOOKLET_REFRESH_SECONDS = 5
BOOKLET_RENDER_TIMEOUT = int(os.environ.get("BOOKLET_RENDER_TIMEOUT") or 600)
BOOKLET_FAILURE_SECONDS = int(os.environ.get("BOOKLET_FAILURE_SECONDS") or 600)
# Rendered booklets: every app server and worker must see the same folder (one machine,
# or a volume they all mount); for an object store set STORAGES["booklets"] to
# django-storages' backend (README, "Hæfter i en opgavekø").
BOOKLET_STORAGE_DIR = Path(os.environ.get("BOOKLET_STORAGE_DIR") or BASE_DIR / "var" / "booklets")
# The queue: Redis in production (CELERY_BROKER_URL, or REDIS_URL); without either, a
# folder under var/ that `make run`'s worker reads (kombu's filesystem transport, one
# machine only). The tests lay booklets out at once (eager) unless they say otherwise.
QUEUE_DIR = Path(os.environ.get("QUEUE_DIR") or BASE_DIR / "var" / "queue")
CELERY_BROKER_URL = (
    os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "filesystem://"
)
# A web request that orders a booklet gives up on a Redis that is down or mute within about
# two seconds and answers 503 „Hæfter kan ikke laves lige nu“ (booklets/views.py) instead
# of hanging: redis-py waits for ever by default. The read timeout stays above the
# worker's blocking pop (kombu's brpop_timeout, 1 s). No publish retries (Celery's default
# is 3, each up to these timeouts): redis-py reconnects a pooled connection that a Redis
# restart closed by itself. Measured: refused at once, no answer to connect 1 s, a server
# that accepts and never answers 2 s. Other transports ignore these options. The shared
# cache below uses the same timeouts when it is Redis.
REDIS_SOCKET_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **REDIS_SOCKET_TIMEOUTS,
    **(
        {
            "data_folder_in": str(QUEUE_DIR / "messages"),
            "data_folder_out": str(QUEUE_DIR / "messages"),
            "control_folder": str(QUEUE_DIR / "control"),
            "polling_interval": 0.2,
        }
        if CELERY_BROKER_URL.startswith("filesystem:")
        else {}
    ),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", env_bool("TESTING", False))
CELERY_TASK_IGNORE_RESULT = True
# A booklet takes seconds: a worker takes one at a time per thread, not a batch. Threads,
# not Celery's default prefork pool: a booklet's parts are laid out in a process pool of
# the worker's own (booklets/parts.py).
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_POOL = "threads"
CELERY_WORKER_CONCURRENCY = int(os.environ.get("WORKER_CONCURRENCY") or 2)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The first handler stops an upload at the attachment limit while it streams in; see
# portal/uploads.py, which also refuses a too large Content-Length before reading.
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "booklets": {
        "BACKEND": "booklets.storage.BookletFileStorage",
        "OPTIONS": {"location": BOOKLET_STORAGE_DIR},
    },
    # Applicants' attachments (initiatives/storage.py): never a public URL.
    "private": {"BACKEND": "initiatives.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Regionalt arbejdsliv <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The secretariat's mailbox: the Reply-To of the application workflow's mails, so that
# applicants and people named in an application can answer or object.
SECRETARIAT_EMAIL = os.environ.get("SECRETARIAT_EMAIL", "") or DEFAULT_FROM_EMAIL
# Also told of each new application and each answer to a request for information (besides
# the Sekretariat group's members with a verified address), e.g. a shared mailbox.
SECRETARIAT_NOTIFY_EMAIL = os.environ.get("SECRETARIAT_NOTIFY_EMAIL", "")
# Who answers for the portal, shown on the contact page, the privacy policy and the
# accessibility statement (portal/site_info.py). Empty: the pages say it must be set.
SECRETARIAT_PHONE = os.environ.get("SECRETARIAT_PHONE", "")
DATA_CONTROLLER_NAME = os.environ.get("DATA_CONTROLLER_NAME", "")
DATA_CONTROLLER_ADDRESS = os.environ.get("DATA_CONTROLLER_ADDRESS", "")
DATA_CONTROLLER_EMAIL = os.environ.get("DATA_CONTROLLER_EMAIL", "")
# The statement published in Digitaliseringsstyrelsen's WAS-Tool (was.digst.dk/...); /was
# leads there once it is set, and to the portal's own statement until then.
ACCESSIBILITY_STATEMENT_URL = os.environ.get("ACCESSIBILITY_STATEMENT_URL", "")

# The cache every app server shares: the login limiter, the booklet render limiter and
# allauth's rate limits count here. Redis (Django's own RedisCache) when CACHE_URL or
# REDIS_URL is set, e.g. redis://HOST:6379/1 (clearing the cache empties that Redis
# database, so give the cache its own number when the task queue uses the same server);
# else a table in the database, which `migrate` makes (portal/cachetable.py).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": REDIS_SOCKET_TIMEOUTS,
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
    ),
    # Per process and fast: case cards (one fragment per case, keyed by what the card
    # shows, so never stale) and resolved searches (keyed by the library's version).
    # Room for a library of 10,000 cases and then some, about 20 MB per process.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}

# HTTPS. On by default when DEBUG is off, so `check --deploy` is silent; each can be
# turned off by its environment variable (e.g. SECURE_SSL_REDIRECT=false where the TLS
# proxy redirects itself). Behind a TLS proxy set BEHIND_TLS_PROXY=true, and make the
# proxy set X-Forwarded-Proto (and strip it from clients' requests).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or (0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from the
# portal's own static files; no inline script or style anywhere, the admin included.
# DKFDS's stylesheet draws its icons as data: SVGs.
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
    }
}

TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = "Sammen om udvikling af de regionale arbejdspladser"

# Decided applications are anonymised this many whole years after the decision by
# `manage.py apply_retention` (README, "Persondata"). 0 turns anonymising off.
RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "5"))
if RETENTION_YEARS < 0:
    raise ImproperlyConfigured("RETENTION_YEARS skal være 0 eller et positivt helt tal.")

# Workshops (README, "Persondata"): registrations are deleted this many days after the
# workshop ended (0 keeps them); each client may register so often per window; the
# calendar's event UIDs end in this domain, so they stay the same whatever host is asked.
WORKSHOP_REGISTRATION_RETENTION_DAYS = int(
    os.environ.get("WORKSHOP_REGISTRATION_RETENTION_DAYS", "365")
)
if WORKSHOP_REGISTRATION_RETENTION_DAYS < 0:
    raise ImproperlyConfigured(
        "WORKSHOP_REGISTRATION_RETENTION_DAYS skal være 0 eller et positivt helt tal."
    )
WORKSHOP_REGISTRATIONS_PER_CLIENT = int(os.environ.get("WORKSHOP_REGISTRATIONS_PER_CLIENT") or 10)
WORKSHOP_REGISTRATION_WINDOW_SECONDS = int(
    os.environ.get("WORKSHOP_REGISTRATION_WINDOW_SECONDS") or 3600
)
CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN") or next(
    (host for host in ALLOWED_HOSTS if host and not host.startswith((".", "*", "["))),
    "localhost",
)
# The portal's address in mails sent outside a request (e.g. `delete_personal_data` moving
# someone up from a waiting list).
SITE_URL = os.environ.get("SITE_URL") or f"https://{CALENDAR_UID_DOMAIN}"
# The licence of the open data (/cases/data.csv, /cases/data.json), e.g. "CC BY 4.0", as
# the data controller has chosen it; empty until then (README, "Feeds, indlejring og åbne data").
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
