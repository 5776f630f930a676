"""The Service Assessment Plus team's pages: the challenged reports with the team's reasons, and recording the
changes agreed with the panel, which sends the report back to be checked and shared again."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from workflow import permissions, selectors
from workflow.forms.responses import ResolveChallengeForm
from workflow.transitions import ReportTransition

from .common import get_report_for, may_make_now, perform_transition, shown_status


def _may_resolve(user, report) -> bool:
    # get_report_for asks about a person and a report; this rule is about the person alone.
    return permissions.is_plus_team(user)


@login_required
@require_GET
def dashboard(request):
    if not permissions.is_plus_team(request.user):
        raise PermissionDenied
    return render(request, "workflow/plus/dashboard.html", {"rows": selectors.challenged_reports()})


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, report_id: str):
    report = get_report_for(request.user, report_id, may=_may_resolve)
    can_resolve = may_make_now(request.user, report, ReportTransition.RESOLVE)
    if request.method == "POST":
        form = ResolveChallengeForm(request.POST)
        if not can_resolve:
            # The page has no form to show errors against now (a colleague acted first): the transition says why.
            perform_transition(
                request, report, ReportTransition.RESOLVE, comment=request.POST.get("agreed_changes", "")
            )
            return redirect("plus:report", report_id=report.pk)
        if form.is_valid():
            if perform_transition(
                request, report, ReportTransition.RESOLVE, comment=form.cleaned_data["agreed_changes"]
            ):
                # The report has left this team's queue: back to what is still to do.
                return redirect("plus:dashboard")
            return redirect("plus:report", report_id=report.pk)
    else:
        form = ResolveChallengeForm()
    return render(
        request,
        "workflow/plus/report.html",
        {
            "report": selectors.with_ratings(report),
            "challenge": selectors.latest_challenge(report),
            "history": selectors.status_changes(report),
            # The panel's comments, to read.
            "comments": selectors.comment_threads(report)
            if permissions.may_read_comments(request.user, report)
            else None,
            "can_resolve": can_resolve,
            "form": form,
            # This page shows the status itself; shown again after an error, it keeps the one first shown.
            "from_status": shown_status(request, report) if request.method == "POST" else report.status,
        },
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("reports/<row_id:report_id>/", report_detail, name="report"),
]
