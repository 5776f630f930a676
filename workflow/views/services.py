"""The service's record: every assessment of a service in order, the grid of its points' ratings, its open actions
and what must happen before its next booking. For its delivery team, its panels (a new panel reads it before the
assessment) and the two central teams; "not found" to everyone else."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from workflow import booking_rules, permissions, selectors
from workflow.models import ReportStatus, Service


def _report_link(request, column: selectors.RecordColumn, *, own_panels: set[int], on_team: bool) -> str:
    """The reader's own page for the report: the one their role reads it on, or the public page once published."""
    user, report = request.user, column.report
    if report is None or not column.visible:
        return ""
    if on_team:
        return reverse("delivery:report", args=[report.pk]) if report.status in permissions.TEAM_SEES_FROM else ""
    if permissions.is_assessment_team(user):
        return reverse("assessment_team:report", args=[report.pk])
    if permissions.is_assessor(user) and column.assessment.pk in own_panels:
        return reverse("assessor:report", args=[report.pk])
    if report.status == ReportStatus.PUBLISHED and report.live:
        return report.get_url(request=request)  # the site's root paths read once per request, not per report
    return ""


def _blocker_url_name(user, on_team: bool) -> str:
    """Which report page the reasons before the next booking link to: the team's, or the service assessment team's."""
    if on_team:
        return "delivery:report"
    return "assessment_team:report" if permissions.is_assessment_team(user) else ""


@login_required
@require_GET
def record(request, service_id: int):
    user = request.user
    service = Service.objects.select_related("department").filter(pk=service_id).first()
    if service is None or not permissions.may_read_service_record(user, service):
        raise Http404("No such service")
    service_record = selectors.service_record(service, user, today=timezone.localdate())
    on_team = permissions.is_on_service_team(user, service)
    for column in service_record.columns:
        column.link = _report_link(request, column, own_panels=service_record.own_panels, on_team=on_team)
    url_name = _blocker_url_name(user, on_team)
    standing = booking_rules.Standing(service_record.assessments)
    blockers = booking_rules.before_next_phase(service, standing=standing)
    return render(
        request,
        "workflow/services/record.html",
        {
            "service": service,
            "record": service_record,
            "blockers": [(blocker.words, blocker.link(url_name) if url_name else "") for blocker in blockers],
            "on_team": on_team,
        },
    )


urlpatterns = [
    path("<row_id:service_id>/", record, name="service"),
]
