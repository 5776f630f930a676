"""Production: everything that differs between deployments comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import NOTIFY_API_KEY, NOTIFY_CALLBACK_TOKEN, SECRET_KEY, env, env_bool, env_list

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set: production refuses to start without one.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this service answers to.")
# Every link in every email, the sitemap, the feed and the API are built from it (cms.public_address).
if not env("BASE_URL"):
    raise ImproperlyConfigured("BASE_URL must be set to the service's public address, like https://example.gov.uk.")
if not NOTIFY_API_KEY and not env_bool("ALLOW_MISSING_NOTIFY_API_KEY"):
    raise ImproperlyConfigured("NOTIFY_API_KEY must be set: every email of the service goes through Notify.")
# Without it the delivery-receipt callback refuses every receipt, and failed deliveries go unseen.
if not NOTIFY_CALLBACK_TOKEN and not env_bool("ALLOW_MISSING_NOTIFY_API_KEY"):
    raise ImproperlyConfigured(
        "NOTIFY_CALLBACK_TOKEN must be set: it is the bearer token Notify sends with each delivery receipt."
    )

# Each gunicorn worker keeps its database connection between requests rather than opening one per request
# (on PostgreSQL that connection costs more than most pages' queries). A connection is checked before a request
# reuses it, so one the database or a proxy dropped is replaced rather than failing the request; it is closed
# after DATABASE_CONN_MAX_AGE seconds so that connections do not outlive a failover for long. Persistent
# connections rather than psycopg's pool: sync workers run one request at a time, so a pool would hold one
# connection per process anyway. Size PostgreSQL's max_connections for (web workers + django-q2 workers) per
# machine.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "600"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# TLS ends at the load balancer, which says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A year, this host and its subdomains, and eligible for browsers' preload lists.
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS, never readable from JavaScript (nothing of ours reads the CSRF cookie: forms
# carry the token in a hidden field, and Wagtail's admin reads it from the page), and not sent when another
# site posts here.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# How many proxies of ours (load balancer, router) stand between the internet and the app, each appending
# the address it was called from to X-Forwarded-For. The client is that many entries from the right: anything
# further left, the client could have written itself.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 (no proxy) or more.")


def client_ip_address(request) -> str | None:
    """The address django-axes counts sign-in attempts against: the client as our first proxy saw it."""
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if TRUSTED_PROXY_COUNT and len(forwarded) >= TRUSTED_PROXY_COUNT:
        return forwarded[-TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = client_ip_address
