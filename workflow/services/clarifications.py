"""The delivery team's questions about a shared report and the service assessment team's answers.

Asking stops the team's response clock; answering the last open question starts it again with the deadline moved
later by the working days it stood still (the rule is workflow.deadlines'). Each service locks the report row, so that
a question cannot slip in while the report is accepted or challenged, and two answers to one question never both
save."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from workflow import deadlines, emails, permissions, selectors
from workflow.models import Clarification, ReportPage, ReportStatus

QUESTION_LIMIT = 2_000
ANSWER_LIMIT = 5_000
QUESTION_EMPTY = "Enter your question"
QUESTION_TOO_LONG = f"Your question must be {QUESTION_LIMIT:,} characters or fewer"
ANSWER_EMPTY = "Enter the answer"
ANSWER_TOO_LONG = f"The answer must be {ANSWER_LIMIT:,} characters or fewer"
NO_SUCH_POINT = "Select the point your question is about, or the whole report"


class ClarificationRefused(PermissionDenied):
    """The question or answer cannot be saved now (the report moved on, or a colleague answered first), in words for
    the person, so that the form can keep what they typed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _check(text: str, *, empty: str, limit: int, too_long: str) -> str:
    if not text.strip():
        raise ValidationError(empty, code="required")
    if len(text) > limit:
        raise ValidationError(too_long, code="max_length")
    return text


def check_question(text: str) -> str:
    return _check(text, empty=QUESTION_EMPTY, limit=QUESTION_LIMIT, too_long=QUESTION_TOO_LONG)


def check_answer(text: str) -> str:
    return _check(text, empty=ANSWER_EMPTY, limit=ANSWER_LIMIT, too_long=ANSWER_TOO_LONG)


def _send(new_emails) -> None:
    # Through write_and_queue, so that a question recorded as past history (the demo's) emails nobody now.
    emails.write_and_queue(new_emails)


@transaction.atomic
def clarification_ask(
    *, report: ReportPage, user, rating_id: int | None, question: str, now: datetime.datetime | None = None
) -> Clarification:
    """A question from the report's product or delivery manager about one of its points (`rating_id`, a PointRating of
    this report) or the whole report (None), while it is shared with them. Stops the response clock."""
    report = ReportPage.objects.select_for_update().get(pk=report.pk)
    if not permissions.is_responder(user, report):
        raise PermissionDenied("Only the service's product or delivery manager can ask about its report.")
    if not permissions.may_ask_clarification(user, report):
        raise ClarificationRefused(
            "Your question has not been sent. You can only ask a question while the report is shared with you for a "
            f"response, and it is now {ReportStatus(report.status).label.lower()}."
        )
    check_question(question)
    rating = None
    if rating_id is not None:
        rating = report.ratings.filter(pk=rating_id).first()
        if rating is None:
            raise ValidationError(NO_SUCH_POINT, code="invalid_choice")
    now = now or timezone.now()
    # A question asked while another holds the clock stopped joins that stop rather than starting one of its own.
    already_stopped_on = selectors.response_clock_stopped_on(report)
    clarification = Clarification(
        report=report,
        rating=rating,
        question=question,
        asked_by=user,
        asked_at=now,
        clock_stopped_on=already_stopped_on or timezone.localdate(now),
    )
    clarification._history_user = user
    clarification.save()
    _send(emails.clarification_asked(clarification))
    return clarification


@transaction.atomic
def clarification_answer(
    *, clarification: Clarification, user, answer: str, now: datetime.datetime | None = None
) -> Clarification:
    """The service assessment team's answer. Answering the last open question of a shared report starts its response
    clock again, with the deadline moved by the working days it stood still; the person who asked is emailed."""
    if not permissions.may_answer_clarification(user):
        raise PermissionDenied("Only the service assessment team can answer the delivery team's questions.")
    check_answer(answer)
    # The report first, as every service that changes a report locks it: the deadline is the report's.
    report = ReportPage.objects.select_for_update().get(pk=clarification.report_id)
    locked = (
        Clarification.objects.select_for_update(of=("self",))
        .select_related("asked_by", "rating")
        .get(pk=clarification.pk)
    )
    if not locked.is_open:
        by = locked.answered_by.get_full_name() or locked.answered_by.get_username()
        raise ClarificationRefused(
            f"Your answer has not been saved: {by} answered this question on "
            f"{emails.long_date(timezone.localdate(locked.answered_at))}, while you were writing yours."
        )
    now = now or timezone.now()
    if report.status == ReportStatus.SHARED:
        stopped_on = selectors.response_clock_stopped_on(report)
        last_open = not report.clarifications.filter(answered_at__isnull=True).exclude(pk=locked.pk).exists()
        locked.working_days_added = 0
        if last_open and stopped_on is not None:
            moved_to, added = deadlines.response_due_restarted(report.response_due, stopped_on, timezone.localdate(now))
            locked.working_days_added = added
            if added:
                report.response_due = moved_to
                report._history_user = user
                report._change_reason = (
                    f"Response deadline moved {added} working day{'s' if added != 1 else ''} later: the response "
                    f"clock stopped from {emails.long_date(stopped_on)} while the team's question was open."
                )
                report.save(update_fields=["response_due"])
    locked.answer = answer
    locked.answered_by = user
    locked.answered_at = now
    locked._history_user = user
    locked.save()
    locked.report = report
    _send(emails.clarification_answered(locked))
    return locked
