"""Finding the page at an address in one query, where Wagtail's routing takes one or two per level.

Wagtail routes `/reports/` from the site's root page down, a level at a time: the root page's specific page, then
the child with the next slug and its specific page (`Page.route`), three queries for a page below the home page
and two more per level. Wagtail keeps each page's full address as `url_path`, so the page at an address is the live
page with that `url_path` (and that last slug, which is indexed). `serve` reads it in one query of its own model, whose
content type the shared cache remembers by address, then hands it to Wagtail's `serve` as Wagtail's own routing
would have found it (`Page.route_for_request` keeps its answer on the request), so the same hooks, view restrictions
among them, and `page.serve()` follow.

Nothing here needs forgetting: a remembered content type is only a hint. If no page of that type is at the address
any more, the hint is dropped and Wagtail's own routing answers, as it does for everything this does not place:
the root page, a page not live, an address nothing is at, and every address if a page model routes its own
sub-addresses (`route` overridden) or pages are translated, which addresses alone cannot see."""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail import views as wagtail_views
from wagtail.models import Page, Site, get_page_models
from wagtail.url_routing import RouteResult

from . import shared_cache


def serve(request, path):
    """Wagtail's `serve` view, with the page found by its address."""
    return serve_page(request, path, live_page_at(request, path))


def serve_page(request, path, page: Page | None):
    """Serves `page`, found at `path` by the caller, exactly as Wagtail's `serve` would have once its routing found
    it: the same hooks (view restrictions among them), then `page.serve()`. With None, Wagtail's routing decides."""
    if page is not None and not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = RouteResult(page)
    return wagtail_views.serve(request, path)


@cache
def _addresses_are_enough() -> bool:
    # A page model with its own `route` answers sub-addresses no page has; with translations, Wagtail routes from the
    # root page in the request's language, which an address alone does not give.
    return not settings.WAGTAIL_I18N_ENABLED and all(model.route is Page.route for model in get_page_models())


def live_page_at(request, path: str) -> Page | None:
    """The live page, as its own model, at `path` below the request's site root, or None where Wagtail's routing
    should decide."""
    slugs = [slug for slug in path.split("/") if slug]
    site = Site.find_for_request(request)
    if not slugs or site is None or not _addresses_are_enough():
        return None
    url_path = f"{site.root_page.url_path}{'/'.join(slugs)}/"
    # Hashed: an address can be longer than a cache key may be (memcached's 250 characters, which Django warns of).
    key = f"cms:route:{hashlib.sha256(url_path.encode()).hexdigest()}"
    content_type_id = shared_cache.read_through(key, lambda: _content_type_at(slugs[-1], url_path))
    if content_type_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    # By slug as well, which is indexed (url_path is not).
    page = model.objects.filter(slug=slugs[-1], url_path=url_path).first() if model else None
    if page is None:
        shared_cache.forget(key)
        return None
    return page if page.live else None


def _content_type_at(slug: str, url_path: str) -> int | None:
    return Page.objects.filter(slug=slug, url_path=url_path).values_list("content_type_id", flat=True).first()
