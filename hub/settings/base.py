"""Settings shared by every environment.

Every environment variable Dugnad reads is declared here, with a safe default for development
and none for secrets in production (see ``production.py``). ``.env.example`` lists them all.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from hub.env import env_bool, env_int, env_list, env_site_url, env_str
from hub.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("DUGNAD_VAR_DIR", str(BASE_DIR / "var")))

# --- Core ---------------------------------------------------------------------------------------

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's public address (scheme, host, port; no path): every absolute link in e-mails and feeds
# starts with it (accounts.urls_absolute). The default is where `make run` serves; production.py
# requires it or derives it from ALLOWED_HOSTS.
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Dugnad's own apps, listed first so their templates override third-party ones.
    "accounts",
    "goals",
    "cms",
    "partners",
    "indicators",
    "projects",
    "discussions",
    "events",
    "consultations",
    "ideas",
    "challenges",
    "opendata",
    "api",
    "embeds",
    "sitesearch",
    "dashboard",
    "notifications",
    "reviews",
    "hub.relay",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_config.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    # Live updates and front end
    "channels",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: the request id is in every log line of the request, and the access log and metrics
    # time everything below (hub.observability).
    "hub.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and LocaleMiddleware, so that a cached page costs none of their work.
    "hub.page_cache.AnonymousPageCacheMiddleware",
    "hub.middleware.ContentSecurityPolicyMiddleware",
    "cms.middleware.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permissions asked many times on a page are answered once per request (accounts.request_memo).
    "accounts.request_memo.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees every response under /api/ (errors included) and makes it the API's.
    "api.middleware.ApiMiddleware",
]

ROOT_URLCONF = "hub.urls"
ASGI_APPLICATION = "hub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------

# DATABASE_URL selects PostgreSQL (postgres://user@host:5432/name); without it, SQLite in var/.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dugnad.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        # A kept connection is checked before each request reuses it, so one broken by a database
        # restart is replaced instead of failing the request (README "When something fails").
        conn_health_checks=True,
    )
}
# While the database does not answer, pages and the API answer 503 with this Retry-After (seconds)
# instead of an error page (hub.views.server_error); /healthz's 503 carries it too.
SERVICE_UNAVAILABLE_RETRY_AFTER = env_int("SERVICE_UNAVAILABLE_RETRY_AFTER", 15)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the ASGI server read while a write is in progress; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL selects Redis for the cache and the channel layer; without it, the cache lives in memory
# and the channel layer in memory plus a relay through the database to the other processes.
REDIS_URL = env_str("REDIS_URL", "")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "dugnad")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis errors are cache misses: pages and posts go on while Redis restarts (hub.cache).
            "BACKEND": "hub.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer keeps one subscription per process and has no idle-socket timeout
            # race (channels_redis issue 422).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{CACHE_KEY_PREFIX}:channels"},
        }
    }
else:
    # Without Redis the cache is per process; DUGNAD_FILE_CACHE_DIR shares one between processes
    # on one machine (the browser tests' server and the tests themselves).
    FILE_CACHE_DIR = env_str("DUGNAD_FILE_CACHE_DIR", "")
    if FILE_CACHE_DIR:
        CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": FILE_CACHE_DIR}
        }
    else:
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dugnad"}}
    # The web server and the task worker are separate processes: what the worker publishes (new
    # notifications) reaches the server's sockets through a table both read (hub.relay.layers).
    CHANNEL_LAYERS = {"default": {"BACKEND": "hub.relay.layers.DatabaseRelayChannelLayer"}}
# Wagtail's renditions live in the default cache, minus the write-back of prefetched ones (hub.rendition_cache).
CACHES["renditions"] = {"BACKEND": "hub.rendition_cache.RenditionCache"}

# Background tasks (e-mail, notifications) wait in the database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A task still marked running this many seconds after it started was left by a worker that died
# (SIGKILL, power loss): `manage.py db_worker` (notifications' own) runs it again, at start and
# then every so often. Keep it above the longest task; e-mails are never sent twice for it
# (notifications.emails: each message is claimed, then marked sent as it goes out).
TASKS_ABANDONED_AFTER_SECONDS = env_int("TASKS_ABANDONED_AFTER_SECONDS", 600)

# --- Accounts -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory verification unless running with DEBUG on; production.py forces it on.
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults, kept in the configured cache
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Dugnad] "

# Personal data (accounts.services): a person's data export stays downloadable this many days, in
# private storage outside MEDIA_ROOT; a closed account is erased after the grace period; accounts
# whose address was never confirmed are removed, and notifications pruned, after these many days
# (`manage.py apply_retention`, run daily).
DATA_EXPORT_ROOT = Path(env_str("DATA_EXPORT_ROOT", str(VAR_DIR / "exports")))
DATA_EXPORT_DAYS = env_int("DATA_EXPORT_DAYS", 7)
ACCOUNT_ERASURE_GRACE_DAYS = env_int("ACCOUNT_ERASURE_GRACE_DAYS", 30)
ACCOUNT_UNVERIFIED_DAYS = env_int("ACCOUNT_UNVERIFIED_DAYS", 14)
NOTIFICATIONS_RETENTION_DAYS = env_int("NOTIFICATIONS_RETENTION_DAYS", 365)

# Uploaded pictures: real images only, within these limits (see accounts.images).
UPLOAD_IMAGE_MAX_BYTES = env_int("UPLOAD_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = UPLOAD_IMAGE_MAX_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = UPLOAD_IMAGE_MAX_PIXELS
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Every admin upload is checked and re-encoded as the public forms' pictures are (cms.admin.forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.admin.forms.CheckedImageForm"

# --- E-mail -------------------------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "outbox"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dugnad <noreply@dugnad.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages ----------------------------------------------------------------------------------

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]
# Dugnad's own catalogue first; the override catalogue fills in third-party apps that lack Nynorsk.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_third_party"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Oslo"
WAGTAIL_I18N_ENABLED = False
# ASCII page slugs, transliterated in the admin as cms.slugs.slugify_no does on the server (æ → ae, ø → o, å → a).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]

# --- Static and media ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Django serves uploads itself only when asked; in production a web server or object storage does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Request bodies larger than this are refused with 413 before they are read (hub.request_limits);
# the reverse proxy's limit (nginx: client_max_body_size) should be the same. Form fields other than
# files may together take DATA_UPLOAD_MAX_MEMORY_SIZE; files larger than FILE_UPLOAD_MAX_MEMORY_SIZE
# go to a temporary file instead of memory.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Wagtail ------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Dugnad"
# Links in Wagtail's own e-mails; the same address as every other link the site writes.
WAGTAILADMIN_BASE_URL = SITE_URL
# Site search (sitesearch) stems and folds Norwegian itself, in the indexed text and in the query
# (cms.search_text), the same on SQLite and PostgreSQL: so PostgreSQL's configuration is "simple"
# (a language configuration would stem the stems again and drop stop words on one database only).
# After changing it or the indexed fields, rebuild the index: manage.py update_index.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}}
# Site search ranks at most this many matches of each kind (projects and pages, partners, forum
# topics, comments) by the backend's score, and says "more than N" beyond: a request's cost does
# not grow with the number of hits (sitesearch.selectors).
SEARCH_MAX_CANDIDATES = env_int("SEARCH_MAX_CANDIDATES", 1000)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# No Gravatar avatars in the admin: they would send a hash of each user's e-mail address to a third
# party, and the Content-Security-Policy (img-src 'self') blocks them anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Page cache ---------------------------------------------------------------------------------

# Whole public pages for visitors who are not logged in (hub.page_cache), kept until any public
# content that they show changes (cms.dependency). Off by default under DEBUG, where templates change without
# a restart; the tests run with it on.
DUGNAD_PAGE_CACHE = env_bool("DUGNAD_PAGE_CACHE", not DEBUG)

# --- Discussions --------------------------------------------------------------------------------

# Rate limits on comments (discussions.services): seconds between two comments by one person, and
# for accounts younger than DISCUSSIONS_NEW_ACCOUNT_HOURS a longer wait and fewer links.
DISCUSSIONS_COMMENT_INTERVAL_SECONDS = env_int("DISCUSSIONS_COMMENT_INTERVAL_SECONDS", 5)
DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS = env_int("DISCUSSIONS_NEW_ACCOUNT_INTERVAL_SECONDS", 30)
DISCUSSIONS_NEW_ACCOUNT_HOURS = env_int("DISCUSSIONS_NEW_ACCOUNT_HOURS", 24)
DISCUSSIONS_NEW_ACCOUNT_MAX_LINKS = env_int("DISCUSSIONS_NEW_ACCOUNT_MAX_LINKS", 2)
DISCUSSIONS_COMMENT_MAX_LENGTH = env_int("DISCUSSIONS_COMMENT_MAX_LENGTH", 5000)
# A comment is hidden until a coordinator decides when its reports weigh this much (each report
# weighs 0, 0.5 or 1 by the reporter's standing: discussions.permissions.report_weight; README "Moderation").
DISCUSSIONS_REPORTS_TO_HIDE = env_int("DISCUSSIONS_REPORTS_TO_HIDE", 3)
# So many reports on one person's comments in a hub within the window are flagged to coordinators.
DISCUSSIONS_REPORT_BURST = env_int("DISCUSSIONS_REPORT_BURST", 5)
DISCUSSIONS_REPORT_BURST_MINUTES = env_int("DISCUSSIONS_REPORT_BURST_MINUTES", 60)

# Open websockets per address and per session in each server process (hub.websocket_limits); 0: no cap.
WEBSOCKET_MAX_PER_ADDRESS = env_int("WEBSOCKET_MAX_PER_ADDRESS", 200)
WEBSOCKET_MAX_PER_SESSION = env_int("WEBSOCKET_MAX_PER_SESSION", 20)

# --- Rate limits ----------------------------------------------------------------------------

# Actions that e-mail other people (cms.rate_limits): attempts per person, per address, window (s).
DUGNAD_RATE_LIMITS = {
    "challenge-write": (
        env_int("RATE_LIMIT_CHALLENGE_WRITES_PER_PERSON", 30),
        env_int("RATE_LIMIT_CHALLENGE_WRITES_PER_ADDRESS", 60),
        3600,
    ),
    "partner-application": (
        env_int("RATE_LIMIT_APPLICATIONS_PER_PERSON", 10),
        env_int("RATE_LIMIT_APPLICATIONS_PER_ADDRESS", 30),
        3600,
    ),
    "project-proposal": (
        env_int("RATE_LIMIT_PROPOSALS_PER_PERSON", 10),
        env_int("RATE_LIMIT_PROPOSALS_PER_ADDRESS", 30),
        3600,
    ),
    "member-invitation": (
        env_int("RATE_LIMIT_INVITATIONS_PER_PERSON", 30),
        env_int("RATE_LIMIT_INVITATIONS_PER_ADDRESS", 60),
        3600,
    ),
    # Registering for and cancelling event registrations (events.views).
    "event-registration": (
        env_int("RATE_LIMIT_EVENT_REGISTRATIONS_PER_PERSON", 30),
        env_int("RATE_LIMIT_EVENT_REGISTRATIONS_PER_ADDRESS", 120),
        3600,
    ),
    # Consultations: saving answers, and typing access codes (against guessing: per address).
    "consultation-answer": (
        env_int("RATE_LIMIT_CONSULTATION_ANSWERS_PER_PERSON", 30),
        env_int("RATE_LIMIT_CONSULTATION_ANSWERS_PER_ADDRESS", 300),
        3600,
    ),
    "consultation-code": (
        env_int("RATE_LIMIT_CONSULTATION_CODES_PER_PERSON", 20),
        env_int("RATE_LIMIT_CONSULTATION_CODES_PER_ADDRESS", 60),
        600,
    ),
    "idea-post": (env_int("RATE_LIMIT_IDEAS_PER_PERSON", 10), env_int("RATE_LIMIT_IDEAS_PER_ADDRESS", 30), 3600),
    "idea-support": (
        env_int("RATE_LIMIT_IDEA_SUPPORTS_PER_PERSON", 60),
        env_int("RATE_LIMIT_IDEA_SUPPORTS_PER_ADDRESS", 200),
        3600,
    ),
    # The read-only API (api.middleware): requests per address (and per logged-in person) a minute.
    "api": (env_int("API_RATE_LIMIT_PER_MINUTE", 600), env_int("API_RATE_LIMIT_PER_MINUTE", 600), 60),
}
# Event registrations (names, dietary and accessibility needs) are deleted this many days after the
# event ended (``manage.py events_purge_personal_data``, daily from cron).
EVENT_PERSONAL_DATA_RETENTION_DAYS = env_int("EVENT_PERSONAL_DATA_RETENTION_DAYS", 30)
# How long browsers and proxies may keep an API response without asking again (ETag makes asking cheap).
API_MAX_AGE = env_int("API_MAX_AGE", 60)
# Keep each list's serialized response in the default cache under the content version (never
# stale: any change to public content replaces the version); api.middleware.
API_RESPONSE_CACHE = env_bool("API_RESPONSE_CACHE", True)

# --- Benchmark ----------------------------------------------------------------------------------

# Adds /bench/bare/, the reference view `make bench` measures pages against (hub.bench_views).
DUGNAD_BENCH_VIEWS = env_bool("DUGNAD_BENCH_VIEWS", False)

# --- Security -----------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# Only strictly necessary cookies: the session, the CSRF token and the chosen language (the privacy
# statement says so, and tests/hub/test_cookies.py holds us to it). Messages wait in the session
# rather than in a cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_COOKIE_HTTPONLY = False  # Django's default: scripts take the token from the page's forms, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Logging ------------------------------------------------------------------------------------

# LOG_FORMAT=json writes one JSON object per line (time, level, logger, message, request_id, and the
# access log's fields); plain text otherwise. Every line carries the request's id (hub.logs).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"The environment variable LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
# One line per request on the logger dugnad.access (production runs uvicorn with --no-access-log).
ACCESS_LOG = env_bool("ACCESS_LOG", False)

# --- Metrics ------------------------------------------------------------------------------------

# /metrics for Prometheus answers only "Authorization: Bearer <METRICS_TOKEN>"; unset, it is a 404.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# Several server processes: a directory (emptied when the service starts) where each keeps its
# counts, so that /metrics adds them up. prometheus_client reads it from the environment itself.
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
