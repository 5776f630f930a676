"""Follow-up support on the report pages: the delivery team's panel and requests, and its form to ask
(workflow.views.delivery's URLs); the list of requests with a form to record the outcome, for the lead assessor
(workflow.views.assessor's URLs) and the service assessment team (workflow.views.assessment_team's).

Anyone else is told the page is "not found", as is a delivery team that has not accepted its report yet: until then
the page does not exist for them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from workflow import permissions, selectors
from workflow.forms.follow_ups import FollowUpDecisionForm, FollowUpRequestForm
from workflow.models import ReportPage
from workflow.services.follow_ups import AlreadyDecided, follow_up_decide, follow_up_request

from .common import get_report_for

# Who records outcomes on each audience's pages (the people of `may_decide_follow_up`, each on their own pages).
DECIDERS = {
    "assessor": permissions.is_lead_assessor,
    "assessment_team": lambda user, report: permissions.is_assessment_team(user),
}


def _report(user, report_id: int, may) -> ReportPage:
    report = get_report_for(user, report_id)
    if not may(user, report):
        raise Http404("No such report")
    return report


def delivery_context(user, report) -> dict:
    """What the delivery team's report page shows of follow-up support: nothing before it accepts the report."""
    if not permissions.may_see_follow_ups(user, report):
        return {"follow_up": None}
    return {
        "follow_up": {
            "panel": selectors.panel_seats(report.assessment),
            "requests": selectors.follow_up_requests(report),
            "may_ask": permissions.may_ask_follow_up(user, report),
            "has_actions": selectors.follow_up_actions(report).exists(),
        }
    }


def decide_context(user, report, audience: str) -> dict:
    """The requests, each with its form while undecided, for the people who record outcomes on this audience's pages."""
    if not (DECIDERS[audience](user, report) and permissions.may_decide_follow_up(user, report)):
        return {"follow_ups": None}
    requests = list(selectors.follow_up_requests(report))
    for follow_up in requests:
        follow_up.form = None if follow_up.is_decided else FollowUpDecisionForm(request_id=follow_up.pk)
    return {"follow_ups": requests, "follow_up_audience": audience}


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, report_id: int):
    report = _report(request.user, report_id, permissions.may_ask_follow_up)
    actions = list(selectors.follow_up_actions(report))
    if request.method == "POST":
        form = FollowUpRequestForm(request.POST, report_actions=actions)
        if form.is_valid():
            try:
                follow_up_request(
                    report=report,
                    user=request.user,
                    support=form.cleaned_data["support"],
                    actions=form.chosen_actions(),
                    details=form.cleaned_data["details"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, "Your request has been sent to the lead assessor and the service assessment team."
                )
                return redirect(reverse("delivery:report", args=[report.pk]) + "#follow-up-support")
    else:
        form = FollowUpRequestForm(report_actions=actions)
    return render(request, "workflow/delivery/follow_up.html", {"report": report, "form": form, "actions": actions})


def decide_view(audience: str):
    @login_required
    @require_http_methods(["GET", "POST"])
    def decide(request, report_id: int, follow_up_id: int):
        report = _report(request.user, report_id, DECIDERS[audience])
        if not permissions.may_decide_follow_up(request.user, report):
            raise Http404("No such report")
        follow_up = get_object_or_404(selectors.follow_up_requests(report), pk=follow_up_id)
        form = FollowUpDecisionForm(request.POST if request.method == "POST" else None, request_id=follow_up.pk)
        if request.method == "POST" and form.is_valid():
            try:
                decided = follow_up_decide(
                    request=follow_up,
                    user=request.user,
                    arranged=form.cleaned_data["decision"] == "arranged",
                    outcome=form.cleaned_data["outcome"],
                )
            except AlreadyDecided as already:
                form.add_error(None, already.reason)
                follow_up = get_object_or_404(selectors.follow_up_requests(report), pk=follow_up_id)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"The request is recorded as {decided.get_status_display().lower()} and the team is emailed.",
                )
                return redirect(reverse(f"{audience}:report", args=[report.pk]) + "#follow-up-requests")
        return render(
            request,
            "workflow/follow_up_decide.html",
            {"report": report, "follow_up": follow_up, "form": form, "audience": audience},
        )

    decide.__name__ = f"{audience}_follow_up_decide"
    return decide
