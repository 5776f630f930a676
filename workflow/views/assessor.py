"""The assessors' pages: the assessments whose panel they sit on, and the report the panel writes and the
lead assessor submits. Forms check the input, the editing services write it, workflow.permissions decides
who may do what."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from workflow import permissions, questions, selectors
from workflow.forms.assessor import (
    ActionEditForm,
    ActionForm,
    CommentForm,
    OverallRatingForm,
    PointForm,
    RemoveActionForm,
    ServiceDetailsForm,
)
from workflow.models import (
    Assessment,
    PanelMember,
    PanelRole,
    PointRating,
    Rating,
    ReportAction,
    ReportComment,
    ReportPage,
    ReportStatus,
)
from workflow.services import editing
from workflow.services.comments import CommentsClosed, comment_add, comment_resolve
from workflow.services.editing import ReportNotEditable, StaleEdit
from workflow.services.reports import report_create
from workflow.services.transitions import refusal_reasons
from workflow.transitions import TRANSITIONS, ReportTransition

from . import actions, follow_ups
from .common import get_report_for, may_make_now, perform_transition

STALE = (
    "Someone else saved a change to {what} while you were editing. Their version is shown below; "
    "your text is still in the form — check it and save again."
)
GONE = (
    "Someone else removed this action while you were editing it. Your text is still in the form: save it to add it "
    "as a new action if the team still needs to do it."
)
ALREADY_REMOVED = "Someone else has removed this action."


def _report_to_edit(request, report_id: int, *, lead_only: bool = False) -> ReportPage:
    """The report of an edit form; a save may reach it when only the status stops it, so that _editable can say so."""
    may = permissions.may_post_edit if request.method == "POST" else permissions.may_edit
    return get_report_for(request.user, report_id, may=lambda user, report: may(user, report, lead_only=lead_only))


def _editable(form, user, report, *, lead_only: bool = False) -> bool:
    """Whether a posted form may go on to be saved: valid, and the report still open to the panel. When the status
    stops it, the form says why and keeps what was typed."""
    valid = form.is_valid()
    if reason := permissions.why_status_stops_edit(user, report, lead_only=lead_only):
        form.add_error(None, reason)
        return False
    return valid


def _save(form, what: str, service, **arguments) -> bool:
    """Runs an editing service for a valid form. When it refuses, the form keeps what the person typed and
    says why; after a stale edit `form.current` is the row as someone else saved it and the form carries its
    version, so saving again goes through; `form.gone` says someone else deleted the row."""
    form.current = form.their_change = None
    form.gone = False
    try:
        service(**arguments)
    except ReportNotEditable as refused:
        # Submitted between the page's check and the service's lock.
        form.add_error(None, ReportStatus(refused.status).why_panel_cannot_edit)
        return False
    except StaleEdit as stale:
        if stale.current is None:
            form.gone = True
            form.add_error(None, GONE)
            return False
        form.current = stale.current
        form.their_change = stale.current.history.first()
        form.take_version(stale.current.version)
        form.add_error(None, STALE.format(what=what))
        return False
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@dataclass
class DashboardRow:
    assessment: Assessment
    role: str
    report: ReportPage | None
    # While the report is not yet shared, started or not; once shared the deadline has been met and only clutters.
    share_deadline: selectors.Deadline | None
    can_start: bool


@login_required
def dashboard(request):
    user = request.user
    if not permissions.is_assessor(user):
        raise PermissionDenied
    assessments = (
        Assessment.objects.for_assessor(user)
        .select_related("service__department", "type", "report")
        .prefetch_related(
            Prefetch("panel_members", queryset=PanelMember.objects.filter(user=user), to_attr="own_seats")
        )
    )
    today = timezone.localdate()
    rows = []
    for assessment in assessments:
        report = getattr(assessment, "report", None)  # None until the report is created
        rows.append(
            DashboardRow(
                assessment=assessment,
                role=assessment.own_seats[0].get_role_display(),
                report=report,
                share_deadline=selectors.assessment_share_deadline(assessment, report, today=today),
                can_start=report is None and permissions.may_start_report(user, assessment),
            )
        )
    waiting = selectors.reports_with_actions_waiting(selectors.actions_waiting_for_lead_review(user))
    return render(request, "workflow/assessor/dashboard.html", {"rows": rows, "actions_waiting": waiting})


@login_required
@require_POST
def report_start(request, assessment_id: int):
    """The lead assessor starts the report of an assessment that has none yet."""
    assessment = get_object_or_404(Assessment.objects.for_assessor(request.user), pk=assessment_id)
    if not permissions.may_start_report(request.user, assessment):
        raise PermissionDenied
    try:
        report = report_create(assessment=assessment)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("assessor:dashboard")
    return redirect("assessor:report", report_id=report.pk)


@login_required
def report_overview(request, report_id: int):
    return _report_page(request, get_report_for(request.user, report_id))


def _comments(user, report, *, comment_form=None, reply_form=None) -> dict:
    """What a page needs to show the panel's comments: nothing for someone who may not read them. A comment form that
    was refused is shown again (`comment_form`, or `reply_form` under its thread) with what was typed."""
    if not permissions.may_read_comments(user, report):
        return {"comments": None}
    return {
        "comments": selectors.comment_threads(report),
        "may_comment": permissions.may_comment(user, report),
        "comment_form": comment_form or CommentForm(),
        "reply_form": reply_form,
    }


def _report_page(request, report, **comment_forms):
    user = request.user
    # Fetched once for the task list, the suggested rating, the submit checks and the report body.
    prefetch_related_objects(
        [report], Prefetch("ratings", queryset=PointRating.objects.order_by("number").prefetch_related("actions"))
    )
    role = permissions.panel_role(user, report)
    can_edit = permissions.can_edit_report(user, report)
    can_submit = may_make_now(user, report, ReportTransition.SUBMIT)
    return render(
        request,
        "workflow/assessor/report.html",
        {
            "report": report,
            "assessment": report.assessment,
            "ratings": report.ratings.all(),
            "role": PanelRole(role).label if role else "",
            "can_edit": can_edit,
            "can_give_overall_rating": permissions.can_give_overall_rating(user, report),
            "is_lead": permissions.is_lead_assessor(user, report),
            "read_only_reason": permissions.why_read_only(user, report) or "",
            "suggested": report.suggested_overall_rating,
            "can_submit": can_submit,
            "still_needed": refusal_reasons(report, TRANSITIONS[ReportTransition.SUBMIT]) if can_submit else [],
            # The lead may submit with comments unresolved, having seen them.
            "unresolved": selectors.unresolved_comments(report) if can_submit else [],
            # Why a report came back to the panel, when it did.
            "returned": (returned := selectors.sent_back_to_panel(report)),
            "returned_by_challenge": returned is not None and returned.transition == ReportTransition.CHALLENGE,
            **_comments(user, report, **comment_forms),
            **follow_ups.decide_context(user, report, "assessor"),
            # A follow-up's panel reads the earlier report's actions on its points, with the team's evidence.
            "earlier": selectors.earlier_actions(report),
            **actions.review_context(user, report, "assessor"),
            # The delivery team's questions and the answers, to read.
            "clarifications": selectors.clarifications(report)
            if permissions.may_read_clarifications(user, report)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_details(request, report_id: int):
    report = _report_to_edit(request, report_id)
    form_class = ServiceDetailsForm.asking(questions.questions(report, questions.REPORT))
    if request.method == "POST":
        form = form_class(request.POST)
        if _editable(form, request.user, report) and _save(
            form,
            "the service details",
            editing.report_details_update,
            report=report,
            user=request.user,
            version=form.cleaned_data["version"],
            answers=form.answers(),
        ):
            messages.success(request, "The service details have been saved.")
            return redirect("assessor:report", report_id=report.pk)
    else:
        form = form_class(initial={"version": report.version, **form_class.initial_for(report)})
    return render(request, "workflow/assessor/service_details.html", {"report": report, "form": form})


def _rating(report, number: int) -> PointRating:
    return get_object_or_404(report.ratings.select_related("point"), number=number)


@login_required
@require_http_methods(["GET", "POST"])
def point(request, report_id: int, number: int):
    report = _report_to_edit(request, report_id)
    rating = _rating(report, number)
    form_class = PointForm.asking(questions.questions(report, questions.POINT))
    if request.method == "POST":
        form = form_class(request.POST)
        if _editable(form, request.user, report) and _save(
            form,
            "this point",
            editing.rating_update,
            rating=rating,
            user=request.user,
            version=form.cleaned_data["version"],
            rating_value=form.cleaned_data["rating"],
            answers=form.answers(),
        ):
            return _after_point_saved(request, rating)
    else:
        form = form_class(
            initial={"version": rating.version, "rating": rating.rating, **form_class.initial_for(rating)}
        )
    return _point_page(request, report, rating, form)


def _point_page(request, report, rating, form, **comment_forms):
    return render(
        request,
        "workflow/assessor/point.html",
        {
            "report": report,
            "rating": rating,
            "form": form,
            "actions": rating.actions.all(),
            "takes_actions": rating.rating in Rating.needing_actions(),
            # Without JavaScript the page cannot know a rating just chosen, so an unrated point offers the
            # button too: it saves the point first, and a point saved as green is told it takes no actions.
            "may_add_action": rating.rating != Rating.GREEN,
            **(comments := _comments(request.user, report, **comment_forms)),
            "point_threads": comments["comments"].on_point(rating.number) if comments["comments"] else [],
            "earlier": selectors.earlier_actions(report, number=rating.number),
        },
    )


def _after_point_saved(request, rating: PointRating):
    then = request.POST.get("then")
    if then == "add-action":
        return redirect("assessor:action_add", report_id=rating.report_id, number=rating.number)
    # Moving on from a point that still lacks something would leave it to be found only when submitting.
    still_needed = PointRating.objects.prefetch_related("actions").get(pk=rating.pk).still_needed()
    if still_needed:
        messages.warning(request, f"Point {rating.number} has been saved. {still_needed}")
    following = PointRating.objects.filter(report_id=rating.report_id, number__gt=rating.number).order_by("number")
    if then != "overview" and (after := following.first()):
        return redirect("assessor:point", report_id=rating.report_id, number=after.number)
    if not still_needed:
        messages.success(request, f"Point {rating.number} has been saved.")
    return redirect(reverse("assessor:report", args=[rating.report_id]) + f"#point-{rating.number}-status")


def _point_url(rating: PointRating) -> str:
    return reverse("assessor:point", args=[rating.report_id, rating.number]) + "#actions"


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, report_id: int, number: int):
    report = _report_to_edit(request, report_id)
    rating = _rating(report, number)
    if request.method == "POST":
        form = ActionForm(request.POST)
        if _editable(form, request.user, report) and _save(
            form,
            "this action",
            editing.action_create,
            rating=rating,
            user=request.user,
            description=form.cleaned_data["description"],
            due_date=form.cleaned_data["due_date"],
        ):
            messages.success(request, f"The action has been added to point {rating.number}.")
            return redirect(_point_url(rating))
    elif rating.rating not in Rating.needing_actions():
        messages.error(request, "Only amber and red points have actions. Rate the point amber or red first.")
        return redirect("assessor:point", report_id=report.pk, number=number)
    else:
        form = ActionForm()
    return render(
        request,
        "workflow/assessor/action_form.html",
        {"report": report, "rating": rating, "form": form, "adding": True},
    )


def _action(report, action_id: int) -> ReportAction | None:
    """The report's action; None if it was one of the report's actions and someone has removed it since. An action
    of another report, or none ever, is "not found", however the id was come by."""
    action = ReportAction.objects.select_related("rating").filter(pk=action_id, rating__report=report).first()
    if action is None:
        _removed_action_rating(report, action_id)  # "not found" unless it was this report's
    return action


def _removed_action_rating(report, action_id: int) -> PointRating:
    """The point of this report a removed action was on, as its history remembers it."""
    rating_id = ReportAction.history.filter(id=action_id).values_list("rating_id", flat=True).first()
    if rating_id is None:
        raise Http404("No such action")
    return get_object_or_404(report.ratings.all(), pk=rating_id)


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, report_id: int, action_id: int):
    report = _report_to_edit(request, report_id)
    action = _action(report, action_id)
    if action is None:
        rating = _removed_action_rating(report, action_id)
        if request.method == "GET":
            messages.info(request, ALREADY_REMOVED)
            return redirect(_point_url(rating))
        # Saved after someone else removed it: what was typed is kept, to add as a new action.
        form = ActionEditForm(request.POST)
        form.is_valid()
        if reason := permissions.why_status_stops_edit(request.user, report):
            form.add_error(None, reason)
        else:
            form.add_error(None, GONE)
            form.gone = True
        return render(
            request,
            "workflow/assessor/action_form.html",
            {"report": report, "rating": rating, "form": form, "adding": False},
        )
    if request.method == "POST":
        form = ActionEditForm(request.POST)
        if _editable(form, request.user, report) and _save(
            form,
            "this action",
            editing.action_update,
            action=action,
            user=request.user,
            version=form.cleaned_data["version"],
            description=form.cleaned_data["description"],
            due_date=form.cleaned_data["due_date"],
        ):
            messages.success(request, f"The action on point {action.rating.number} has been changed.")
            return redirect(_point_url(action.rating))
    else:
        form = ActionEditForm(
            initial={"version": action.version, "description": action.description, "due_date": action.due_date}
        )
    return render(
        request,
        "workflow/assessor/action_form.html",
        {"report": report, "rating": action.rating, "action": action, "form": form, "adding": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_remove(request, report_id: int, action_id: int):
    report = _report_to_edit(request, report_id)
    action = _action(report, action_id)
    if action is None:
        messages.info(request, ALREADY_REMOVED)
        return redirect(_point_url(_removed_action_rating(report, action_id)))
    if request.method == "POST":
        form = RemoveActionForm(request.POST)
        if _editable(form, request.user, report):
            try:
                editing.action_delete(action=action, user=request.user, version=form.cleaned_data["version"])
            except ReportNotEditable as refused:
                form.add_error(None, ReportStatus(refused.status).why_panel_cannot_edit)
            except StaleEdit as stale:
                if stale.current is None:
                    messages.info(request, ALREADY_REMOVED)
                    return redirect(_point_url(action.rating))
                action = stale.current
                form = RemoveActionForm({"version": action.version})
                form.is_valid()
                form.add_error(
                    None,
                    "Someone else changed this action after you opened this page. Check it below, "
                    "and remove it if the team still does not need to do it.",
                )
            else:
                messages.success(request, f"The action has been removed from point {action.rating.number}.")
                return redirect(_point_url(action.rating))
    else:
        form = RemoveActionForm(initial={"version": action.version})
    return render(
        request,
        "workflow/assessor/action_remove.html",
        {"report": report, "rating": action.rating, "action": action, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def overall_rating(request, report_id: int):
    report = _report_to_edit(request, report_id, lead_only=True)
    suggested = report.suggested_overall_rating
    if request.method == "POST":
        form = OverallRatingForm(request.POST, suggested=suggested)
        if _editable(form, request.user, report, lead_only=True) and _save(
            form,
            "the overall rating",
            editing.report_overall_update,
            report=report,
            user=request.user,
            version=form.cleaned_data["version"],
            overall_rating=form.cleaned_data["overall_rating"],
            reason=form.cleaned_data["reason"],
        ):
            messages.success(request, "The overall rating has been saved.")
            return redirect("assessor:report", report_id=report.pk)
    else:
        form = OverallRatingForm(
            suggested=suggested,
            initial={
                "version": report.version,
                "overall_rating": report.overall_rating or suggested,
                "reason": report.overall_rating_reason,
            },
        )
    return render(
        request, "workflow/assessor/overall_rating.html", {"report": report, "form": form, "suggested": suggested}
    )


@login_required
@require_POST
def submit(request, report_id: int):
    report = get_report_for(request.user, report_id, may=permissions.is_lead_assessor)
    perform_transition(request, report, ReportTransition.SUBMIT)
    return redirect("assessor:report", report_id=report.pk)


# The panel's comments. Posted from the point and report pages, and answered with them: on success a redirect back
# to the comment; when refused, the page again with the error and what was typed.


def _report_to_comment(request, report_id: int) -> ReportPage:
    """The report, for someone who may comment on it now, or a panel member it has moved on from since their page was
    shown (told why, with their text kept). Anyone who may not read the comments is told the report is "not found"."""
    user = request.user
    report = get_report_for(user, report_id)
    if not permissions.may_read_comments(user, report):
        raise Http404("No such report")
    if not (permissions.may_comment(user, report) or permissions.why_comments_closed(user, report)):
        raise PermissionDenied
    return report


def _thread(report, comment_id: int) -> ReportComment:
    return get_object_or_404(ReportComment.objects.filter(report=report, parent__isnull=True), pk=comment_id)


def _comment_url(request, report, number: int | None, anchor: str) -> str:
    """Where a comment is shown to this person: its point's page for those who edit points, the report page else."""
    if number is not None and permissions.may_edit(request.user, report):
        return reverse("assessor:point", args=[report.pk, number]) + f"#{anchor}"
    return reverse("assessor:report", args=[report.pk]) + f"#{anchor}"


