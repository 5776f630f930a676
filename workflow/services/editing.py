"""The panel's edits to a report: its service details, each point's rating and actions, the overall rating.

Each service locks the report row, so that an edit cannot slip in while the report is being submitted,
and checks that this person may still edit it. Edits to an existing row carry the `version` the person
read: if someone else saved since, the edit is refused with `StaleEdit` instead of silently overwriting
their work. Rows are saved with `save()`, not a bulk update, so that django-simple-history records who
made each change."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from workflow import permissions, questions, ratings
from workflow.models import PointRating, Rating, ReportAction, ReportPage


class StaleEdit(Exception):
    """The edit was made on a copy someone else has since changed. `current` is the row as it is now
    (None when someone else deleted it), so the person can compare and try again."""

    def __init__(self, current: models.Model | None):
        self.current = current
        super().__init__("Someone else changed this while you were editing it.")


class ReportNotEditable(PermissionDenied):
    """The report's status no longer lets the panel change it: it was submitted (say) after the person opened the
    form. `status` is the status now, so the form can say why and keep what was typed. A PermissionDenied, so that
    anything not expecting it still refuses."""

    def __init__(self, status: str):
        self.status = status
        super().__init__("The report can no longer be changed.")


def _editable_report(report_id: int, user) -> ReportPage:
    report = ReportPage.objects.select_for_update().get(pk=report_id)
    if not permissions.can_edit_report(user, report):
        if report.status not in permissions.PANEL_EDITS_IN:
            raise ReportNotEditable(report.status)
        raise PermissionDenied("You cannot change this report.")
    return report


def _check_version(row: models.Model, version: int) -> None:
    if row.version != version:
        raise StaleEdit(row)


def _save(row: models.Model, user, **fields) -> None:
    # Saving unchanged values (say, to move on to adding an action) would make everyone else's open copy
    # stale for nothing, and fill the history with rows that record no change.
    if all(getattr(row, name) == value for name, value in fields.items()):
        return
    for name, value in fields.items():
        setattr(row, name, value)
    row.version += 1
    # Services also run outside a request (commands, tests), where HistoryRequestMiddleware cannot say who.
    row._history_user = user
    row.save()


def _locked(model, pk: int):
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise StaleEdit(None)
    return row


def _check_rating(value: str) -> None:
    if value and value not in Rating.values:
        raise ValidationError(f"{value!r} is not a rating: choose green, amber or red.")


def _check_description(description: str) -> None:
    if not description.strip():
        raise ValidationError("Enter what the team needs to do")


def _drop_unneeded_reason(report: ReportPage, user) -> None:
    # The reason explains why the lead's overall rating differs from the one the points suggest. Once the two
    # agree it explains nothing, yet left in place it would be read by the checker and the delivery team as if it
    # still applied. The report's history keeps the words.
    if report.overall_rating_reason and report.overall_rating_agrees:
        _save(report, user, overall_rating_reason="")


@transaction.atomic
def report_details_update(*, report: ReportPage, user, version: int, answers: dict) -> ReportPage:
    """Answers the report's own questions: `answers` maps question ids to values (see workflow.questions)."""
    locked = _editable_report(report.pk, user)
    _check_version(locked, version)
    _save(locked, user, **questions.changes(locked, questions.REPORT, locked, answers))
    return locked


@transaction.atomic
def rating_update(*, rating: PointRating, user, version: int, rating_value: str, answers: dict) -> PointRating:
    """Rates a point and answers the report's point questions for it: `answers` maps question ids to values."""
    report = _editable_report(rating.report_id, user)
    _check_rating(rating_value)
    locked = _locked(PointRating, rating.pk)
    _check_version(locked, version)
    # Turning a point green leaves its actions in place: deleting someone's actions as a side effect would
    # lose work. The report cannot be submitted until they are removed, and the point's page says so.
    _save(locked, user, rating=rating_value, **questions.changes(report, questions.POINT, locked, answers))
    _drop_unneeded_reason(report, user)
    return locked


@transaction.atomic
def action_create(
    *, rating: PointRating, user, description: str, due_date: datetime.date | None = None
) -> ReportAction:
    _editable_report(rating.report_id, user)
    # Read the rating as it is now: someone may have turned the point green since the page was loaded.
    current = PointRating.objects.select_for_update().get(pk=rating.pk)
    if current.rating not in Rating.needing_actions():
        raise ValidationError("Only amber and red points have actions")
    _check_description(description)
    action = ReportAction(rating=current, description=description, due_date=due_date)
    action._history_user = user
    action.save()
    return action


@transaction.atomic
def action_update(
    *, action: ReportAction, user, version: int, description: str, due_date: datetime.date | None
) -> ReportAction:
    _editable_report(action.rating.report_id, user)
    _check_description(description)
    locked = _locked(ReportAction, action.pk)
    _check_version(locked, version)
    _save(locked, user, description=description, due_date=due_date)
    return locked


@transaction.atomic
def action_delete(*, action: ReportAction, user, version: int) -> None:
    _editable_report(action.rating.report_id, user)
    locked = _locked(ReportAction, action.pk)
    # Removing an action someone has just reworded would throw their change away unseen.
    _check_version(locked, version)
    locked._history_user = user
    locked.delete()


@transaction.atomic
def report_overall_update(*, report: ReportPage, user, version: int, overall_rating: str, reason: str) -> ReportPage:
    locked = _editable_report(report.pk, user)
    if not permissions.is_lead_assessor(user, locked):
        raise PermissionDenied("Only the lead assessor gives the overall rating.")
    _check_version(locked, version)
    if overall_rating not in Rating.values:
        raise ValidationError({"overall_rating": "Select the overall rating"})
    suggested = locked.suggested_overall_rating
    if ratings.reason_needed(overall_rating, suggested) and not reason.strip():
        raise ValidationError({"reason": ratings.reason_missing(overall_rating, suggested)})
    if overall_rating == suggested:
        reason = ""  # explains nothing, as in _drop_unneeded_reason; saved in one change rather than two
    _save(locked, user, overall_rating=overall_rating, overall_rating_reason=reason)
    return locked
