"""Correcting a published report: the service assessment team changes its words (the report's and the points'
answers, the actions' descriptions) with a public change note, and the page is published again.

One transaction: the report row is locked, the person and the report's status checked, every change checked against
the version the person read (a correction made on a stale page is refused with `StaleEdit`, changing nothing), the
correction recorded, the page's revision published (which clears the public page cache) and the delivery team's
emails written to the outbox, sent once it commits. Withdrawing is a transition (workflow.transitions)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from workflow import emails, permissions, questions
from workflow.models import PointRating, ReportAction, ReportCorrection, ReportPage, ReportStatus

from .editing import StaleEdit, _check_description, _check_version, _locked, _save

NOTE_LIMIT = 1_000
NOTE_MISSING = "Enter a change note saying what was corrected"
NOTE_TOO_LONG = f"Change note must be {NOTE_LIMIT:,} characters or fewer"
NOTHING_CHANGED = "Nothing in the report has changed. Change the words that need correcting, then publish again."

__all__ = ["Correction", "CorrectionRefused", "StaleEdit", "report_correct"]


class CorrectionRefused(PermissionDenied):
    """The report can no longer be corrected (someone withdrew it while the page was open); `reason` says so in
    words for the person, so that the page can keep what they typed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass
class Correction:
    """What the correction page posts: the report's answers, each point's (by rating id) and each action's words
    (by action id), each with the version the person read."""

    report_version: int
    report_answers: dict = field(default_factory=dict)
    points: dict[int, tuple[int, dict]] = field(default_factory=dict)
    actions: dict[int, tuple[int, str]] = field(default_factory=dict)


def why_not_correctable(report: ReportPage) -> str | None:
    if report.status == ReportStatus.PUBLISHED and report.live:
        return None
    status = report.get_status_display().lower()
    return f"This report is {status}, so it cannot be corrected. Only a published report can be."


def check_note(note: str) -> str:
    if not note.strip():
        raise ValidationError(NOTE_MISSING, code="required")
    if len(note) > NOTE_LIMIT:
        raise ValidationError(NOTE_TOO_LONG, code="max_length")
    return note.strip()


def _changed(row, user, **fields) -> bool:
    before = row.version
    _save(row, user, **fields)
    return row.version != before


@transaction.atomic
def report_correct(*, report: ReportPage, user, note: str, correction: Correction) -> ReportCorrection:
    locked = ReportPage.objects.select_for_update().get(pk=report.pk)
    if not permissions.may_correct_reports(user):
        raise PermissionDenied("You cannot correct this report.")
    if reason := why_not_correctable(locked):
        raise CorrectionRefused(reason)
    note = check_note(note)
    _check_version(locked, correction.report_version)
    changed = _changed(locked, user, **questions.changes(locked, questions.REPORT, locked, correction.report_answers))
    for rating_id, (version, answers) in correction.points.items():
        rating = _locked(PointRating, rating_id)
        if rating.report_id != locked.pk:
            raise StaleEdit(None)
        _check_version(rating, version)
        changed |= _changed(rating, user, **questions.changes(locked, questions.POINT, rating, answers))
    for action_id, (version, description) in correction.actions.items():
        action = _locked(ReportAction, action_id)
        if action.rating.report_id != locked.pk:
            raise StaleEdit(None)
        _check_version(action, version)
        _check_description(description)
        changed |= _changed(action, user, description=description)
    if not changed:
        raise ValidationError(NOTHING_CHANGED)
    made = ReportCorrection(report=locked, note=note, made_by=user)
    made._history_user = user
    made.save()
    _save(locked, user, corrected_at=made.made_at)
    # The transition's permission is the team's own; Wagtail's page permissions refuse every report edit
    # (ReportPagePermissionTester), as for publishing on acceptance. Publishing clears the public page cache.
    locked.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    # Through write_and_queue, so that a correction recorded as past history (the demo's) emails nobody now.
    emails.write_and_queue(emails.correction_emails(made))
    return made
