"""The service assessment team's pages after publishing: correcting a published report's words with a public change
note, and withdrawing it with a public reason. Nobody else has these pages: to anyone else they are not found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from workflow import permissions
from workflow.forms.corrections import WithdrawForm, correction_forms
from workflow.models import PointRating, ReportAction
from workflow.services.corrections import Correction, CorrectionRefused, StaleEdit, report_correct, why_not_correctable
from workflow.transitions import ReportTransition

from .common import get_report_for, perform_transition, refused_now, shown_status

STALE = (
    "Someone else changed this report while you were correcting it. Nothing has been published: your words are still "
    "in the form. Check the report as it is now, then publish your correction again."
)


def _report_for_team(request, report_id: int):
    report = get_report_for(request.user, report_id)
    if not permissions.may_correct_reports(request.user):
        raise Http404("No such report")
    return report


def _ratings(report):
    return list(
        PointRating.objects.filter(report=report)
        .order_by("number")
        .prefetch_related(Prefetch("actions", queryset=ReportAction.objects.order_by("created_at", "pk")))
    )


def _all_forms(forms) -> list:
    return [forms["report"], *forms["points"].values(), *forms["actions"].values(), forms["note"]]


def _correction(forms, ratings) -> Correction:
    by_number = {rating.number: rating for rating in ratings}
    return Correction(
        report_version=forms["report"].cleaned_data["version"],
        report_answers=forms["report"].answers(),
        points={
            by_number[number].pk: (form.cleaned_data["version"], form.answers())
            for number, form in forms["points"].items()
        },
        actions={
            action_id: (form.cleaned_data["version"], form.cleaned_data["description"])
            for action_id, form in forms["actions"].items()
        },
    )


def _take_current_versions(forms, report, ratings) -> None:
    """After a stale correction: the next try starts from the rows as they are now, keeping what was typed."""
    report.refresh_from_db(fields=["version"])
    forms["report"].take_version(report.version)
    current = {rating.number: rating for rating in _ratings(report)}
    for number, form in forms["points"].items():
        if number in current:
            form.take_version(current[number].version)
    versions = dict(ReportAction.objects.filter(rating__report=report).values_list("pk", "version"))
    for action_id, form in forms["actions"].items():
        if action_id in versions:
            form.take_version(versions[action_id])


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, report_id: str):
    report = _report_for_team(request, report_id)
    # A correction posted after someone withdrew the report is refused by the service, keeping what was typed.
    if request.method == "GET" and (reason := why_not_correctable(report)):
        messages.error(request, reason)
        return redirect("assessment_team:report", report_id=report.pk)
    ratings = _ratings(report)
    forms = correction_forms(report, ratings, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        valid = all([form.is_valid() for form in _all_forms(forms)])  # a list: every form shows its errors
        if valid:
            try:
                report_correct(
                    report=report,
                    user=request.user,
                    note=forms["note"].cleaned_data["note"],
                    correction=_correction(forms, ratings),
                )
            except StaleEdit:
                forms["note"].add_error(None, STALE)
                _take_current_versions(forms, report, ratings)
            except CorrectionRefused as refused:
                forms["note"].add_error(None, refused.reason)
            except ValidationError as error:
                forms["note"].add_error(None, error.messages)
            else:
                messages.success(request, f"The correction to the report for {report.title} has been published.")
                return redirect("assessment_team:report", report_id=report.pk)
    return render(
        request,
        "workflow/assessment_team/correct.html",
        {
            "report": report,
            "forms": forms,
            "all_forms": _all_forms(forms),
            "has_errors": any(form.errors for form in _all_forms(forms)),
            "points": [
                (
                    rating,
                    forms["points"][rating.number],
                    [forms["actions"][action.pk] for action in rating.actions.all()],
                )
                for rating in ratings
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, report_id: str):
    report = _report_for_team(request, report_id)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            perform_transition(request, report, ReportTransition.WITHDRAW, comment=form.cleaned_data["reason"])
            return redirect("assessment_team:report", report_id=report.pk)
    else:
        if refused_now(request, report, ReportTransition.WITHDRAW):
            return redirect("assessment_team:report", report_id=report.pk)
        form = WithdrawForm()
    return render(
        request,
        "workflow/assessment_team/withdraw.html",
        {"report": report, "form": form, "from_status": shown_status(request, report)},
    )
