"""Follow-up support after a report is accepted: the delivery team asks the panel for a call or a workshop about named
actions of the report; the lead assessor or the service assessment team records that it is arranged (how and when)
or declined (why). Each step emails the people it concerns, written in its own transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from workflow import emails, permissions
from workflow.models import FollowUpRequest, FollowUpStatus, FollowUpSupport, ReportAction, ReportPage
from workflow.models.follow_ups import DETAILS_LIMIT, OUTCOME_LIMIT

DETAILS_EMPTY = "Enter what you would like help with"
DETAILS_TOO_LONG = f"What you would like help with must be {DETAILS_LIMIT:,} characters or fewer"
NO_ACTIONS = "Select at least one action"
NOT_THIS_REPORTS = "Select actions from this report only"
OUTCOME_EMPTY = "Enter how and when it is arranged, or why it is declined"
OUTCOME_TOO_LONG = f"The outcome must be {OUTCOME_LIMIT:,} characters or fewer"


class AlreadyDecided(PermissionDenied):
    """Someone else recorded the outcome first; `reason` says so, for the form to show with the text kept."""

    def __init__(self, request: FollowUpRequest):
        by = request.decided_by
        who = (by.get_full_name() or by.get_username()) if by else "Someone"
        self.reason = (
            f"{who} has already recorded that this request is {request.get_status_display().lower()}, "
            "so your answer has not been saved."
        )
        super().__init__(self.reason)


def check_text(text: str, *, limit: int, empty: str, too_long: str) -> str:
    if not text.strip():
        raise ValidationError(empty, code="required")
    if len(text) > limit:
        raise ValidationError(too_long, code="max_length")
    return text.strip()


@transaction.atomic
def follow_up_request(
    *, report: ReportPage, user, support: str, actions: list[ReportAction], details: str
) -> FollowUpRequest:
    report = ReportPage.objects.select_for_update().get(pk=report.pk)
    if not permissions.may_ask_follow_up(user, report):
        raise PermissionDenied("Only the service's delivery team can ask for follow-up support, once it has accepted.")
    if support not in FollowUpSupport.values:
        raise ValidationError("Select a call or a workshop", code="invalid_choice")
    details = check_text(details, limit=DETAILS_LIMIT, empty=DETAILS_EMPTY, too_long=DETAILS_TOO_LONG)
    ids = {action.pk for action in actions}
    if not ids:
        raise ValidationError(NO_ACTIONS, code="required")
    own = list(ReportAction.objects.filter(rating__report=report, pk__in=ids))
    if len(own) != len(ids):
        raise ValidationError(NOT_THIS_REPORTS, code="invalid_choice")
    request = FollowUpRequest(report=report, requested_by=user, support=support, details=details)
    request._history_user = user
    request.save()
    request.actions.set(own)
    emails.write_and_queue(emails.follow_up_requested_emails(request))
    return request


@transaction.atomic
def follow_up_decide(*, request: FollowUpRequest, user, arranged: bool, outcome: str) -> FollowUpRequest:
    """Records the outcome once: of two people deciding at once, the second is refused (AlreadyDecided)."""
    locked = (
        FollowUpRequest.objects.select_for_update(of=("self",))
        .select_related("report", "decided_by")
        .get(pk=request.pk)
    )
    if not permissions.may_decide_follow_up(user, locked.report):
        raise PermissionDenied("Only the lead assessor or the service assessment team records follow-up support.")
    outcome = check_text(outcome, limit=OUTCOME_LIMIT, empty=OUTCOME_EMPTY, too_long=OUTCOME_TOO_LONG)
    if locked.is_decided:
        raise AlreadyDecided(locked)
    locked.status = FollowUpStatus.ARRANGED if arranged else FollowUpStatus.DECLINED
    locked.outcome = outcome
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked._history_user = user
    locked.save()
    emails.write_and_queue(emails.follow_up_answered_emails(locked))
    return locked
