"""The service's one public address, settings.BASE_URL, and everything that must agree with it.

Links in emails, the sitemap, the Atom feed and the API's URLs are built from BASE_URL, never from the host a
request happened to arrive on: behind a proxy, on a second host name or on a developer's other port,
that host is not where a reader can follow the link. The Wagtail Site's hostname and port are set from it on every
`migrate`, so Wagtail's own full URLs (page.full_url, the admin's "view live") agree too.
"""

import logging
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


def base_url() -> str:
    return settings.BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """BASE_URL followed by a path of this site ("/reports/")."""
    return base_url() + path


def rebased(url: str) -> str:
    """The same path, query and fragment at BASE_URL, whatever scheme and host `url` named."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


def page_url(page) -> str | None:
    """The page's public address, or None for a page that is not routable. The service has one Site, so the page's
    path within it is its path here."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    return rebased(parts[2])


def site_hostname_and_port(url: str | None = None) -> tuple[str, int]:
    url = url or base_url()
    parts = urlsplit(url)
    if not parts.hostname:
        # Every link in every email would be dead: better that `migrate` stops and says so.
        raise ValueError(f"BASE_URL must be an absolute address like https://example.gov.uk, not {url!r}")
    return parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme, 80)


def set_default_site_address(sender=None, apps=None, using="default", **kwargs) -> None:
    """post_migrate: the default Wagtail Site answers at BASE_URL's hostname and port; its root page is left alone.

    After every migration, so the Site that wagtailcore's and our own data migrations create is there already. It
    uses the migrated state's model (`apps`), which matches the tables even after a partial `migrate`; once the
    Site is right, it costs one query."""
    if apps is None:
        from django.apps import apps
    try:
        Site = apps.get_model("wagtailcore", "Site")
    except LookupError:
        return  # wagtailcore is not migrated (yet): nothing to set
    hostname, port = site_hostname_and_port()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return
    if Site.objects.using(using).filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        logger.warning(
            "Another Wagtail Site already answers at %s:%s; the default Site is left as it is", hostname, port
        )
        return
    Site.objects.using(using).filter(pk=site.pk).update(hostname=hostname, port=port)
    # An update through the migration state's model sends none of the real model's signals, which would have
    # cleared Wagtail's cached site root paths; a stale entry keeps the old address in this process.
    from wagtail.models import Site as WagtailSite

    WagtailSite.clear_site_root_paths_cache()
    from .sites import forget

    forget()
    logger.info("The default Wagtail Site now answers at %s:%s (BASE_URL)", hostname, port)