def _refused_comment(request, report, number: int | None, **comment_forms):
    """The page the comment was typed on, again, with the error and the text."""
    if number is not None and permissions.may_post_edit(request.user, report):
        rating = _rating(report, number)
        form_class = PointForm.asking(questions.questions(report, questions.POINT))
        form = form_class(
            initial={"version": rating.version, "rating": rating.rating, **form_class.initial_for(rating)}
        )
        return _point_page(request, report, rating, form, **comment_forms)
    return _report_page(request, report, **comment_forms)


def _add_comment(request, report, form, *, number: int | None = None, thread: ReportComment | None = None):
    if form.is_valid():
        try:
            comment = comment_add(
                report=report, user=request.user, text=form.cleaned_data["text"], point_number=number, parent=thread
            )
        except CommentsClosed as closed:
            form.add_error(None, closed.reason)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your reply has been added." if thread else "Your comment has been added.")
            return redirect(
                _comment_url(request, report, comment.point_number, f"comment-{comment.parent_id or comment.pk}")
            )
    if thread is not None:
        return _refused_comment(request, report, number, reply_form=form)
    return _refused_comment(request, report, number, comment_form=form)


@login_required
@require_POST
def comment_on_report(request, report_id: int):
    report = _report_to_comment(request, report_id)
    return _add_comment(request, report, CommentForm(request.POST))


