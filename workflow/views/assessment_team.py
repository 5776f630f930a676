"""The service assessment team's pages: the worklist of reports to check, share and chase, and each report
with its status history and the changes the team may make to it now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflow import permissions, selectors
from workflow.forms.clarifications import AnswerForm
from workflow.forms.responses import ReturnForm
from workflow.services.clarifications import ClarificationRefused, clarification_answer
from workflow.services.transitions import allowed_transitions
from workflow.transitions import ReportTransition

from . import actions, corrections, follow_ups
from .common import get_report_for, perform_transition, refused_now, shown_status


def _may_manage(user, report) -> bool:
    # get_report_for asks about a person and a report; this rule is about the person alone.
    return permissions.is_assessment_team(user)


@login_required
@require_GET
def dashboard(request):
    if not permissions.is_assessment_team(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "workflow/assessment_team/dashboard.html",
        {
            "worklist": selectors.assessment_team_worklist(today),
            "today": today,
            "actions_waiting": selectors.reports_with_actions_waiting(selectors.actions_waiting_for_review()),
        },
    )


@login_required
@require_GET
def report_detail(request, report_id: str):
    report = get_report_for(request.user, report_id, may=_may_manage)
    return _report_page(request, report)


def _report_page(request, report, *, answer_form: AnswerForm | None = None):
    """The report page; `answer_form`, refused, is shown again under its question with what was typed."""
    allowed = {transition.name: transition for transition in allowed_transitions(report, request.user)}
    today = timezone.localdate()
    return render(
        request,
        "workflow/assessment_team/report.html",
        {
            "report": selectors.with_ratings(report),
            "history": selectors.status_changes(report),
            # The panel's comments, to read.
            "comments": selectors.comment_threads(report)
            if permissions.may_read_comments(request.user, report)
            else None,
            # Each transition the person may make now, or None. Resolving a challenge (a superuser may) has its own
            # page, linked from this one.
            "return_to_panel": allowed.get(ReportTransition.RETURN),
            "check": allowed.get(ReportTransition.CHECK),
            "share": allowed.get(ReportTransition.SHARE),
            "withdraw": allowed.get(ReportTransition.WITHDRAW),
            "may_correct": permissions.may_correct_report(request.user, report),
            "corrections": selectors.corrections(report),
            "resolve": allowed.get(ReportTransition.RESOLVE),
            "share_deadline": selectors.share_deadline(report, today=today),
            "response_deadline": selectors.response_deadline(report, today=today),
            **follow_ups.decide_context(request.user, report, "assessment_team"),
            **actions.review_context(request.user, report, "assessment_team"),
            "clarifications": _with_answer_forms(request.user, selectors.clarifications(report), answer_form),
        },
    )


def _with_answer_forms(user, clarifications, refused: AnswerForm | None) -> list:
    """The questions, each open one with the form to answer it for someone who may."""
    may_answer = permissions.may_answer_clarification(user)
    questions = list(clarifications)
    for question in questions:
        question.answer_form = None
        if refused is not None and refused.question_id == question.pk:
            # Even once a colleague has answered it, so that what was typed is not lost.
            question.answer_form = refused
        elif question.is_open and may_answer:
            question.answer_form = AnswerForm(question_id=question.pk)
    return questions


def _transition_without_comment(name: ReportTransition):
    @login_required
    @require_POST
    def view(request, report_id: str):
        report = get_report_for(request.user, report_id, may=_may_manage)
        perform_transition(request, report, name)
        return redirect("assessment_team:report", report_id=report.pk)

    view.__name__ = f"{name}_report"
    return view


check = _transition_without_comment(ReportTransition.CHECK)
share = _transition_without_comment(ReportTransition.SHARE)


@login_required
@require_http_methods(["GET", "POST"])
def return_to_panel(request, report_id: str):
    report = get_report_for(request.user, report_id, may=_may_manage)
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            perform_transition(request, report, ReportTransition.RETURN, comment=form.cleaned_data["comment"])
            return redirect("assessment_team:report", report_id=report.pk)
    else:
        if refused_now(request, report, ReportTransition.RETURN):
            return redirect("assessment_team:report", report_id=report.pk)
        form = ReturnForm()
    return render(
        request,
        "workflow/assessment_team/return.html",
        {"report": report, "form": form, "from_status": shown_status(request, report)},
    )


@login_required
@require_POST
def answer_question(request, report_id: str, question_id: str):
    report = get_report_for(
        request.user,
        report_id,
        may=lambda user, _report: permissions.may_answer_clarification(user),
        others_not_found=True,
    )
    question = get_object_or_404(selectors.clarifications(report), pk=question_id)
    form = AnswerForm(request.POST, question_id=question.pk)
    if form.is_valid():
        try:
            clarification_answer(clarification=question, user=request.user, answer=form.cleaned_data["answer"])
        except ClarificationRefused as refused:
            form.add_error(None, refused.reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            asker = question.asked_by.get_full_name() or question.asked_by.get_username()
            messages.success(request, f"Your answer has been sent to {asker}.")
            return redirect(reverse("assessment_team:report", args=[report.pk]) + f"#question-{question.pk}")
    return _report_page(request, report, answer_form=form)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("reports/<row_id:report_id>/", report_detail, name="report"),
    path("reports/<row_id:report_id>/check/", check, name="check"),
    path("reports/<row_id:report_id>/share/", share, name="share"),
    path("reports/<row_id:report_id>/return/", return_to_panel, name="return"),
    path(
        "reports/<row_id:report_id>/follow-ups/<row_id:follow_up_id>/",
        follow_ups.decide_view("assessment_team"),
        name="follow_up_decide",
    ),
    path(
        "reports/<row_id:report_id>/actions/<row_id:action_id>/review/",
        actions.review_view("assessment_team"),
        name="action_review",
    ),
    # After publishing.
    path("reports/<row_id:report_id>/correct/", corrections.correct, name="correct"),
    path("reports/<row_id:report_id>/withdraw/", corrections.withdraw, name="withdraw"),
    path("reports/<row_id:report_id>/questions/<row_id:question_id>/answer/", answer_question, name="answer_question"),
]
