"""Public routes, mounted at the site root before Wagtail's catch-all."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path, re_path, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.views import sitemap

from cms import routing
from cms.public_address import absolute_url

from . import exports
from .api import api_router
from .cache import cached_page
from .feeds import PublishedReportsFeed
from .sitemaps import SECTION_URL_NAME, SITEMAPS, sitemap_index
from .views import serve_report


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {absolute_url(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


public = cache_control(public=True, max_age=settings.PUBLIC_PAGE_CACHE_SECONDS)

urlpatterns = [
    path("reports/export.csv", require_safe(public(exports.export_csv)), name="reports_export_csv"),
    path("reports/export.json", require_safe(public(exports.export_json)), name="reports_export_json"),
    path("reports/feed/", cached_page(PublishedReportsFeed()), name="reports_feed"),
    path("sitemap.xml", cached_page(sitemap_index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("sitemap-<section>.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name=SECTION_URL_NAME),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/v2/", api_router.urls),
    # The reports list and the report pages, through the page cache.
    re_path(r"^reports/(?P<slug>[\w\-]+)/$", cached_page(serve_report), name="public_report"),
    re_path(r"^(reports/(?:[\w\-]+/)*)$", cached_page(routing.serve), name="public_reports"),
]
