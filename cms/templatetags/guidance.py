"""Links to pages the team edits in the CMS (guidance, the footer's pages), found by where they sit under the home
page. A page that is unpublished, deleted or behind a view restriction gives "" rather than a link, so templates
can leave the link out instead of sending people to a "page not found"."""

import logging

from django import template
from django.core.cache import caches
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site

from cms.models import GuidancePage

register = template.Library()

GUIDANCE_INDEX_SLUG = "guidance"
_REQUEST_ATTRIBUTE = "_cms_live_content_urls"
# Every public page's header and footer asks for these links, so they are kept in the shared "pages" cache (Redis
# in production) rather than queried on each request; `forget_content_urls` drops them whenever a page is
# published, unpublished, moved or deleted, or a view restriction changes. The timeout bounds how long a
# request that read the pages just before such a change can keep its outdated links cached.
_CACHE_ALIAS = "pages"
_CACHE_KEY = "cms:live-content-urls"
_CACHE_SECONDS = 300

logger = logging.getLogger(__name__)


def _live_content_urls() -> dict[str, str]:
    """Every live, public guidance page's URL, keyed by its path under the home page ("guidance/cookies/"). One
    query: pages are few, and a template may ask for several links."""
    root_paths = [root.root_path for root in Site.get_site_root_paths()]
    restricted = PageViewRestriction.objects.annotate(length=Length("page__path")).filter(
        page__path=Substr(OuterRef("path"), 1, F("length"))
    )
    urls = {}
    for url_path in (
        GuidancePage.objects.live().filter(~Exists(restricted)).values_list("url_path", flat=True).order_by("path")
    ):
        root = next((root for root in root_paths if url_path.startswith(root)), None)
        if root is not None:
            urls.setdefault(url_path[len(root) :], "/" + url_path[len(root) :])
    return urls


def content_page_url(request, path: str) -> str:
    """The URL of the live page at `path` under the home page ("privacy-notice/"), or "". Asked once per request.
    Without a request (the 500 and 503 pages, rendered when the database may have gone away) there is no link."""
    if request is None:
        return ""
    urls = getattr(request, _REQUEST_ATTRIBUTE, None)
    if urls is None:
        urls = _cached_live_content_urls()
        setattr(request, _REQUEST_ATTRIBUTE, urls)
    return urls.get(path, "")


def _cached_live_content_urls() -> dict[str, str]:
    # Keyed by the sites' root paths too, so a site moved to another root page never gets the old links.
    root_paths = [(root.site_id, root.root_path) for root in Site.get_site_root_paths()]
    try:
        cached = caches[_CACHE_ALIAS].get(_CACHE_KEY)
    except Exception as error:  # the cache is an optimisation: without it, the links come from the database
        logger.warning("Content URL cache unavailable: %s", error)
        return _live_content_urls()
    if cached is not None and cached[0] == root_paths:
        return cached[1]
    urls = _live_content_urls()
    try:
        caches[_CACHE_ALIAS].set(_CACHE_KEY, (root_paths, urls), _CACHE_SECONDS)
    except Exception as error:
        logger.warning("Content URL cache unavailable: %s", error)
    return urls


def _forget() -> None:
    try:
        caches[_CACHE_ALIAS].delete(_CACHE_KEY)
    except Exception as error:
        logger.warning("Content URL cache unavailable: %s", error)


def forget_content_urls(**kwargs) -> None:
    """Signal receiver: now, and again once the change commits, since a request between the two could cache the
    links as they were."""
    if kwargs.get("signal") in (post_save, post_delete) and not isinstance(
        kwargs.get("instance"), Page | PageViewRestriction
    ):
        return
    _forget()
    transaction.on_commit(_forget, robust=True)


@register.simple_tag(takes_context=True)
def guidance_url(context, slug: str) -> str:
    """`{% guidance_url "writing-an-assessment-report" as url %}`: the live guidance page at /guidance/<slug>/, or
    "" when there is none."""
    return content_page_url(context.get("request"), f"{GUIDANCE_INDEX_SLUG}/{slug}/")


@register.simple_tag(takes_context=True)
def content_url(context, slug: str) -> str:
    """`{% content_url "cookies" as url %}`: the live page at /<slug>/ under the home page, or "" when there is
    none."""
    return content_page_url(context.get("request"), f"{slug}/")


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page) -> list[Page]:
    """The pages above `page` that its breadcrumbs link to, the home page first. A page directly under the site's home
    page, as most are, has only the home page above it, which the request's Site already holds: no query for the
    ancestors (a tenth of a guidance page's time)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    root = site.root_page if site is not None else None
    if root is not None and page.depth == root.depth + 1 and page.path.startswith(root.path):
        return [root]
    return list(page.get_ancestors()[1:])
