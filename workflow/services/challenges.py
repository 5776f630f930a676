"""The challenge meeting and the challenge's outcome, both the Service Assessment Plus team's.

`meeting_arrange` and `meeting_change` lock the report row (and the meeting's), so two people arranging at once make
one meeting, and a change made on a page showing an older version of the meeting is refused. The invitation and the
change emails are written to the outbox in the same transaction and queued once it commits.

`challenge_resolve` records the outcome and the agreed changes and resolves the challenge in one transaction: of two
people resolving at once, one wins and the other is refused with nothing stored."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from workflow import emails, permissions, selectors
from workflow.models import (
    ChallengeMeeting,
    ChallengeOutcome,
    DeliveryTeamMember,
    PanelMember,
    ReportPage,
    ReportStatus,
)
from workflow.models.challenges import OUTCOME_MAX_LENGTH, PLACE_MAX_LENGTH
from workflow.services.transitions import TransitionRefused, report_transition
from workflow.transitions import ReportTransition


class MeetingRefused(Exception):
    """The meeting cannot be arranged or changed; `reasons` say why, in plain words."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


MEETING_CHANGED_SINCE = (
    "Someone else changed the meeting while you were looking at it. Nothing has been changed: check the meeting "
    "and try again."
)


def invitable(report: ReportPage):
    """The people who may be invited: the report's panel and its service's delivery team, panel first."""
    users = get_user_model().objects.filter(is_active=True)
    panel = users.filter(pk__in=PanelMember.objects.filter(assessment_id=report.assessment_id).values("user_id"))
    team = users.filter(
        pk__in=DeliveryTeamMember.objects.filter(service_id=report.assessment.service_id).values("user_id")
    )
    return list(panel.order_by("last_name", "first_name", "pk")) + list(
        team.exclude(pk__in=panel.values("pk")).order_by("last_name", "first_name", "pk")
    )


def _locked_challenged(report: ReportPage, user) -> tuple[ReportPage, object]:
    if not permissions.is_plus_team(user):
        raise PermissionDenied("Only the Service Assessment Plus team arranges challenge meetings.")
    locked = ReportPage.objects.select_for_update().select_related("assessment__service").get(pk=report.pk)
    if locked.status != ReportStatus.CHALLENGED:
        status = locked.get_status_display().lower()
        raise MeetingRefused([f"This report is {status}, so there is no challenge to meet about."])
    return locked, selectors.latest_challenge(locked)


def _checked(report: ReportPage, *, starts_at, place: str, attendee_ids) -> tuple[str, list]:
    reasons = []
    place = (place or "").strip()
    if not place:
        reasons.append("Enter where the meeting is, or the link to the call")
    elif len(place) > PLACE_MAX_LENGTH:
        reasons.append(f"Where the meeting is must be {PLACE_MAX_LENGTH:,} characters or fewer")
    if starts_at is None:
        reasons.append("Enter the date and time of the meeting")
    elif starts_at < timezone.now():
        reasons.append("The meeting must be in the future")
    allowed = {person.pk: person for person in invitable(report)}
    ids = {int(pk) for pk in attendee_ids}
    if not ids:
        reasons.append("Select the people to invite")
    elif not ids <= set(allowed):
        reasons.append("Select people from the report's panel and the service's delivery team only")
    if reasons:
        raise MeetingRefused(reasons)
    return place, [allowed[pk] for pk in allowed if pk in ids]


def _send(new_emails: list) -> None:
    # Through write_and_queue, so that a meeting recorded as past history (the demo's) emails nobody now.
    emails.write_and_queue(new_emails)


@transaction.atomic
def meeting_arrange(
    *, report: ReportPage, user, starts_at: datetime.datetime, place: str, attendee_ids
) -> ChallengeMeeting:
    locked, challenge = _locked_challenged(report, user)
    if ChallengeMeeting.objects.filter(challenge=challenge).exists():
        raise MeetingRefused(["Someone else has arranged the meeting already. Check it, and change it if you need to."])
    place, people = _checked(locked, starts_at=starts_at, place=place, attendee_ids=attendee_ids)
    meeting = ChallengeMeeting.objects.create(
        report=locked, challenge=challenge, starts_at=starts_at, place=place, arranged_by=user
    )
    meeting.attendees.set(people)
    _send(emails.meeting_invitations(meeting, people))
    return meeting


@transaction.atomic
def meeting_change(
    *, report: ReportPage, user, version: int, starts_at: datetime.datetime, place: str, attendee_ids
) -> ChallengeMeeting:
    locked, challenge = _locked_challenged(report, user)
    meeting = ChallengeMeeting.objects.select_for_update().filter(challenge=challenge).first()
    if meeting is None:
        raise MeetingRefused(["The meeting has not been arranged yet."])
    if meeting.version != version:
        raise MeetingRefused([MEETING_CHANGED_SINCE])
    place, people = _checked(locked, starts_at=starts_at, place=place, attendee_ids=attendee_ids)
    before = list(meeting.attendees.all())
    if meeting.starts_at == starts_at and meeting.place == place and {p.pk for p in before} == {p.pk for p in people}:
        return meeting  # nothing changed: nobody is emailed again
    meeting.starts_at, meeting.place = starts_at, place
    meeting.version += 1
    meeting.save()
    meeting.attendees.set(people)
    # Those no longer invited hear too, so that nobody turns up to a meeting they have been taken off.
    _send(emails.meeting_changed(meeting, [*people, *before]))
    return meeting


@transaction.atomic
def challenge_resolve(
    *, report: ReportPage, user, outcome: str, agreed_changes: str, expected_status: str | None = None
) -> ReportPage:
    """Records what was decided and resolves the challenge, in one transaction. The transition service locks the
    report and refuses a second resolve; the outcome, written first so the email can tell it, goes with the refusal."""
    outcome, agreed_changes = (outcome or "").strip(), (agreed_changes or "").strip()
    locked = ReportPage.objects.select_for_update().get(pk=report.pk)
    resolvable = (
        locked.status == ReportStatus.CHALLENGED
        and permissions.is_plus_team(user)
        and expected_status in (None, locked.status)
    )
    if resolvable:
        # Only once the transition's own refusals (someone else acted first, the person may not) are ruled out:
        # those explain more than a missing outcome on a page that no longer shows the form.
        if not outcome:
            raise TransitionRefused(["Enter what the panel and the team decided."])
        if len(outcome) > OUTCOME_MAX_LENGTH:
            raise TransitionRefused([f"What was decided must be {OUTCOME_MAX_LENGTH:,} characters or fewer."])
        ChallengeOutcome.objects.update_or_create(
            challenge=selectors.latest_challenge(locked),
            defaults={"outcome": outcome, "agreed_changes": agreed_changes, "recorded_by": user},
        )
    # Refuses (and so rolls the outcome back) when the report is no longer challenged or the person may not.
    return report_transition(
        report=locked,
        name=ReportTransition.RESOLVE,
        user=user,
        comment=agreed_changes,
        expected_status=expected_status,
    )
