"""The Service Assessment Plus team's pages: the challenged reports with the team's reasons, arranging the meeting
with the panel and the delivery team, and recording what was decided and the changes agreed, which sends the report
back to be checked and shared again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from workflow import changes, permissions, selectors
from workflow.forms.challenges import MeetingForm
from workflow.forms.responses import ResolveChallengeForm
from workflow.models import ReportStatus
from workflow.services import challenges
from workflow.services.transitions import TransitionRefused
from workflow.transitions import TRANSITIONS, ReportTransition

from .common import FROM_STATUS, get_report_for, may_make_now, shown_status


def _may_resolve(user, report) -> bool:
    # get_report_for asks about a person and a report; this rule is about the person alone.
    return permissions.is_plus_team(user)


@login_required
@require_GET
def dashboard(request):
    if not permissions.is_plus_team(request.user):
        raise PermissionDenied
    return render(request, "workflow/plus/dashboard.html", {"rows": selectors.challenged_reports()})


def _resolve(request, report, outcome: str, agreed_changes: str) -> bool:
    """Records the outcome and resolves; says what happened, as perform_transition does."""
    try:
        challenges.challenge_resolve(
            report=report,
            user=request.user,
            outcome=outcome,
            agreed_changes=agreed_changes,
            expected_status=request.POST.get(FROM_STATUS) or None,
        )
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        return False
    done = TRANSITIONS[ReportTransition.RESOLVE].done
    messages.success(request, f"The report for {report.title} has been {done}. The delivery team has been emailed.")
    return True


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, report_id: str):
    report = get_report_for(request.user, report_id, may=_may_resolve)
    can_resolve = may_make_now(request.user, report, ReportTransition.RESOLVE)
    if request.method == "POST":
        form = ResolveChallengeForm(request.POST)
        if not can_resolve:
            # The page has no form to show errors against now (a colleague acted first): the transition says why.
            _resolve(request, report, request.POST.get("outcome", ""), request.POST.get("agreed_changes", ""))
            return redirect("plus:report", report_id=report.pk)
        if form.is_valid():
            if _resolve(request, report, form.cleaned_data["outcome"], form.cleaned_data["agreed_changes"]):
                # The report has left this team's queue: back to what is still to do.
                return redirect("plus:dashboard")
            return redirect("plus:report", report_id=report.pk)
    else:
        form = ResolveChallengeForm()
    threads = selectors.challenge_threads(report)
    latest = threads[-1] if threads else None
    standing = latest if latest and report.status == ReportStatus.CHALLENGED else None
    return render(
        request,
        "workflow/plus/report.html",
        {
            "report": selectors.with_ratings(report),
            "challenge": latest.challenge if latest else None,
            "meeting": standing.meeting if standing else None,
            "threads": threads,
            # What the panel changed since the challenge, read before recording the outcome.
            "changes": changes.since(report, standing.challenge.at) if standing and can_resolve else None,
            "history": selectors.status_changes(report),
            # The panel's comments, to read.
            "comments": selectors.comment_threads(report)
            if permissions.may_read_comments(request.user, report)
            else None,
            "can_resolve": can_resolve,
            "can_arrange": report.status == ReportStatus.CHALLENGED,
            "form": form,
            # This page shows the status itself; shown again after an error, it keeps the one first shown.
            "from_status": shown_status(request, report) if request.method == "POST" else report.status,
        },
    )


def _people(report) -> list[tuple[int, str]]:
    panel_roles = {seat.user_id: seat.get_role_display() for seat in report.assessment.panel_members.all()}
    team_roles = {seat.user_id: seat.get_role_display() for seat in report.assessment.service.team_members.all()}
    return [
        (
            person.pk,
            f"{person.get_full_name() or person.get_username()}, "
            f"{panel_roles.get(person.pk) or team_roles.get(person.pk)}",
        )
        for person in challenges.invitable(report)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request, report_id: str):
    report = get_report_for(request.user, report_id, may=_may_resolve, others_not_found=True)
    if report.status != ReportStatus.CHALLENGED:
        messages.error(
            request, f"This report is {report.get_status_display().lower()}, so it has no meeting to arrange."
        )
        return redirect("plus:report", report_id=report.pk)
    existing = selectors.challenge_meeting(report)
    people = _people(report)
    if request.method == "POST":
        form = MeetingForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if existing is None:
                    challenges.meeting_arrange(
                        report=report,
                        user=request.user,
                        starts_at=data["starts_at"],
                        place=data["place"],
                        attendee_ids=data["attendees"],
                    )
                    messages.success(request, "The meeting has been arranged. Each person invited has been emailed.")
                else:
                    challenges.meeting_change(
                        report=report,
                        user=request.user,
                        version=data["version"] if data["version"] is not None else -1,
                        starts_at=data["starts_at"],
                        place=data["place"],
                        attendee_ids=data["attendees"],
                    )
                    messages.success(request, "The meeting has been changed. Everyone invited has been emailed.")
                return redirect("plus:report", report_id=report.pk)
            except challenges.MeetingRefused as refused:
                for reason in refused.reasons:
                    form.add_error(None, reason)
                existing = selectors.challenge_meeting(report)
                if existing is not None and reason == challenges.MEETING_CHANGED_SINCE:
                    # What they typed stays; sent again once they have read the meeting as it is now, it counts.
                    form.data = form.data.copy()
                    form.data["version"] = str(existing.version)
    elif existing is not None:
        local = timezone.localtime(existing.starts_at)
        form = MeetingForm(
            people=people,
            initial={
                "date": local.date(),
                "time": f"{local:%H:%M}",
                "place": existing.place,
                "attendees": [person.pk for person in existing.attendees.all()],
                "version": existing.version,
            },
        )
    else:
        form = MeetingForm(people=people, initial={"version": 0})
    return render(request, "workflow/plus/meeting.html", {"report": report, "form": form, "meeting": existing})


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("reports/<row_id:report_id>/", report_detail, name="report"),
    path("reports/<row_id:report_id>/meeting/", meeting, name="meeting"),
]
