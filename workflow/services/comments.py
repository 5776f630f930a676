"""The panel's comments on a report: adding one (on a point, on the whole report, or a reply) and resolving a thread.

Each service locks the report row, so that a comment cannot slip in while the report is being submitted, and checks
that this person may still comment."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from workflow import permissions
from workflow.models import ReportComment, ReportPage

COMMENT_LIMIT = 2_000
EMPTY = "Enter your comment"
TOO_LONG = f"Your comment must be {COMMENT_LIMIT:,} characters or fewer"


class CommentsClosed(PermissionDenied):
    """The report's status no longer lets the panel comment (it was submitted while the person typed). `reason` says
    so in words for them, so that the form can keep what was typed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _open_report(report_id: int, user) -> ReportPage:
    report = ReportPage.objects.select_for_update().get(pk=report_id)
    if not permissions.may_comment(user, report):
        if reason := permissions.why_comments_closed(user, report):
            raise CommentsClosed(reason)
        raise PermissionDenied("You cannot comment on this report.")
    return report


def check_comment_text(text: str) -> str:
    if not text.strip():
        raise ValidationError(EMPTY, code="required")
    if len(text) > COMMENT_LIMIT:
        raise ValidationError(TOO_LONG, code="max_length")
    return text


@transaction.atomic
def comment_add(
    *, report: ReportPage, user, text: str, point_number: int | None = None, parent: ReportComment | None = None
) -> ReportComment:
    """A comment by a panel member on a point of the report (`point_number`), on the whole report (None), or a reply
    to the thread of `parent`, which takes its point."""
    report = _open_report(report.pk, user)
    check_comment_text(text)
    if parent is not None:
        if parent.report_id != report.pk:
            raise ValidationError("You can only reply to a comment on this report.")
        while parent.parent_id is not None:  # replies join the thread, never nest
            parent = parent.parent
        point_number = parent.point_number
    elif point_number is not None and not report.ratings.filter(number=point_number).exists():
        raise ValidationError(f"This report has no point {point_number}.")
    comment = ReportComment(report=report, point_number=point_number, parent=parent, author=user, text=text)
    comment._history_user = user
    comment.save()
    return comment


@transaction.atomic
def comment_resolve(*, comment: ReportComment, user) -> ReportComment:
    """Resolves a thread: any panel member, while the panel may comment. Resolving a reply resolves its thread;
    resolving a thread already resolved changes nothing."""
    _open_report(comment.report_id, user)
    thread = ReportComment.objects.select_for_update().get(pk=comment.parent_id or comment.pk)
    if thread.resolved_at is None:
        thread.resolved_at = timezone.now()
        thread.resolved_by = user
        thread._history_user = user
        thread.save()
    return thread
