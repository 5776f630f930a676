"""A report's status as a GOV.UK tag: one status, one colour, on every page of the service and in the admin.

    {% load report_status %}{% status_tag report %}            the status's own words
    {% status_tag report "Waiting for your response" %}        other words, the same colour

The admin's Reports list takes its colours from `STATUS_TAG_COLOURS` too; ratings have theirs in cms/templatetags/govuk.py."""

from django import template
from django.utils.html import format_html

from workflow.models.choices import ReportStatus

register = template.Library()

# GOV.UK Frontend tag modifiers (govuk-tag--<colour>).
STATUS_TAG_COLOURS = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.SUBMITTED: "purple",
    ReportStatus.CHECKED: "teal",
    ReportStatus.SHARED: "blue",
    ReportStatus.CHALLENGED: "orange",
    ReportStatus.ACCEPTED: "green",
    ReportStatus.PUBLISHED: "green",
    ReportStatus.WITHDRAWN: "magenta",
}


def status_colour(status) -> str:
    return STATUS_TAG_COLOURS.get(status, "grey")


@register.simple_tag
def status_tag(report, label=""):
    status = report.status
    words = label or (ReportStatus(status).label if status in ReportStatus.values else str(status))
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', status_colour(status), words)
