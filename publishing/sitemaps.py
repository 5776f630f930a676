"""The sitemap: an index at /sitemap.xml (robots.txt names it) and its pages at /sitemap-<section>.xml?p=N, at most
50,000 addresses each, as the sitemaps protocol allows (Django's index and section views with Wagtail's sitemap).

Each page is one slice of the pages in path order, read in a fixed number of queries whatever the number of
reports, and the index counts them; neither holds more than a page's addresses."""

from django.db.models import Max
from django.db.models.functions import Coalesce
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as sitemap_views

from cms.public_address import rebased
from workflow.models import ReportPage, ReportStatus

SECTION_URL_NAME = "sitemap_section"


class PublicSitemap(Sitemap):
    """Wagtail's sitemap (live, public pages), less any report that is live but not published."""

    limit = 50_000

    def items(self):
        # Wagtail's own items are `.specific()`, which reads each page a second time from its own table, a query
        # per page type per chunk, only to write the address and date every Page row has. No page type here
        # changes its sitemap entry (get_sitemap_urls) or its address (get_url_parts).
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .exclude(id__in=ReportPage.objects.exclude(status=ReportStatus.PUBLISHED).values("id"))
            .order_by("path")
            .only("id", "path", "depth", "url_path", "last_published_at", "latest_revision_created_at")
        )

    def get_latest_lastmod(self):
        # Django's would call lastmod() on every item; the index needs only the latest, which one query gives.
        return self.items().aggregate(latest=Max(Coalesce("last_published_at", "latest_revision_created_at")))["latest"]

    def _urls(self, page, protocol, domain):
        # Wagtail writes each page's full URL from the Site or the request's host; search engines must be given
        # the public address, which is BASE_URL.
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = rebased(url["location"])
        return urls


SITEMAPS = {"pages": PublicSitemap}


def sitemap_index(request, sitemaps):
    """Django's sitemap index, with its pages' addresses at BASE_URL (Django writes them from the request's host)."""
    response = sitemap_views.index(request, sitemaps, sitemap_url_name=SECTION_URL_NAME)
    for item in response.context_data["sitemaps"]:
        item.location = rebased(item.location)
    return response
