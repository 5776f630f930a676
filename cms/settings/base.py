"""Settings shared by every environment. Values that differ between machines come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours first, so our templates win over the apps' own.
    "publishing",
    "workflow",
    "notify",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's user admin, limited for the service assessment team (workflow.admin.people).
    "workflow.apps.PeopleAdminConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "django_q",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, with the Wagtail admin's exceptions (CONTENT_SECURITY_POLICY_ADMIN below).
    "cms.settings.csp_admin.CSPMiddlewareWithAdminPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The request's Wagtail Site from the shared cache, not a query per request (cms.sites).
    "cms.sites.SiteForRequest",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Never a shared cache for a signed-in person's pages; a GOV.UK page for a wrong method (cms.middleware).
    "cms.middleware.PrivateWhenSignedIn",
    "cms.middleware.MethodNotAllowedPage",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
# A form refused by the CSRF check (a page open too long, cookies blocked) gets a GOV.UK page saying what to do.
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "workflow.context_processors.deadlines",
            ],
        },
    },
]
# GOV.UK markup for Django's own forms: templates/django/forms overrides the default field templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite needs no server, so a bare machine can run the service; production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write at once in `make run`: take the write lock at the start of each
    # transaction and wait for it, rather than fail with "database is locked" half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"
# Passwords, and one-time sign-in links sent by email (django-sesame): a link works once, for 15 minutes.
# django-axes comes first: it refuses every sign-in of a locked-out person before the others look at it. It also
# refuses any authenticate() made without the request, sesame's get_user(token) included, with an exception:
# workflow/views/signin.py asks sesame's backend about a link directly.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
SESAME_MAX_AGE = 15 * 60
SESAME_ONE_TIME = True

# django-axes: five wrong passwords for one username from one address lock that pair out for an hour, at
# /sign-in/ and /admin/login/ alike (both go through authenticate()). Others at the same address, such as a
# department behind one proxy, can still sign in. A correct password clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out do not restart the hour, so the lockout page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The address is REMOTE_ADDR; production, behind its load balancer, reads X-Forwarded-For instead.
AXES_CLIENT_IP_CALLABLE = None
# No start-up banner on every manage.py command; failures are still logged (usernames and addresses masked).
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
# The GOV.UK Frontend build (site/) writes here; see site/README.md.
STATICFILES_DIRS = [BASE_DIR / "site" / "dist"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Service assessment reports"
# A person's email address is where their sign-in links go: it is changed by the service assessment team in the
# people admin (workflow.admin.people), not by the person in their account settings, which keep their name.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Every email goes through GOV.UK Notify, and Django's password-reset email would not: staff who forget their
# password ask for a sign-in link at /sign-in/link/ instead.
WAGTAIL_PASSWORD_RESET_ENABLED = False
BASE_URL = env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_I18N_ENABLED = False
# The admin loads nothing from other sites, as the Content Security Policy requires: no avatars from Gravatar
# (which would also tell it a hash of each member of staff's email address) and no check for new Wagtail
# releases (upgrades come through pyproject.toml).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The reports section is the publishing app's; workflow places report pages under it without importing it.
REPORTS_INDEX_PAGE_MODEL = "publishing.ReportIndexPage"

# GOV.UK Notify. Local development and tests point these at the fake Notify server (devtools/fake_notify.py).
NOTIFY_API_KEY = env("NOTIFY_API_KEY")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = float(env("NOTIFY_TIMEOUT", "10"))  # seconds per request
# Notify's delivery receipts (POST /notify/callback/) must carry this bearer token; unset, all are refused.
NOTIFY_CALLBACK_TOKEN = env("NOTIFY_CALLBACK_TOKEN")
# Template ids are set in the Wagtail admin (Settings > Notify templates); these fill in the blank ones.
NOTIFY_TEMPLATE_IDS: dict[str, str] = {}
# The outbox: failed sends (429, 5xx, timeouts, refused connections) are retried with exponential backoff
# and jitter, base * 2^(attempt - 1) capped at the maximum, until NOTIFY_MAX_ATTEMPTS; then marked failed.
NOTIFY_MAX_ATTEMPTS = int(env("NOTIFY_MAX_ATTEMPTS", "10"))
NOTIFY_RETRY_BASE_SECONDS = float(env("NOTIFY_RETRY_BASE_SECONDS", "10"))
NOTIFY_RETRY_MAX_SECONDS = float(env("NOTIFY_RETRY_MAX_SECONDS", "1800"))
# A task stops starting sends after this long; the rest wait for the next task. With up to 3 requests of
# NOTIFY_TIMEOUT for the last email (look up, send, look up), it must end within Q_CLUSTER's timeout.
NOTIFY_SEND_BUDGET_SECONDS = float(env("NOTIFY_SEND_BUDGET_SECONDS", "25"))
NOTIFY_SEND_BATCH_SIZE = int(env("NOTIFY_SEND_BATCH_SIZE", "100"))
# A task waits in place for retries due within this many seconds (0: leave them to the minute schedule).
NOTIFY_INLINE_RETRY_WAIT_SECONDS = float(env("NOTIFY_INLINE_RETRY_WAIT_SECONDS", "0"))
# An email left "sending" this long (its worker died) is looked up by reference, then sent if Notify lacks it.
NOTIFY_STALE_SENDING_SECONDS = int(env("NOTIFY_STALE_SENDING_SECONDS", "300"))
# Scheduled reminders missed (the worker was down) are still sent up to this many days late.
NOTIFY_SCHEDULE_CATCH_UP_DAYS = int(env("NOTIFY_SCHEDULE_CATCH_UP_DAYS", "14"))

# django-q2: the Django ORM broker needs nothing beyond the database; REDIS_URL lets several web and
# worker machines share one faster queue.
REDIS_URL = env("REDIS_URL")
Q_CLUSTER = {
    "name": "service-assessment-reports",
    "workers": int(env("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,  # must exceed timeout, or a slow task runs twice
    "max_attempts": 1,  # the outbox does its own retries with backoff
    "queue_limit": 100,
    "orm": "default",
    "catch_up": False,
}
if REDIS_URL:
    Q_CLUSTER = {**Q_CLUSTER, "redis": REDIS_URL}
    Q_CLUSTER.pop("orm")

# Published pages change only when a report is published or corrected: they are cached in "pages", and
# publishing clears it. One shared cache (Redis) when REDIS_URL is set, so every web machine sees a clear; the
# page cache works around Redis being down (publishing/cache.py). Everything else, Wagtail's own lookups
# among them, stays in each process's memory, so a Redis outage never takes pages down. Without Redis both
# aliases name one memory cache, and clearing either clears both.
_LOCAL_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "service-assessment-reports"}
CACHES = {
    "default": _LOCAL_CACHE,
    "pages": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL} if REDIS_URL else _LOCAL_CACHE
    ),
}
PUBLIC_PAGE_CACHE_SECONDS = int(env("PUBLIC_PAGE_CACHE_SECONDS", "300"))

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Content Security Policy (django-csp 4). Our pages have no inline script, style or event handler:
# GOV.UK Frontend's JavaScript and init.js are files from our own origin (site/dist), so the policy needs
# neither 'unsafe-inline' nor a nonce (and, with no nonce, a cached public page stays valid as it is).
# tests/test_security.py holds the exact policy; tests/test_browser_security.py checks it in Chromium.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# The Wagtail admin's page editor and listings run inline scripts written by Wagtail's widgets (date choosers,
# StreamField blocks) and set inline styles, which no nonce or hash can cover: under /admin/ only, these
# directives replace the policy's. Everything else holds there too: no script or style from another origin,
# no eval, no framing, forms post only here. (The Django admin at /django-admin/ needs no exception.)
CONTENT_SECURITY_POLICY_ADMIN = {
    "PATH_PREFIX": "/admin/",
    "REPLACE": {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        # Wagtail previews an image chosen for upload from a blob: URL.
        "img-src": [SELF, "data:", "blob:"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its search-index and reference-index updates as tasks and logs each one.
        "django_tasks": {"level": "WARNING"},
    },
}
