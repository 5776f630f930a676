"""The one way a report changes status.

`report_transition` makes any transition of the table in workflow.transitions, by name. It locks the report
row, checks the person may make the transition and that its conditions hold (saying why not, in
plain words), performs it, saves, records a status-history row, and queues its emails to be sent
once the transaction commits. A refusal changes nothing.

Views pass `expected_status`, the status the person's page showed: a report may be returned from submitted
and from checked, so without it a return pressed on a page that showed "submitted" would go through after
someone else had checked the report. Code with no page behind it (commands, tests) leaves it out."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import ConcurrentTransition
from simple_history.utils import bulk_update_with_history

from workflow import emails
from workflow.models import Assessment, Rating, ReportAction, ReportPage, ReportStatusChange
from workflow.models.reports import Condition
from workflow.services.actions_closing import actions_close_resolved
from workflow.transitions import TRANSITIONS, ReportTransition, TransitionSpec


class TransitionRefused(Exception):
    """The transition cannot happen now; `reasons` say why, in words for the person who asked."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def _meta(report: ReportPage, transition: TransitionSpec):
    return getattr(type(report), transition.method)._django_fsm


def may_make(report: ReportPage, transition: TransitionSpec, user) -> bool:
    """Whether this person may ever make this transition on this report, whatever its status now."""
    # Every source state of a transition method shares its permission: ask any of them.
    any_source = next(iter(_meta(report, transition).transitions.values()))
    return any_source.has_perm(report, user)


