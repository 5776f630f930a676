"""The delivery team's pages: their services' reports once shared with them, the actions still open, and,
for the product and delivery managers, accepting or challenging a shared report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from workflow import permissions, selectors
from workflow.forms.clarifications import QuestionForm
from workflow.forms.responses import ChallengeForm
from workflow.models import ReportStatus
from workflow.services.clarifications import ClarificationRefused, clarification_ask
from workflow.services.transitions import allowed_transitions
from workflow.transitions import ReportTransition

from . import actions, follow_ups
from .common import get_report_for, perform_transition, refused_now, shown_status


@login_required
@require_GET
def dashboard(request):
    if not permissions.is_delivery_team_member(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "workflow/delivery/dashboard.html",
        {
            "rows": selectors.reports_for_delivery_team(request.user, today=today),
            "actions": selectors.open_actions_for_delivery_team(request.user, today=today),
            # A report resolved after a challenge is listed while it is checked again, but opens once shared again.
            "row_linked_statuses": permissions.TEAM_SEES_FROM,
        },
    )


@login_required
@require_GET
def report_detail(request, report_id: str):
    report = get_report_for(request.user, report_id, may=permissions.is_on_delivery_team)
    allowed = {transition.name for transition in allowed_transitions(report, request.user)}
    threads = selectors.challenge_threads(report)
    # The challenge the report is under now, if any: the latest, while the report is challenged.
    challenge = threads[-1].challenge if threads and report.status == ReportStatus.CHALLENGED else None
    return render(
        request,
        "workflow/delivery/report.html",
        {
            "report": selectors.with_ratings(report),
            "deadline": selectors.response_deadline(report, today=timezone.localdate()),
            "challenge": challenge,
            "challenge_standing": selectors.challenge_standing(report, challenge),
            "challenge_threads": threads,
            "can_accept": ReportTransition.ACCEPT in allowed,
            "can_challenge": ReportTransition.CHALLENGE in allowed,
            **follow_ups.delivery_context(request.user, report),
            **actions.delivery_context(request.user, report),
            **_questions(request.user, report),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accept(request, report_id: str):
    report = get_report_for(request.user, report_id, may=permissions.is_responder)
    if request.method == "POST":
        perform_transition(request, report, ReportTransition.ACCEPT)
        return redirect("delivery:report", report_id=report.pk)
    if refused_now(request, report, ReportTransition.ACCEPT):
        return redirect("delivery:report", report_id=report.pk)
    return render(
        request, "workflow/delivery/accept.html", {"report": report, "from_status": shown_status(request, report)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge(request, report_id: str):
    report = get_report_for(request.user, report_id, may=permissions.is_responder)
    if request.method == "POST":
        form = ChallengeForm(request.POST)
        if form.is_valid():
            perform_transition(request, report, ReportTransition.CHALLENGE, comment=form.cleaned_data["reasons"])
            return redirect("delivery:report", report_id=report.pk)
    else:
        if refused_now(request, report, ReportTransition.CHALLENGE):
            return redirect("delivery:report", report_id=report.pk)
        form = ChallengeForm()
    return render(
        request,
        "workflow/delivery/challenge.html",
        {"report": report, "form": form, "from_status": shown_status(request, report)},
    )


# --- questions about a shared report (clarification without a challenge) -------------------------------------


def _questions(user, report) -> dict:
    return {
        "clarifications": selectors.clarifications(report),
        "can_ask_question": permissions.may_ask_clarification(user, report),
    }


@login_required
@require_http_methods(["GET", "POST"])
def ask_question(request, report_id: str):
    report = get_report_for(request.user, report_id, may=permissions.is_responder, others_not_found=True)
    ratings = report.ratings.order_by("number")
    if request.method == "POST":
        form = QuestionForm(request.POST, ratings=ratings)
        if form.is_valid():
            try:
                clarification_ask(
                    report=report, user=request.user, rating_id=form.rating_id, question=form.cleaned_data["question"]
                )
            except ClarificationRefused as refused:
                form.add_error(None, refused.reason)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    "Your question has been sent to the service assessment team. Your time to respond has stopped "
                    "until they answer it.",
                )
                return redirect("delivery:report", report_id=report.pk)
    else:
        if not permissions.may_ask_clarification(request.user, report):
            messages.error(request, "You can only ask a question while the report is shared with you for a response.")
            return redirect("delivery:report", report_id=report.pk)
        form = QuestionForm(ratings=ratings)
    return render(request, "workflow/delivery/question.html", {"report": report, "form": form})


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("reports/<row_id:report_id>/", report_detail, name="report"),
    path("reports/<row_id:report_id>/accept/", accept, name="accept"),
    path("reports/<row_id:report_id>/challenge/", challenge, name="challenge"),
    path("reports/<row_id:report_id>/follow-up/", follow_ups.ask, name="follow_up"),
    path("reports/<row_id:report_id>/question/", ask_question, name="ask_question"),
    path("reports/<row_id:report_id>/actions/<row_id:action_id>/", actions.record, name="action"),
]
