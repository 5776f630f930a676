"""Which Wagtail Site answers a request, without a query on every request.

Wagtail finds the Site for each request with a query (`Site.find_for_request`), and every public page needs it: it
was about a fifth of an uncached guidance page's time. Sites change only when the team edits one in the admin (or
`migrate` sets the default Site's address), so the Sites and their root pages are kept in the shared "pages" cache
(Redis in production, so that an edit on one machine reaches all), and `SiteForRequest` hands each request its Site
the way Wagtail's own matching would. Saving or deleting a Site, or a root page, forgets them; the timeout bounds a
change made without signals. When the cache fails, the Sites are read from the database."""

from django.http.request import split_domain_port
from wagtail.models import Page, Site

from . import shared_cache

SITES_KEY = "cms:sites"

# Wagtail's order of preference (wagtail.models.sites.get_site_for_hostname).
_HOSTNAME_AND_PORT, _HOSTNAME_AND_DEFAULT, _DEFAULT, _HOSTNAME = range(4)


def forget(**kwargs) -> None:
    shared_cache.forget(SITES_KEY)


def forget_when_a_site_changes(sender, instance=None, **kwargs) -> None:
    # A root page's own row changing (moved, deleted, republished) changes the Site that holds it.
    if isinstance(instance, Site) or (
        isinstance(instance, Page) and instance.depth is not None and instance.depth <= 2
    ):
        forget()


def _sites() -> list[Site]:
    return shared_cache.read_through(SITES_KEY, lambda: list(Site.objects.select_related("root_page").order_by("pk")))


def site_for(hostname: str, port: int | None) -> Site | None:
    """The Site Wagtail's `get_site_for_hostname` would choose, or None where it finds none."""

    def match(site: Site) -> int:
        if site.hostname == hostname:
            if site.port == port:
                return _HOSTNAME_AND_PORT
            return _HOSTNAME_AND_DEFAULT if site.is_default_site else _HOSTNAME
        return _DEFAULT

    candidates = sorted((s for s in _sites() if s.hostname == hostname or s.is_default_site), key=match)
    if not candidates:
        return None
    if len(candidates) == 1 or match(candidates[0]) in (_HOSTNAME_AND_PORT, _HOSTNAME_AND_DEFAULT):
        return candidates[0]
    if match(candidates[0]) == _DEFAULT:
        # The default Site with another hostname: a single Site with this hostname (on another port) is preferred.
        return candidates[len(candidates) == 2]
    return None


class SiteForRequest:
    """Sets the request's Site (which Wagtail's `Site.find_for_request` then returns) from the cached Sites."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # As Wagtail does: the raw host, so that ALLOWED_HOSTS is checked where Django checks it, not here.
        hostname = split_domain_port(request._get_raw_host())[0]
        try:
            port = int(request.get_port())
        except ValueError:  # a forwarded port that is not a number matches no Site's port
            port = None
        request._wagtail_site = site_for(hostname, port)
        return self.get_response(request)
