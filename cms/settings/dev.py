"""Local development: `make run`. Never used in production."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import env
from .fake_notify import template_ids as fake_notify_template_ids

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "local-development-only-not-a-secret")  # noqa: S105
# `make run` serves on 127.0.0.1:$PORT and exports PORT to every step (migrate, which sets the Wagtail Site from
# BASE_URL, included), so links in emails, the Site, the sitemap and the feed all name the port actually served.
PORT = env("PORT", "8000")
BASE_URL = env("BASE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# A BASE_URL set to another name of this machine must be answered, or every link in an email is a 400.
if urlsplit(BASE_URL).hostname not in {*ALLOWED_HOSTS, "::1"}:
    ALLOWED_HOSTS.append(urlsplit(BASE_URL).hostname)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The fake Notify server started by `make run` accepts this key; nothing leaves the machine.
NOTIFY_API_KEY = env(
    "NOTIFY_API_KEY", "local-11111111-1111-4111-8111-111111111111-22222222-2222-4222-8222-222222222222"
)
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "http://127.0.0.1:6011")
NOTIFY_CALLBACK_TOKEN = env("NOTIFY_CALLBACK_TOKEN", "local-callback-token-not-a-secret")  # noqa: S105
# The fake server's templates (devtools/notify_templates.json), which `make run` loads into it.
NOTIFY_TEMPLATE_IDS = fake_notify_template_ids()
# Serve static files straight from the build output (site/dist), without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
