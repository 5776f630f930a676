from wagtail.contrib.sitemaps import Sitemap

from workflow.models import ReportPage, ReportStatus


class PublicSitemap(Sitemap):
    """Wagtail's sitemap (live, public pages), less any report that is live but not published."""

    def items(self):
        return super().items().exclude(id__in=ReportPage.objects.exclude(status=ReportStatus.PUBLISHED).values("id"))
