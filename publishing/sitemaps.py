from wagtail.contrib.sitemaps import Sitemap

from cms.public_address import rebased
from workflow.models import ReportPage, ReportStatus


class PublicSitemap(Sitemap):
    """Wagtail's sitemap (live, public pages), less any report that is live but not published."""

    def items(self):
        return super().items().exclude(id__in=ReportPage.objects.exclude(status=ReportStatus.PUBLISHED).values("id"))

    def _urls(self, page, protocol, domain):
        # Wagtail writes each page's full URL from the Site or the request's host; search engines must be given
        # the public address, which is BASE_URL.
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = rebased(url["location"])
        return urls
