"""The delivery team's work on its actions once it has accepted the report, and their review.

The product or delivery manager records what was done and the evidence, and marks the action ready for review; the
lead assessor or the service assessment team accepts it, which closes it, or asks for more, which gives it back to the
team. Each step is a row of the action's thread (ActionUpdate) and a new version of the action, in the action's
history; asking for a review and the review's answer email the people they concern, in the same transaction.

Each service locks the action's row: of two reviewers at once, the second finds it reviewed and is told so."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from workflow import emails, permissions, selectors
from workflow.models import ActionUpdate, ActionUpdateKind, ReportAction, ReportActionStatus, ReportStatus
from workflow.models.action_updates import TEXT_LIMIT

PROGRESS_EMPTY = "Enter what you did and your evidence"
PROGRESS_TOO_LONG = f"What you did and your evidence must be {TEXT_LIMIT:,} characters or fewer"
COMMENT_EMPTY = "Enter what more the team needs to do"
COMMENT_TOO_LONG = f"Your comment must be {TEXT_LIMIT:,} characters or fewer"
NOT_SAVED = "so what you typed has not been saved."


class ActionRefused(PermissionDenied):
    """The action's state no longer allows this step (a colleague acted first); `reason` says so in words for the
    person, for the form to show with what they typed kept."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def check_text(text: str, *, empty: str, too_long: str, required: bool = True) -> str:
    if required and not text.strip():
        raise ValidationError(empty, code="required")
    if len(text) > TEXT_LIMIT:
        raise ValidationError(too_long, code="max_length")
    return text.strip()


def _lock(action: ReportAction) -> ReportAction:
    return (
        ReportAction.objects.select_for_update(of=("self",))
        .select_related("rating__report", "closed_by")
        .get(pk=action.pk)
    )


def _why_closed(action: ReportAction) -> str:
    if action.closed_by_report_id:
        return "This action was closed by a later report"
    if action.closed_by_id:
        return f"{_person(action.closed_by)} accepted this action's evidence, which closed it"
    return "This action is closed"


def _save(action: ReportAction, update: ActionUpdate, user, *, bump: bool = True) -> ActionUpdate:
    if bump:
        action.version += 1
    action._history_user = user
    action.save()
    update._history_user = user
    update.save()
    return update


@transaction.atomic
def action_record_progress(*, action: ReportAction, user, text: str, ready_for_review: bool) -> ActionUpdate:
    """What the team did about an open action and its evidence; `ready_for_review` asks for the review, which emails
    the lead assessor and the service assessment team. Refused while the action waits for its review."""
    locked = _lock(action)
    if not permissions.may_record_action_progress(user, locked.rating.report):
        raise PermissionDenied("Only the product or delivery manager records progress on an accepted report's actions.")
    text = check_text(text, empty=PROGRESS_EMPTY, too_long=PROGRESS_TOO_LONG)
    if locked.status != ReportActionStatus.OPEN:
        raise ActionRefused(f"{_why_closed(locked)}, {NOT_SAVED}")
    if locked.ready_for_review_at is not None:
        raise ActionRefused(
            "This action is waiting for its review, so you cannot add to it until the lead assessor or the service "
            f"assessment team has reviewed it, {NOT_SAVED}"
        )
    now = timezone.now()
    kind = ActionUpdateKind.READY_FOR_REVIEW if ready_for_review else ActionUpdateKind.PROGRESS
    if ready_for_review:
        locked.ready_for_review_at = now
    update = _save(locked, ActionUpdate(action=locked, kind=kind, text=text, by=user, at=now), user)
    if ready_for_review:
        emails.write_and_queue(emails.action_ready_for_review_emails(update))
    return update


@transaction.atomic
def action_review(
    *, action: ReportAction, user, accepted: bool, comment: str, version: int | None = None
) -> ActionUpdate:
    """The review of an action ready for it: accepted closes it (a comment is optional), more needed gives it back to
    the team with a comment. Emails the delivery team either way. `version`, the action's as the reviewer saw it,
    refuses a review of an action that has changed since."""
    locked = _lock(action)
    if not permissions.may_review_actions(user, locked.rating.report):
        raise PermissionDenied("Only the lead assessor or the service assessment team reviews an action.")
    comment = check_text(comment, empty=COMMENT_EMPTY, too_long=COMMENT_TOO_LONG, required=not accepted)
    if locked.status != ReportActionStatus.OPEN:
        raise ActionRefused(f"{_why_closed(locked)}, {NOT_SAVED}")
    if locked.ready_for_review_at is None:
        last = locked.updates.select_related("by").order_by("-at", "-pk").first()
        if last is not None and last.kind == ActionUpdateKind.MORE_NEEDED:
            raise ActionRefused(f"{_person(last.by)} has already asked the team for more on this action, {NOT_SAVED}")
        raise ActionRefused(f"This action is not waiting for a review, {NOT_SAVED}")
    if version is not None and version != locked.version:
        raise ActionRefused(f"This action has changed since you opened the page, {NOT_SAVED}")
    now = timezone.now()
    locked.ready_for_review_at = None
    if accepted:
        # What the team said since the last review is the evidence accepted: how it resolved the action.
        if words := selectors.team_words_since_review(locked):
            locked.evidence = "\n\n".join(said.text for said in words)
        locked.status = ReportActionStatus.DONE
        locked.closed_at = now
        locked.closed_by = user
    kind = ActionUpdateKind.ACCEPTED if accepted else ActionUpdateKind.MORE_NEEDED
    update = _save(locked, ActionUpdate(action=locked, kind=kind, text=comment, by=user, at=now), user)
    emails.write_and_queue(emails.action_reviewed_emails(update))
    return update


@transaction.atomic
def action_status_changed_in_admin(*, action: ReportAction, user, was: str) -> ReportAction:
    """The service assessment team's edit of an action in the admin, already saved with its new status. Marking it
    done there accepts it as a review would: closed with who and when, in its thread, the delivery team emailed.
    Opening it again clears who closed it."""
    locked = _lock(action)
    if locked.status == was:
        return locked
    now = timezone.now()
    if locked.status == ReportActionStatus.DONE:
        locked.ready_for_review_at = None
        locked.closed_at = now
        locked.closed_by = user
        # The admin's edit has already bumped the version.
        update = _save(
            locked,
            ActionUpdate(action=locked, kind=ActionUpdateKind.ACCEPTED, text="", by=user, at=now),
            user,
            bump=False,
        )
        if locked.rating.report.status in ReportStatus.accepted_by_delivery_team():
            emails.write_and_queue(emails.action_reviewed_emails(update))
    else:
        locked.closed_at = None
        locked.closed_by = None
        locked.closed_by_report = None
        locked._history_user = user
        locked.save()
    return locked
