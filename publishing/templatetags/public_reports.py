"""What a published report page shows beyond the page itself, in a fixed number of queries."""

from dataclasses import dataclass

from django import template

from workflow.models import Assessment, ReportPage

from .. import selectors

register = template.Library()


@dataclass(frozen=True)
class PublicReport:
    points: list[selectors.PublicPoint]
    previous_reports: list[selectors.PreviousReport]
    index_url: str
    index_title: str
    # After publishing: the change notes, newest first, and the reason a withdrawn report was withdrawn.
    change_notes: list[selectors.ChangeNote]
    withdrawal_reason: str


@register.simple_tag(takes_context=True)
def public_report(context, page) -> PublicReport:
    """Loads what the report page shows beyond the page: its assessment, service and department (unless the
    page came with them), its points with their actions (one query), the service's earlier published reports
    (one query), and the reports list it sits in, for the breadcrumbs (no query when `serve_report` found the
    page, since it brings the list's title along)."""
    loaded = getattr(page, "_public_report", None)
    if loaded is None:  # the title and the body both ask
        request = context.get("request")
        if not ReportPage.assessment.is_cached(page) or not Assessment.service.is_cached(page.assessment):
            page.assessment = Assessment.objects.select_related("service__department", "type", "standard").get(
                pk=page.assessment_id
            )
        index_title = getattr(page, "index_title", None) or page.get_parent().title
        loaded = page._public_report = PublicReport(
            points=selectors.report_points(page),
            previous_reports=selectors.previous_reports(page, request),
            index_url=selectors.reports_index_url(page, request),
            index_title=index_title,
            change_notes=selectors.change_notes(page),
            withdrawal_reason=page.withdrawal_reason if page.is_withdrawn else "",
        )
    return loaded
