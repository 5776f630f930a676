"""What a published report page shows beyond the page itself, in a fixed number of queries."""

from django import template
from django.db.models import Prefetch, prefetch_related_objects

from workflow.models import Assessment, PointRating, ReportAction, ReportPage

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def public_report(context, page):
    """Loads the report's assessment, service and department (one query) and its points with their actions
    (two queries) onto `page`, so the report body reads them without a query per point. Returns the service's
    earlier published reports, newest first (one query)."""
    if not getattr(page, "_public_report_loaded", False):  # the title and the body both ask
        if not ReportPage.assessment.is_cached(page) or not Assessment.service.is_cached(page.assessment):
            page.assessment = Assessment.objects.select_related("service__department").get(pk=page.assessment_id)
        prefetch_related_objects(
            [page],
            Prefetch(
                "ratings",
                queryset=PointRating.objects.order_by("number").prefetch_related(
                    Prefetch("actions", queryset=ReportAction.objects.order_by("created_at", "pk"))
                ),
            ),
        )
        page._public_report_loaded = True
        page._previous_reports = selectors.previous_reports(page, context.get("request"))
    return page._previous_reports
