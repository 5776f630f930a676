"""What a published report page shows beyond the page itself, in a fixed number of queries."""

from dataclasses import dataclass

from django import template

from workflow.models import Assessment

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
    # The assessment's stage ("Alpha reassessment") and the standard it was assessed against.
    stage_label: str
    stage_name: str
    standard_name: str
    standard_version: str


@register.simple_tag(takes_context=True)
def public_report(context, page) -> PublicReport:
    """Loads what the report page shows beyond the page: its assessment, service and department (unless the
    page came with them), its points with their actions (one query), the service's earlier published reports
    (one query), and the reports list it sits in, for the breadcrumbs. `serve_report` brings the list's title, the
    stage's words and the standard along with the page; a page that came another way (Wagtail's routing, a
    preview) has them read here."""
    loaded = getattr(page, "_public_report", None)
    if loaded is None:  # the title and the body both ask
        request = context.get("request")
        if hasattr(page, "standard_name"):
            stage_suffix, standard_name, standard_version = page.stage_suffix, page.standard_name, page.standard_version
        else:
            page.assessment = Assessment.objects.select_related("service__department", "type", "standard").get(
                pk=page.assessment_id
            )
            stage_suffix = page.assessment.type.stage_suffix
            standard_name, standard_version = page.assessment.standard.name, page.assessment.standard.version
        index_title = getattr(page, "index_title", None) or page.get_parent().title
        phase = page.assessment.phase
        loaded = page._public_report = PublicReport(
            points=selectors.report_points(page),
            previous_reports=selectors.previous_reports(page, request),
            index_url=selectors.reports_index_url(page, request),
            index_title=index_title,
            change_notes=selectors.change_notes(page),
            withdrawal_reason=page.withdrawal_reason if page.is_withdrawn else "",
            stage_label=Assessment.label_stage(phase, stage_suffix),
            stage_name=Assessment.name_stage(phase, stage_suffix),
            standard_name=standard_name,
            standard_version=standard_version,
        )
    return loaded
