"""A page cache for what the public reads: the reports list and published report pages.

Published pages change only when a report is published, unpublished or corrected, so each anonymous GET is
served from Django's "pages" cache (Redis when `REDIS_URL` is set), keyed by host, path and query string. Publishing
clears it: every key carries a generation number, and the signals in `publishing.apps` start a new
generation, which leaves the old entries to expire. Signed-in people (anyone with a session cookie) and
anything but GET and HEAD bypass the cache;
`PUBLIC_PAGE_CACHE_SECONDS = 0` turns it off.

Responses carry `Cache-Control: public, max-age=…`, an `ETag` and a `Last-Modified`, and a conditional GET
that matches is answered 304 Not Modified, so a cache in front can serve them too."""

import contextlib
import hashlib
import logging
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

CACHE_ALIAS = "pages"
GENERATION_KEY = "publishing:page-cache:generation"
KEY_PREFIX = "publishing:page-cache"


logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    pass


def _cache_call(method: str, *args):
    """The cache is an optimisation: when it fails (Redis down), pages are built from the database and
    publishing goes ahead, and entries still cached expire by themselves within PUBLIC_PAGE_CACHE_SECONDS."""
    try:
        return getattr(caches[CACHE_ALIAS], method)(*args)
    except Exception as error:
        logger.warning("Public page cache unavailable (%s): %s", method, error)
        raise CacheUnavailable from error


def clear() -> None:
    """Starts a new generation: every page cached so far is no longer served."""
    with contextlib.suppress(CacheUnavailable):
        _cache_call("set", GENERATION_KEY, uuid.uuid4().hex, None)


def _generation() -> str:
    generation = _cache_call("get", GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # add, not set: another process may have started a generation meanwhile.
        if not _cache_call("add", GENERATION_KEY, generation, None):
            generation = _cache_call("get", GENERATION_KEY) or generation
    return generation


def _cacheable_request(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _key(request, generation: str) -> str:
    url = f"{request.get_host()}{request.get_full_path()}"
    return f"{KEY_PREFIX}:{generation}:{hashlib.sha256(url.encode()).hexdigest()}"


def _public_headers(response, etag: str, last_modified: float) -> None:
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    response["Cache-Control"] = f"public, max-age={seconds}"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Cookie"])


def _from_entry(request, entry) -> HttpResponse:
    response = get_conditional_response(request, etag=entry["etag"], last_modified=entry["last_modified"])
    if response is None:
        response = HttpResponse(entry["content"], status=entry["status"], content_type=entry["content_type"])
    _public_headers(response, entry["etag"], entry["last_modified"])
    response["X-Page-Cache"] = "hit"
    return response


def cached_page(view):
    """Wraps a view of public, published content in the page cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        try:
            generation = _generation()
            key = _key(request, generation)
            entry = _cache_call("get", key)
        except CacheUnavailable:
            return view(request, *args, **kwargs)
        if entry is not None:
            return _from_entry(request, entry)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response = response.render()
        # Only complete, ordinary pages that set no cookie are shared: never errors, redirects or streams.
        if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
            return response
        content = response.content
        entry = {
            "content": content,
            "status": response.status_code,
            "content_type": response["Content-Type"],
            "etag": f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"',  # noqa: S324
            "last_modified": int(time.time()),
        }
        try:
            _cache_call("set", key, entry, settings.PUBLIC_PAGE_CACHE_SECONDS)
        except CacheUnavailable:
            return response
        conditional = get_conditional_response(request, etag=entry["etag"], last_modified=entry["last_modified"])
        if conditional is not None:
            response = conditional
        _public_headers(response, entry["etag"], entry["last_modified"])
        response["X-Page-Cache"] = "miss"
        return response

    return wrapper
