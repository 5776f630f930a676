"""The pytest suite. DATABASE_URL selects PostgreSQL; SQLite otherwise."""

from .base import *  # noqa: F403
from .base import Q_CLUSTER
from .fake_notify import template_ids as fake_notify_template_ids

DEBUG = False
SECRET_KEY = "tests-only-not-a-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# django-q2 reads Q_CLUSTER at import, so override_settings cannot switch it: tests run tasks inline.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# Tests start their own fake Notify server and point the client at it.
NOTIFY_API_KEY = "test-33333333-3333-4333-8333-333333333333-44444444-4444-4444-8444-444444444444"
NOTIFY_BASE_URL = "http://127.0.0.1:9"
NOTIFY_CALLBACK_TOKEN = "tests-callback-token-not-a-secret"  # noqa: S105
NOTIFY_TEMPLATE_IDS = fake_notify_template_ids()
WAGTAILADMIN_BASE_URL = BASE_URL = "http://testserver"
# Serve static files straight from the build output (site/dist), without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Tests keep nothing after they end, so no commit need wait for the disk: the suite's many commits (every
    # TransactionTestCase flushes) then cost memory alone.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
