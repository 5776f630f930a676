from django.http import Http404
from wagtail import hooks

from workflow.models import ReportPage, ReportStatus


@hooks.register("before_serve_page")
def only_published_reports_are_served(page, request, serve_args, serve_kwargs):
    # A report is live only once published; should one ever be made live another way, the public still
    # must not see it until it is published.
    if isinstance(page, ReportPage) and page.status != ReportStatus.PUBLISHED:
        raise Http404