@login_required
@require_POST
def comment_on_point(request, report_id: int, number: int):
    report = _report_to_comment(request, report_id)
    _rating(report, number)  # "not found" for a point the report does not have
    return _add_comment(request, report, CommentForm(request.POST), number=number)


@login_required
@require_POST
def comment_reply(request, report_id: int, comment_id: int):
    report = _report_to_comment(request, report_id)
    thread = _thread(report, comment_id)
    form = CommentForm(request.POST, reply_to=thread.pk)
    return _add_comment(request, report, form, number=thread.point_number, thread=thread)


@login_required
@require_POST
def comment_resolve_view(request, report_id: int, comment_id: int):
    report = _report_to_comment(request, report_id)
    thread = _thread(report, comment_id)
    try:
        comment_resolve(comment=thread, user=request.user)
    except CommentsClosed as closed:
        messages.error(request, closed.reason)
        return redirect("assessor:report", report_id=report.pk)
    messages.success(request, "The comment has been resolved.")
    return redirect(_comment_url(request, report, thread.point_number, f"comment-{thread.pk}"))


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("assessments/<row_id:assessment_id>/start/", report_start, name="start"),
    path("reports/<row_id:report_id>/", report_overview, name="report"),
    path("reports/<row_id:report_id>/about/", service_details, name="about"),
    path("reports/<row_id:report_id>/points/<row_id:number>/", point, name="point"),
    path("reports/<row_id:report_id>/points/<row_id:number>/actions/add/", action_add, name="action_add"),
    path("reports/<row_id:report_id>/actions/<row_id:action_id>/edit/", action_edit, name="action_edit"),
    path("reports/<row_id:report_id>/actions/<row_id:action_id>/remove/", action_remove, name="action_remove"),
    path("reports/<row_id:report_id>/overall/", overall_rating, name="overall"),
    path("reports/<row_id:report_id>/submit/", submit, name="submit"),
    path("reports/<row_id:report_id>/comments/", comment_on_report, name="comment"),
    path("reports/<row_id:report_id>/comments/points/<row_id:number>/", comment_on_point, name="comment_point"),
    path("reports/<row_id:report_id>/comments/<row_id:comment_id>/reply/", comment_reply, name="comment_reply"),
    path(
        "reports/<row_id:report_id>/comments/<row_id:comment_id>/resolve/", comment_resolve_view, name="comment_resolve"
    ),
    path(
        "reports/<row_id:report_id>/follow-ups/<row_id:follow_up_id>/",
        follow_ups.decide_view("assessor"),
        name="follow_up_decide",
    ),
    path(
        "reports/<row_id:report_id>/actions/<row_id:action_id>/review/",
        actions.review_view("assessor"),
        name="action_review",
    ),
]