def allowed_transitions(report: ReportPage, user) -> list[TransitionSpec]:
    """The transitions this person may make on this report now, conditions aside (for buttons)."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if transition.made_by_people
        and _meta(report, transition).has_transition(report.status)
        and may_make(report, transition, user)
    ]


STATUS_CHANGED = (
    "Someone else changed this report's status while you were looking at it (it is now {status}). "
    "Nothing has been changed: check the report and try again."
)
# A second press of the same button (no JavaScript to stop it), or the same report open in two windows.
ALREADY_CHANGED_BY_YOU = (
    "You have already changed this report's status (it is now {status}). Nothing else has been changed: "
    "check the report."
)


def confidentiality_changed_reason(assessment, expected_confidential: bool | None) -> str | None:
    """Why accepting on a page that said whether accepting publishes cannot go ahead, now that the service
    assessment team has changed whether the assessment is confidential: the person agreed to the other outcome."""
    if expected_confidential is None or assessment.confidential == expected_confidential:
        return None
    now = "confidential, so it will not be published" if assessment.confidential else "no longer confidential"
    return (
        f"The service assessment team has changed the assessment since you opened the page: it is now {now}. "
        "Read the report again before you accept it."
    )


def status_changed_reason(report: ReportPage, expected_status: str | None, user) -> str | None:
    """Why a transition made on a page that showed `expected_status` cannot go ahead, now that the report's status
    is no longer that one; None when it is (or no status was given)."""
    if expected_status is None or report.status == expected_status:
        return None
    status = report.get_status_display().lower()
    latest = report.status_changes.order_by("-at", "-pk").only("by_id").first()
    if latest is not None and user is not None and latest.by_id == user.pk:
        return ALREADY_CHANGED_BY_YOU.format(status=status)
    return STATUS_CHANGED.format(status=status)


def _done(report: ReportPage, transition: TransitionSpec) -> str:
    # Asked only when refusing: whether accepting publishes reads the assessment, a query most callers need not make.
    return transition.done_for(published=report.accepting_publishes)


def refusal_reasons(report: ReportPage, transition: TransitionSpec, comment: str = "") -> list[str]:
    """Why the transition cannot happen now, assuming the person may make it; empty when it can."""
    meta = _meta(report, transition)
    if not meta.has_transition(report.status):
        status = report.get_status_display().lower()
        return [f"This report is {status}, so it cannot be {_done(report, transition)} now."]
    reasons = []
    for condition in meta.get_transition(report.status).conditions:
        refusal = condition.refusal(report) if isinstance(condition, Condition) else None
        if refusal is None and not condition(report):
            refusal = f"The report cannot be {_done(report, transition)} now."
        if refusal:
            reasons.append(refusal)
    if transition.takes_comment and not comment.strip():
        reasons.append(transition.comment_prompt + ".")
    return reasons


@transaction.atomic
def _perform(
    *,
    report: ReportPage,
    transition: TransitionSpec,
    user,
    comment: str = "",
    expected_status: str | None = None,
    expected_confidential: bool | None = None,
) -> ReportPage:
    # Lock the row: of two people pressing accept and challenge at once, the second waits, then sees the
    # new status and is refused. (SQLite has no row locks; the status check on save catches it there.)
    locked = ReportPage.objects.select_for_update().get(pk=report.pk)
    if not may_make(locked, transition, user):
        raise PermissionDenied(f"You cannot make this change to the report for {locked.title}.")
    # Before the transition's own conditions: "someone else moved it on" explains a refusal better than "a checked
    # report cannot be checked", and it refuses what those conditions would allow (returning a report someone
    # has just checked).
    if changed := status_changed_reason(locked, expected_status, user):
        raise TransitionRefused([changed])
    if transition.name == ReportTransition.ACCEPT:
        # Under the assessment's row lock, so that the team's change to whether it is confidential either comes first
        # and counts here, or waits and is then refused by Assessment's own check (the report being accepted).
        locked.assessment = Assessment.objects.select_for_update().get(pk=locked.assessment_id)
        if changed := confidentiality_changed_reason(locked.assessment, expected_confidential):
            raise TransitionRefused([changed])
    reasons = refusal_reasons(locked, transition, comment)
    if reasons:
        raise TransitionRefused(reasons)
    _run(locked, transition, user, comment.strip())
    if transition.name == ReportTransition.ACCEPT:
        _start_amber_actions_clock(locked, user)
        # A follow-up's ratings stand once accepted, published or confidential: the earlier actions they resolve close.
        actions_close_resolved(report=locked, user=user)
        # Publishing's own conditions say whether it follows (a confidential assessment's report ends here, accepted).
        if locked.accepting_publishes:
            _publish(locked, user)
        locked.refresh_from_db()
    return locked


def _run(report: ReportPage, transition: TransitionSpec, user, comment: str) -> None:
    from_status = report.status
    getattr(report, transition.method)()
    try:
        report.save()
    except ConcurrentTransition as error:
        raise TransitionRefused(["Someone else changed this report's status at the same time. Try again."]) from error
    change = ReportStatusChange.objects.create(
        report=report,
        transition=transition.name,
        from_status=from_status,
        to_status=report.status,
        by=user,
        comment=comment,
    )
    # Written in this transaction, so a rolled-back transition leaves no email; sent once it commits.
    emails.write_for_status_change(change)
    # robust: the change is committed by now, so a failure to queue must not tell the person it was not made; the
    # outbox rows are written already and the minute schedule sends them.
    transaction.on_commit(lambda: emails.queue_for_status_change(change.pk), robust=True)


def _start_amber_actions_clock(report: ReportPage, user) -> None:
    """Accepting gives the amber actions their due date, whether the report is published or confidential."""
    due = report.amber_actions_due
    amber_actions = list(ReportAction.objects.filter(rating__report=report, rating__rating=Rating.AMBER))
    for action in amber_actions:
        action.due_date = due
    bulk_update_with_history(amber_actions, ReportAction, ["due_date"], default_user=user)


def _publish(report: ReportPage, user) -> None:
    """Accepting publishes: the page goes live in the reports section."""
    _run(report, TRANSITIONS[ReportTransition.PUBLISH], user, "Published on acceptance.")
    # The transition's own permission allowed this; the delivery team has no Wagtail page permissions.
    report.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def report_transition(
    *,
    report: ReportPage,
    name: ReportTransition | str,
    user,
    comment: str = "",
    expected_status: str | None = None,
    expected_confidential: bool | None = None,
) -> ReportPage:
    """Makes the transition `name`. A name from a request (the admin's buttons post it in the address) may be any
    text: one that is not a transition people make is refused like any other."""
    transition = TRANSITIONS.get(name)
    if transition is None or not transition.made_by_people:
        raise TransitionRefused([f"There is no such change as {str(name)!r}."])
    return _perform(
        report=report,
        transition=transition,
        user=user,
        comment=comment,
        expected_status=expected_status,
        expected_confidential=expected_confidential,
    )
