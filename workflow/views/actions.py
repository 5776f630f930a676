"""The work on a report's actions once the delivery team has accepted it: each action's state and thread on the team's
report page, and the product or delivery manager's page to record progress and ask for a review
(workflow.views.delivery's URLs); the actions waiting for review with a form to review each, on the lead assessor's
(workflow.views.assessor's URLs) and the service assessment team's (workflow.views.assessment_team's) report pages.

Anyone else is told the page is "not found", as is everyone before the report is accepted."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from workflow import permissions, selectors
from workflow.forms.actions import ACCEPT, ActionProgressForm, ActionReviewForm
from workflow.models import ActionUpdateKind, ReportAction, ReportActionStatus
from workflow.services.actions import ActionRefused, action_record_progress, action_review

from .common import get_report_for

# Who reviews on each audience's pages (the people of `may_review_actions`, each on their own pages).
REVIEWERS = {
    "assessor": permissions.is_lead_assessor,
    "assessment_team": lambda user, report: permissions.is_assessment_team(user),
}


@dataclass(frozen=True)
class State:
    words: str
    kind: str  # its notice tag (cms.templatetags.govuk.NOTICE_TAG_COLOURS), which holds its colour


def _day(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def state_of(action: ReportAction) -> State:
    """An action's state in words, from its fields and its thread (prefetched)."""
    if action.status == ReportActionStatus.DONE:
        if action.closed_at and action.closed_by_report_id:
            return State(f"Closed on {_day(action.closed_at)} by a later report", "action-closed")
        if action.closed_at and action.closed_by_id:
            who = action.closed_by.get_full_name() or action.closed_by.get_username()
            return State(f"Closed on {_day(action.closed_at)} by {who}", "action-closed")
        return State("Closed", "action-closed")
    if action.ready_for_review_at is not None:
        return State("Ready for review", "action-ready")
    updates = list(action.updates.all())
    if updates and updates[-1].kind == ActionUpdateKind.MORE_NEEDED:
        return State("More needed", "action-more-needed")
    return State("Open", "action-open")


def _with_states(actions: list[ReportAction]) -> list[ReportAction]:
    for action in actions:
        action.state = state_of(action)
    return actions


def _report(user, report_id: int, may):
    return get_report_for(user, report_id, may=may, others_not_found=True)


def delivery_context(user, report) -> dict:
    """What the delivery team's report page shows of its actions' work: nothing before it accepts the report."""
    if not permissions.may_see_action_work(user, report):
        return {"action_work": None}
    return {
        "action_work": {
            "actions": _with_states(selectors.report_actions_with_threads(report)),
            "may_record": permissions.may_record_action_progress(user, report),
        }
    }


def review_context(user, report, audience: str) -> dict:
    """The actions, each with its state and thread, and a review form on each waiting for review, for the people who
    review on this audience's pages. A review refused is shown again on the review's own page, with what was typed."""
    if not (REVIEWERS[audience](user, report) and permissions.may_review_actions(user, report)):
        return {"actions_to_review": None}
    actions = _with_states(selectors.report_actions_with_threads(report))
    for action in actions:
        action.review_form = None
        if action.status == ReportActionStatus.OPEN and action.ready_for_review_at is not None:
            action.review_form = ActionReviewForm(initial={"version": action.version}, action_id=action.pk)
    return {
        "actions_to_review": actions,
        "actions_waiting": sum(1 for action in actions if action.state.words == "Ready for review"),
        "action_review_audience": audience,
    }


def _action(report, action_id: int) -> ReportAction:
    return get_object_or_404(
        ReportAction.objects.filter(rating__report=report).select_related("rating", "closed_by", "closed_by_report"),
        pk=action_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request, report_id: int, action_id: int):
    report = _report(request.user, report_id, permissions.may_record_action_progress)
    action = _action(report, action_id)
    form = ActionProgressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ready = form.cleaned_data["ready_for_review"]
        try:
            action_record_progress(
                action=action, user=request.user, text=form.cleaned_data["text"], ready_for_review=ready
            )
        except ActionRefused as refused:
            form.add_error(None, refused.reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "The action is marked ready for review. The lead assessor and the service assessment team have been "
                "emailed."
                if ready
                else "Your progress on the action has been saved.",
            )
            return redirect(reverse("delivery:report", args=[report.pk]) + f"#action-{action.pk}")
    [action] = _with_states([a for a in selectors.report_actions_with_threads(report) if a.pk == action.pk])
    return render(
        request,
        "workflow/delivery/action.html",
        {
            "report": report,
            "action": action,
            "form": form,
            "may_add": action.status == ReportActionStatus.OPEN and action.ready_for_review_at is None,
        },
    )


def review_view(audience: str):
    @login_required
    @require_http_methods(["GET", "POST"])
    def review(request, report_id: int, action_id: int):
        report = _report(request.user, report_id, REVIEWERS[audience])
        if not permissions.may_review_actions(request.user, report):
            raise Http404("No such page")
        action = _action(report, action_id)
        form = ActionReviewForm(
            request.POST if request.method == "POST" else None,
            initial={"version": action.version},
            action_id=action.pk,
        )
        if request.method == "POST" and form.is_valid():
            accepted = form.cleaned_data["decision"] == ACCEPT
            try:
                action_review(
                    action=action,
                    user=request.user,
                    accepted=accepted,
                    comment=form.cleaned_data["comment"],
                    version=form.cleaned_data["version"],
                )
            except ActionRefused as refused:
                form.add_error(None, refused.reason)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    "The action is closed and the delivery team is emailed."
                    if accepted
                    else "The action is back with the delivery team, who are emailed your comment.",
                )
                return redirect(reverse(f"{audience}:report", args=[report.pk]) + f"#action-{action.pk}")
        [action] = _with_states([a for a in selectors.report_actions_with_threads(report) if a.pk == action.pk])
        waiting = action.status == ReportActionStatus.OPEN and action.ready_for_review_at is not None
        return render(
            request,
            "workflow/action_review.html",
            {"report": report, "action": action, "form": form, "audience": audience, "waiting": waiting},
        )

    review.__name__ = f"{audience}_action_review"
    return review
