"""What every signed-in page of the report process shares: finding a report the person may see, turning
a refused transition into a message, and sending people to their own dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path

from workflow import permissions
from workflow.models import ReportPage, ReportStatus
from workflow.services.transitions import (
    TransitionRefused,
    allowed_transitions,
    refusal_reasons,
    report_transition,
    status_changed_reason,
)
from workflow.transitions import TRANSITIONS, ReportTransition

# Every transition form posts the status its page showed (templates/workflow/includes/from_status.html), so that a
# transition made on a page someone else has since overtaken is refused rather than made from the new status. A
# post without it (a page older than the field, a hand-made request) is not checked: the transition's own rules
# still apply.
FROM_STATUS = "from_status"


def get_report_for(user, report_id: int, *, may=permissions.can_view_report, others_not_found=False) -> ReportPage:
    """The report, if this person may see it. A report they have no link to is "not found" rather than
    "forbidden", so that nobody learns which reports exist. Someone who sees the report but may not do what the page
    does is "forbidden", or with `others_not_found` (the pages of the conversation around a report: questions,
    meetings) "not found" too, as the page is not theirs to know of."""
    report = (
        ReportPage.objects.select_related("assessment__service__department", "assessment__type")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not permissions.can_view_report(user, report):
        raise Http404("No such report")
    if not may(user, report):
        if others_not_found:
            raise Http404("No such page")
        raise PermissionDenied
    return report


def shown_status(request, report: ReportPage) -> str:
    """The status the person's page showed, for a transition form to post: on a POST, what the page posted (a form
    shown again keeps the status first shown); on a form page reached from the report (`?from_status=`), what the
    report page showed; otherwise the status now."""
    data = request.POST if request.method == "POST" else request.GET
    return data.get(FROM_STATUS) or report.status


def status_changed_since_shown(request, report: ReportPage) -> bool:
    """On a GET of a transition's form page: when the report's status is no longer the one the report page showed,
    say so rather than offer a form whose answer would be refused, and return True."""
    reason = status_changed_reason(report, request.GET.get(FROM_STATUS) or None, request.user)
    if reason:
        messages.error(request, reason)
    return reason is not None


# The accept page says whether accepting publishes the report, and posts what it said ("yes" or "no").
CONFIDENTIAL_SHOWN = "confidential_shown"


def may_make_now(user, report: ReportPage, name: ReportTransition) -> bool:
    """Whether the page offers this transition: the person may make it and the report's status allows it."""
    return any(transition.name == name for transition in allowed_transitions(report, user))


def refused_now(request, report: ReportPage, name: ReportTransition) -> bool:
    """On a GET of a transition's confirmation or form page: when the report can no longer take this step (a
    colleague acted first), say why and return True, rather than offer a button that can only fail. Callers have
    already checked the person's role, so only the status stands in the way, and refusal_reasons names it first."""
    if status_changed_since_shown(request, report):
        return True
    if may_make_now(request.user, report, name):
        return False
    messages.error(request, refusal_reasons(report, TRANSITIONS[name])[0])
    return True


def perform_transition(request, report: ReportPage, name: ReportTransition, *, comment: str = "") -> bool:
    """Runs a transition for a view, refused if the report's status is no longer the one the person's page showed
    (the posted `from_status`). On success adds a confirmation message and returns True; when refused, adds each
    reason as an error message and returns False. Permission failures propagate as 403."""
    try:
        changed = report_transition(
            report=report,
            name=name,
            user=request.user,
            comment=comment,
            expected_status=request.POST.get(FROM_STATUS) or None,
            expected_confidential={"yes": True, "no": False}.get(request.POST.get(CONFIDENTIAL_SHOWN, "")),
        )
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        return False
    transition = TRANSITIONS[name]
    published = changed.status == ReportStatus.PUBLISHED
    said = [f"The report for {report.title} has been {transition.done_for(published=published)}."]
    if transition.done_unpublished and not published:
        said += refusal_reasons(changed, TRANSITIONS[ReportTransition.PUBLISH])
    messages.success(request, " ".join(said))
    return True


@login_required
def dashboard(request):
    """Sends each person to the dashboard of their role; someone with several roles chooses."""
    user = request.user
    choices = []
    if permissions.is_assessment_team(user):
        choices.append(("Reports to check and share", "assessment_team:dashboard"))
    if permissions.is_plus_team(user):
        choices.append(("Challenged reports", "plus:dashboard"))
    if permissions.is_assessor(user):
        choices.append(("Your assessments", "assessor:dashboard"))
    if permissions.is_delivery_team_member(user):
        choices.append(("Your service's reports", "delivery:dashboard"))
    if len(choices) == 1:
        return redirect(choices[0][1])
    return render(request, "workflow/dashboard_choice.html", {"choices": choices})


urlpatterns = [path("", dashboard, name="dashboard")]
