"""The emails of the report lifecycle: who gets which, with what personalisation.

Emails caused by a status change are written to the outbox in the transition's own transaction
(`write_for_status_change`, called by the transition service) and sent after commit by
`queue_for_status_change`, which the transition service calls in `transaction.on_commit`. Scheduled emails
(reminders, overdue notices, feedback requests) are written by `scheduled_emails`, run daily.

Every link is absolute, built from settings.BASE_URL, and holds only ids: never a person's own text.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from notify import kinds
from notify import outbox as notify_outbox
from notify.markdown import plain_personalisation
from notify.models import OutboxEmail, OutboxStatus
from notify.outbox import NewEmail
from workflow import deadlines, permissions, roles, selectors
from workflow.models import (
    ActionUpdateKind,
    Assessment,
    BookingRequest,
    BookingStatus,
    DeliveryTeamMember,
    DeliveryTeamRole,
    FollowUpRequest,
    FollowUpStatus,
    PanelMember,
    PanelRole,
    Rating,
    ReportAction,
    ReportPage,
    ReportStatus,
    ReportStatusChange,
)
from workflow.services import feedback as feedback_survey
from workflow.transitions import TRANSITIONS, ReportTransition

logger = logging.getLogger(__name__)

_recording_the_past = contextvars.ContextVar("recording_the_past", default=False)


@contextlib.contextmanager
def none_for_past_events():
    """Status changes made inside this block write and send no email. For loading a history that happened
    weeks ago (the demo's story): its emails would have gone then, and written now they would reach people as
    a burst of stale emails. Hold it until the outer transaction has committed, since emails are queued on
    commit."""
    token = _recording_the_past.set(True)
    try:
        yield
    finally:
        _recording_the_past.reset(token)


def queue_for_status_change(status_change_id: int) -> None:
    """Called after a status change commits; writes the outbox rows for its emails and queues them."""
    if _recording_the_past.get():
        return
    change = ReportStatusChange.objects.filter(pk=status_change_id).select_related("report", "by").first()
    if change is None:
        return
    # Normally written already, in the transition's transaction (and writing twice would insert nothing).
    event = status_change_event(change)
    if not OutboxEmail.objects.filter(event=event).exists():
        notify_outbox.write(emails_for_status_change(change))
    ids = OutboxEmail.objects.filter(event=event, status=OutboxStatus.QUEUED).values_list("pk", flat=True)
    notify_outbox.enqueue(list(ids))


def status_change_event(change: ReportStatusChange) -> str:
    """The outbox's key for the emails of a status change."""
    return f"status-change:{change.pk}"


def write_for_status_change(change: ReportStatusChange) -> list:
    if _recording_the_past.get():
        return []
    return notify_outbox.write(emails_for_status_change(change))


def write_and_queue(emails: list[NewEmail]) -> None:
    """For the emails of events that are not status changes (a question, a meeting, a booking): written by their
    services in the event's own transaction and queued once it commits; none while the demo loads its past."""
    if _recording_the_past.get():
        return
    notify_outbox.enqueue(notify_outbox.write(emails))


# --- people ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


def recipients(users: Iterable) -> list[Recipient]:
    """Active people with an email address, once each (by address), in the order given."""
    seen: set[str] = set()
    found = []
    for user in users:
        address = (user.email or "").strip()
        if not user.is_active or not address:
            if user.is_active:
                logger.warning("%s has no email address, so gets no email", user.get_username())
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        found.append(Recipient(address, user.get_full_name() or user.get_username()))
    return found


def _group(name: str) -> list:
    return list(get_user_model().objects.filter(groups__name=name, is_active=True).order_by("pk").distinct())


def assessment_team() -> list:
    return _group(roles.SERVICE_ASSESSMENT_TEAM)


def plus_team() -> list:
    return _group(roles.SERVICE_ASSESSMENT_PLUS_TEAM)


def panel(assessment: Assessment) -> list:
    return [member.user for member in PanelMember.objects.filter(assessment=assessment).select_related("user")]


def lead_assessor(assessment: Assessment) -> list:
    seats = PanelMember.objects.filter(assessment=assessment, role=PanelRole.LEAD).select_related("user")
    return [member.user for member in seats]


def delivery_team(assessment: Assessment, roles_: Iterable[str] | None = None) -> list:
    members = DeliveryTeamMember.objects.filter(service_id=assessment.service_id).select_related("user")
    if roles_ is not None:
        members = members.filter(role__in=list(roles_))
    return [member.user for member in members.order_by("role", "pk")]


RESPONDERS = [DeliveryTeamRole.PRODUCT_MANAGER, DeliveryTeamRole.DELIVERY_MANAGER]
SHARED_WITH = [*RESPONDERS, DeliveryTeamRole.SRO]


# --- words and links -------------------------------------------------------------------------------


def long_date(day: datetime.date) -> str:
    """GOV.UK style: 1 October 2026."""
    return f"{day.day} {day:%B %Y}"


def absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def report_link(report: ReportPage | None, audience: str) -> str:
    """The report's page for the people of `audience` (assessment_team, assessor, delivery, plus), or
    their dashboard if that page does not exist."""
    if report is not None:
        try:
            return absolute(reverse(f"{audience}:report", args=[report.pk]))
        except NoReverseMatch:
            pass
    return absolute(reverse("dashboard"))


def public_link(report: ReportPage) -> str:
    parts = report.get_url_parts()
    return absolute(parts[2] if parts else report.url_path)


def _about(assessment: Assessment, recipient: Recipient) -> dict[str, str]:
    return {"name": recipient.name, "service_name": assessment.service.name, "stage": assessment.stage_name}


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def _email(kind: str, recipient: Recipient, key: str, personalisation: dict, *, report=None, change=None) -> NewEmail:
    return NewEmail(
        kind=kind,
        email_address=recipient.email,
        # People's own words are shown as they typed them, never as Notify's Markdown (notify.markdown).
        personalisation=plain_personalisation(personalisation),
        idempotency_key=f"{kind}:{key}:{recipient.email.lower()}",
        subject=report,
        event=status_change_event(change) if change is not None else "",
    )


# --- emails caused by status changes ---------------------------------------------------------------


@dataclass(frozen=True)
class _StatusChangeEmails:
    """What every email of one status change draws on, and how each of its kinds is written to its people."""

    change: ReportStatusChange
    report: ReportPage
    assessment: Assessment

    def each(self, kind: str, people: Iterable, extra) -> list[NewEmail]:
        return [
            _email(
                kind,
                recipient,
                f"change:{self.change.pk}",
                {**_about(self.assessment, recipient), **extra(recipient)},
                report=self.report,
                change=self.change,
            )
            for recipient in recipients(people)
        ]

    def report_submitted(self) -> list[NewEmail]:
        lead = lead_assessor(self.assessment)
        return self.each(
            kinds.REPORT_SUBMITTED,
            assessment_team(),
            lambda r: {
                "assessment_date": long_date(self.assessment.date),
                "lead_assessor": _person(lead[0] if lead else None),
                "report_link": report_link(self.report, "assessment_team"),
            },
        )

    def report_returned(self) -> list[NewEmail]:
        return self.each(
            kinds.REPORT_RETURNED,
            lead_assessor(self.assessment),
            lambda r: {"comment": self.change.comment, "report_link": report_link(self.report, "assessor")},
        )

    def report_shared(self) -> list[NewEmail]:
        due = self.report.response_due
        return self.each(
            kinds.REPORT_SHARED,
            delivery_team(self.assessment, SHARED_WITH),
            lambda r: {
                "assessment_date": long_date(self.assessment.date),
                "report_link": report_link(self.report, "delivery"),
                "response_deadline": long_date(due),
            },
        )

    def challenge_received(self) -> list[NewEmail]:
        """The Plus team arranges the meeting; the panel hears at once, since it will amend the report and meet."""

        def about(audience: str):
            return lambda r: {
                "challenged_by": _person(self.change.by),
                "reasons": self.change.comment,
                "report_link": report_link(self.report, audience),
            }

        return [
            *self.each(kinds.CHALLENGE_RECEIVED, plus_team(), about("plus")),
            *self.each(kinds.CHALLENGE_RECEIVED, panel(self.assessment), about("assessor")),
        ]

    def report_published(self) -> list[NewEmail]:
        return self.each(
            kinds.REPORT_PUBLISHED,
            [*delivery_team(self.assessment), *panel(self.assessment)],
            lambda r: {
                "overall_rating": self.report.get_overall_rating_display(),
                "public_link": public_link(self.report),
            },
        )

    def report_accepted_unpublished(self) -> list[NewEmail]:
        """What the published email tells, for the report that accepting does not publish: each person is sent to the
        report's page on their own dashboard, since the report has no public page."""
        if self.report.accepting_publishes:
            return []

        def about(audience: str):
            return lambda r: {
                "overall_rating": self.report.get_overall_rating_display(),
                "why_not_published": self.assessment.why_not_published,
                "report_link": report_link(self.report, audience),
            }

        kind = kinds.REPORT_ACCEPTED_UNPUBLISHED
        return [
            *self.each(kind, delivery_team(self.assessment), about("delivery")),
            *self.each(kind, panel(self.assessment), about("assessor")),
            # Publishing's email leaves the service assessment team out, but here no published report shows the team
            # that the process of an assessment it made confidential (or of a peer review) has ended.
            *self.each(kind, assessment_team(), about("assessment_team")),
        ]

    def reassessment_needed(self) -> list[NewEmail]:
        red_points = [
            f"Point {rating.number}: {rating.title}"
            for rating in self.report.ratings.filter(rating=Rating.RED).order_by("number")
        ]
        if not red_points:
            return []
        return self.each(
            kinds.REASSESSMENT_NEEDED,
            delivery_team(self.assessment),
            lambda r: {"red_points": red_points, "public_link": public_link(self.report)},
        )


# Which emails a status change sends is its transition's `emails` (workflow.transitions); this says how each is written.
STATUS_CHANGE_EMAILS = {
    kinds.REPORT_SUBMITTED: _StatusChangeEmails.report_submitted,
    kinds.REPORT_RETURNED: _StatusChangeEmails.report_returned,
    kinds.REPORT_SHARED: _StatusChangeEmails.report_shared,
    kinds.CHALLENGE_RECEIVED: _StatusChangeEmails.challenge_received,
    kinds.REPORT_PUBLISHED: _StatusChangeEmails.report_published,
    kinds.REPORT_ACCEPTED_UNPUBLISHED: _StatusChangeEmails.report_accepted_unpublished,
    kinds.REASSESSMENT_NEEDED: _StatusChangeEmails.reassessment_needed,
}


def emails_for_status_change(change: ReportStatusChange) -> list[NewEmail]:
    try:
        spec = TRANSITIONS[ReportTransition(change.transition)]
    except ValueError:
        logger.warning("Status change %s has an unknown transition %r, so sends no email", change.pk, change.transition)
        return []
    if not spec.emails:
        return []
    report = change.report
    writer = _StatusChangeEmails(
        change=change,
        report=report,
        assessment=Assessment.objects.select_related("service").get(pk=report.assessment_id),
    )
    return [email for kind in spec.emails for email in STATUS_CHANGE_EMAILS[kind](writer)]


# --- scheduled emails ------------------------------------------------------------------------------


def scheduled_emails(today: datetime.date | None = None) -> list[NewEmail]:
    """Every scheduled email due today. One that fell due up to NOTIFY_SCHEDULE_CATCH_UP_DAYS ago (the
    schedule did not run) is due still, if it still applies; its idempotency key makes it send once."""
    today = today or timezone.localdate()
    catch_up = datetime.timedelta(days=settings.NOTIFY_SCHEDULE_CATCH_UP_DAYS)

    def due(trigger: datetime.date) -> bool:
        return trigger <= today <= trigger + catch_up

    return [
        *_response_emails(today, due),
        *_not_shared_emails(today, due, catch_up),
        *_feedback_emails(today, due, catch_up),
        *_amber_action_emails(today, due, catch_up),
    ]


def _response_emails(today, due) -> list[NewEmail]:
    emails = []
    shared = (
        ReportPage.objects.filter(
            status=ReportStatus.SHARED,
            response_due__isnull=False,
            response_due__gte=today - datetime.timedelta(days=settings.NOTIFY_SCHEDULE_CATCH_UP_DAYS + 1),
        )
        # While a question is open the response clock is stopped: nothing to remind of or chase until it is answered,
        # when the deadline has moved and these go for the new one.
        .exclude(pk__in=selectors.reports_with_open_questions())
        .select_related("assessment__service")
    )
    for report in shared:
        assessment, deadline = report.assessment, report.response_due
        key = f"report:{report.pk}:{deadline.isoformat()}"
        if due(report.response_reminder_on) and today <= deadline:
            for recipient in recipients(delivery_team(assessment, RESPONDERS)):
                personalisation = {
                    **_about(assessment, recipient),
                    "report_link": report_link(report, "delivery"),
                    "response_deadline": long_date(deadline),
                }
                emails.append(_email(kinds.RESPONSE_REMINDER, recipient, key, personalisation, report=report))
        if due(deadlines.missed_from(deadline)):
            for recipient in recipients(assessment_team()):
                personalisation = {
                    **_about(assessment, recipient),
                    "response_deadline": long_date(deadline),
                    "report_link": report_link(report, "assessment_team"),
                }
                emails.append(_email(kinds.RESPONSE_OVERDUE, recipient, key, personalisation, report=report))
    return emails


def _not_shared_emails(today, due, catch_up) -> list[NewEmail]:
    """The lead assessor and the team hear once that a report is late to share: on its first late day (or up to
    `catch_up` days after, if the schedule did not run), while it is still late by the rule every page uses."""
    emails = []
    # Assessments late for longer than the catch-up are left to the pages.
    late = selectors.late_assessments(today).filter(share_due_on__gte=today - catch_up - datetime.timedelta(days=1))
    team = None
    for assessment in late:
        if not due(deadlines.missed_from(assessment.share_due)):
            continue
        report = getattr(assessment, "report", None)  # None: nobody has started it
        team = assessment_team() if team is None else team
        key = f"assessment:{assessment.pk}"
        for people, audience in ((lead_assessor(assessment), "assessor"), (team, "assessment_team")):
            for recipient in recipients(people):
                personalisation = {
                    **_about(assessment, recipient),
                    "assessment_date": long_date(assessment.date),
                    "share_deadline": long_date(assessment.share_due),
                    "report_status": report.get_status_display() if report else "Not started",
                    "report_link": report_link(report, audience),
                }
                emails.append(_email(kinds.REPORT_NOT_SHARED, recipient, key, personalisation, report=report))
    return emails


def _feedback_emails(today, due, catch_up) -> list[NewEmail]:
    emails = []
    latest = today - datetime.timedelta(days=1)
    assessments = Assessment.objects.filter(date__range=(latest - catch_up, latest)).select_related("service")
    assessments = [assessment for assessment in assessments if due(assessment.date + datetime.timedelta(days=1))]
    if not assessments:
        return []
    for assessment in assessments:
        report = ReportPage.objects.filter(assessment=assessment).first()
        for recipient in recipients([*delivery_team(assessment), *panel(assessment)]):
            personalisation = {
                **_about(assessment, recipient),
                "assessment_date": long_date(assessment.date),
                # Each person's own one-time link, so each answer is tied to its assessment; asking again gives
                # the same link, so a re-run of the daily job makes no new ones.
                "survey_link": feedback_survey.invitation_link(assessment=assessment, email=recipient.email),
            }
            emails.append(
                _email(kinds.FEEDBACK_REQUEST, recipient, f"assessment:{assessment.pk}", personalisation, report=report)
            )
    return emails


def _amber_action_emails(today, due, catch_up) -> list[NewEmail]:
    day = datetime.timedelta(days=1)
    actions = (
        selectors.with_amber_reminder_day(selectors.open_amber_actions())
        .filter(due_date__gte=today - catch_up - day, reminder_on__lte=today)
        .order_by("rating__number", "pk")
    )
    grouped: dict[tuple[int, datetime.date], list[ReportAction]] = defaultdict(list)
    reports = {}
    for action in actions:
        report = action.rating.report
        reports[report.pk] = report
        grouped[(report.pk, action.due_date)].append(action)
    emails = []
    for (report_pk, due_date), open_actions in grouped.items():
        report = reports[report_pk]
        reminder_on = deadlines.amber_actions_reminder_on(due_date, report.amber_actions_reminder_days_before)
        if due(reminder_on) and not deadlines.is_missed(due_date, today):
            kind = kinds.AMBER_ACTIONS_DUE
        elif due(deadlines.missed_from(due_date)):
            kind = kinds.AMBER_ACTIONS_OVERDUE
        else:
            continue
        listed = [f"Point {action.rating.number}: {action.description}" for action in open_actions]
        for recipient in recipients(delivery_team(report.assessment)):
            personalisation = {
                **_about(report.assessment, recipient),
                "due_date": long_date(due_date),
                "actions": listed,
                "report_link": report_link(report, "delivery"),
            }
            emails.append(
                _email(kind, recipient, f"report:{report.pk}:{due_date.isoformat()}", personalisation, report=report)
            )
    return emails


# --- the challenge meeting and its outcome ------------------------------------------------------------


def meeting_time(moment: datetime.datetime) -> str:
    """GOV.UK style, in UK time: 3 December 2026 at 2:30pm (2pm on the hour, midday at noon)."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        clock = "midday"
    else:
        hour = local.hour % 12 or 12
        clock = f"{hour}{f':{local.minute:02d}' if local.minute else ''}{'am' if local.hour < 12 else 'pm'}"
    return f"{long_date(local.date())} at {clock}"


def _meeting_roles(assessment: Assessment) -> tuple[dict, dict]:
    """Each invitable person's role, by user id: on the panel, and on the delivery team."""
    panel_roles = {seat.user_id: seat.get_role_display() for seat in PanelMember.objects.filter(assessment=assessment)}
    team_roles = {
        seat.user_id: seat.get_role_display()
        for seat in DeliveryTeamMember.objects.filter(service_id=assessment.service_id)
    }
    return panel_roles, team_roles


def _meeting_emails(kind: str, meeting, people) -> list[NewEmail]:
    report = meeting.report
    assessment = Assessment.objects.select_related("service").get(pk=report.assessment_id)
    panel_roles, team_roles = _meeting_roles(assessment)
    attendees = list(meeting.attendees.all())
    listed = [
        f"{_person(person)}, {panel_roles.get(person.pk) or team_roles.get(person.pk) or 'attendee'}"
        for person in attendees
    ]
    by_address = {(person.email or "").strip().lower(): person for person in people}
    found = []
    for recipient in recipients(people):
        person = by_address[recipient.email.lower()]
        # Each person to the report on their own pages: the panel's, or the delivery team's.
        audience = "assessor" if person.pk in panel_roles else "delivery"
        personalisation = {
            **_about(assessment, recipient),
            "meeting_time": meeting_time(meeting.starts_at),
            "meeting_place": meeting.place,
            "attendees": listed,
            "report_link": report_link(report, audience),
        }
        key = f"meeting:{meeting.pk}:v{meeting.version}"
        found.append(_email(kind, recipient, key, personalisation, report=report))
    return found


def meeting_invitations(meeting, people) -> list[NewEmail]:
    return _meeting_emails(kinds.MEETING_INVITATION, meeting, people)


def meeting_changed(meeting, people) -> list[NewEmail]:
    """To everyone invited before the change or after it."""
    return _meeting_emails(kinds.MEETING_CHANGED, meeting, people)


def _challenge_resolved(writer: _StatusChangeEmails) -> list[NewEmail]:
    """The delivery team hears what was decided; the report then goes back to be checked and shared again."""
    from workflow.models import ChallengeOutcome

    # The outcome of the challenge this resolves (the latest before it), never an earlier challenge's.
    challenge = (
        ReportStatusChange.objects.filter(
            report_id=writer.report.pk, transition=ReportTransition.CHALLENGE, pk__lt=writer.change.pk
        )
        .order_by("-pk")
        .first()
    )
    recorded = ChallengeOutcome.objects.filter(challenge=challenge).first() if challenge else None
    outcome = recorded.outcome if recorded else "The Service Assessment Plus team has resolved the challenge."
    agreed = (recorded.agreed_changes if recorded else "") or writer.change.comment or "None recorded."
    # To their dashboard, which lists the report while it is checked again: the report's own page opens to them
    # once it is shared again (permissions.TEAM_SEES_FROM).
    dashboard = absolute(reverse("delivery:dashboard"))
    return writer.each(
        kinds.CHALLENGE_RESOLVED,
        delivery_team(writer.assessment, SHARED_WITH),
        lambda r: {"outcome": outcome, "agreed_changes": agreed, "report_link": dashboard},
    )


STATUS_CHANGE_EMAILS[kinds.CHALLENGE_RESOLVED] = _challenge_resolved


# --- bookings, panels and follow-up support --------------------------------------------------------


def _service_team(service_id: int) -> list:
    members = DeliveryTeamMember.objects.filter(service_id=service_id).select_related("user")
    return [member.user for member in members.order_by("role", "pk")]


def _about_booking(booking: BookingRequest, recipient: Recipient) -> dict[str, str]:
    return {
        "name": recipient.name,
        "service_name": booking.service.name,
        "stage": Assessment.name_stage(booking.phase, booking.type.stage_suffix),
    }


def booking_received_emails(booking: BookingRequest) -> list[NewEmail]:
    link = absolute(reverse("bookings:decide", args=[booking.pk]))
    return [
        _email(
            kinds.BOOKING_RECEIVED,
            recipient,
            f"booking:{booking.pk}",
            {
                **_about_booking(booking, recipient),
                "requested_by": _person(booking.requested_by),
                "preferred_dates": booking.preferred_dates or "None given",
                "booking_link": link,
            },
            report=booking,
        )
        for recipient in recipients(assessment_team())
    ]


def panel_lines(assessment: Assessment) -> list[str]:
    """The panel as the delivery team is told it: "Name, role", lead first."""
    return [f"{_person(seat.user)}, {seat.get_role_display()}" for seat in selectors.panel_seats(assessment)]


def booking_decided_emails(booking: BookingRequest) -> list[NewEmail]:
    """Accepted (with the date and the panel) or rejected (with the reason), to the person who asked and the
    service's delivery team, once each."""
    people = [booking.requested_by, *_service_team(booking.service_id)]
    by_address = {(person.email or "").strip().lower(): person for person in reversed(people)}
    if booking.status == BookingStatus.ACCEPTED:
        kind = kinds.BOOKING_ACCEPTED
        assessment = booking.assessment
        extra = {"assessment_date": long_date(assessment.date), "panel": panel_lines(assessment)}
    else:
        kind, extra = kinds.BOOKING_REJECTED, {"reason": booking.reason}
    return [
        _email(
            kind,
            recipient,
            f"booking:{booking.pk}",
            {
                **_about_booking(booking, recipient),
                **extra,
                "dashboard_link": _bookings_page(by_address[recipient.email.lower()]),
            },
            report=booking,
        )
        for recipient in recipients(people)
    ]


def _bookings_page(user) -> str:
    """Where a delivery team member sees their requests and the answers (the service named, the date or the reason);
    anyone else who asked (the service assessment team may ask for any service), their dashboard."""
    is_delivery_team = user.groups.filter(name=roles.DELIVERY_TEAM_MEMBERS).exists()
    return absolute(reverse("booking:index" if is_delivery_team else "dashboard"))


def panel_appointed_emails(seats: Iterable[PanelMember]) -> list[NewEmail]:
    """One email per seat, ever: its key is the seat, so saving a seat again sends nothing more."""
    emails = []
    for seat in seats:
        assessment = seat.assessment
        for recipient in recipients([seat.user]):
            personalisation = {
                **_about(assessment, recipient),
                "assessment_date": long_date(assessment.date),
                "panel_role": seat.get_role_display().lower(),
                # The assessor's dashboard lists the assessments whose panel they sit on, this one among them.
                "dashboard_link": absolute(reverse("assessor:dashboard")),
            }
            emails.append(_email(kinds.PANEL_APPOINTED, recipient, f"seat:{seat.pk}", personalisation, report=seat))
    return emails


def _follow_up_actions(request: FollowUpRequest) -> list[str]:
    actions = sorted(request.actions.select_related("rating"), key=lambda a: (a.rating.number, a.pk))
    return [f"Point {action.rating.number}: {action.description}" for action in actions]


def follow_up_requested_emails(request: FollowUpRequest) -> list[NewEmail]:
    report = request.report
    assessment = Assessment.objects.select_related("service", "type").get(pk=report.assessment_id)
    listed = _follow_up_actions(request)
    emails = []
    for people, audience in ((lead_assessor(assessment), "assessor"), (assessment_team(), "assessment_team")):
        for recipient in recipients(people):
            personalisation = {
                **_about(assessment, recipient),
                "requested_by": _person(request.requested_by),
                "support": request.get_support_display().lower(),
                "actions": listed,
                "details": request.details,
                "report_link": report_link(report, audience),
            }
            emails.append(
                _email(kinds.FOLLOW_UP_REQUESTED, recipient, f"follow-up:{request.pk}", personalisation, report=report)
            )
    return emails


def follow_up_answered_emails(request: FollowUpRequest) -> list[NewEmail]:
    report = request.report
    assessment = Assessment.objects.select_related("service", "type").get(pk=report.assessment_id)
    if request.status == FollowUpStatus.ARRANGED:
        outcome = f"It has been arranged: {request.outcome}"
    else:
        outcome = f"It has been declined. The reason given: {request.outcome}"
    return [
        _email(
            kinds.FOLLOW_UP_ANSWERED,
            recipient,
            f"follow-up:{request.pk}",
            {
                **_about(assessment, recipient),
                "support": request.get_support_display().lower(),
                "outcome": outcome,
                "report_link": report_link(report, "delivery"),
            },
            report=report,
        )
        for recipient in recipients([request.requested_by])
    ]


# --- after publishing: corrections and withdrawal ------------------------------------------------------


def correction_emails(correction) -> list[NewEmail]:
    """The delivery team hears of a correction to its published report, with the public change note."""
    report = correction.report
    assessment = Assessment.objects.select_related("service").get(pk=report.assessment_id)
    return [
        _email(
            kinds.REPORT_CORRECTED,
            recipient,
            f"correction:{correction.pk}",
            {
                **_about(assessment, recipient),
                "change_note": correction.note,
                "public_link": public_link(report),
            },
            report=report,
        )
        for recipient in recipients(delivery_team(assessment))
    ]


def _report_withdrawn(writer: _StatusChangeEmails) -> list[NewEmail]:
    """The delivery team hears its published report was withdrawn, and why: its page still says so at the link."""
    return writer.each(
        kinds.REPORT_WITHDRAWN,
        delivery_team(writer.assessment),
        lambda r: {"reason": writer.change.comment, "public_link": public_link(writer.report)},
    )


STATUS_CHANGE_EMAILS[kinds.REPORT_WITHDRAWN] = _report_withdrawn


# --- clarification without a challenge: the delivery team's questions and their answers -----------


def clarification_asked(clarification) -> list[NewEmail]:
    """The service assessment team hears of a question, which has stopped the team's response clock."""
    report = clarification.report
    assessment = Assessment.objects.select_related("service").get(pk=report.assessment_id)
    return [
        _email(
            kinds.CLARIFICATION_ASKED,
            recipient,
            f"clarification:{clarification.pk}",
            {
                **_about(assessment, recipient),
                "asked_by": _person(clarification.asked_by),
                "about": clarification.about,
                "question": clarification.question,
                "report_link": report_link(report, "assessment_team"),
            },
            report=report,
        )
        for recipient in recipients(assessment_team())
    ]


def _after_the_answer(report: ReportPage) -> str:
    """What the answer leaves the team to do: the deadline as it now stands, if the report still waits for them."""
    if report.status != ReportStatus.SHARED:
        return "The report is no longer waiting for your response, so this answer changes no deadline."
    if selectors.questions_stopping_the_clock(report).exists():
        return "Your time to respond stays stopped until your other open questions are answered."
    return f"Accept or challenge the report by {long_date(report.response_due)}."


def clarification_answered(clarification) -> list[NewEmail]:
    """The person who asked hears the answer, and the deadline as the answer left it (moved, if the clock stopped)."""
    report = clarification.report
    assessment = Assessment.objects.select_related("service").get(pk=report.assessment_id)
    return [
        _email(
            kinds.CLARIFICATION_ANSWERED,
            recipient,
            f"clarification:{clarification.pk}",
            {
                **_about(assessment, recipient),
                "about": clarification.about,
                "question": clarification.question,
                "answer": clarification.answer,
                "what_next": _after_the_answer(report),
                # The report's page opens to the team only while it is with them; otherwise their dashboard says where.
                "report_link": report_link(report, "delivery")
                if report.status in permissions.TEAM_SEES_FROM
                else absolute(reverse("delivery:dashboard")),
            },
            report=report,
        )
        for recipient in recipients([clarification.asked_by])
    ]


# --- the delivery team's work on its actions, and their review ---------------------------------------------------


def _about_action(action: ReportAction) -> dict[str, str]:
    rating = action.rating
    return {"point": f"point {rating.number} ({rating.title})", "action": action.description}


def _action_link(action: ReportAction, audience: str) -> str:
    # Straight to the action on the report page, where its thread is (and, for a reviewer, the form).
    return f"{report_link(action.rating.report, audience)}#action-{action.pk}"


def action_ready_for_review_emails(update) -> list[NewEmail]:
    """The lead assessor and the service assessment team hear that an action waits for their review, with what the
    team has written since it was last reviewed."""
    action = update.action
    assessment = Assessment.objects.select_related("service", "type").get(pk=action.rating.report.assessment_id)
    progress = "\n\n".join(said.text for said in selectors.team_words_since_review(action))
    emails = []
    for people, audience in ((lead_assessor(assessment), "assessor"), (assessment_team(), "assessment_team")):
        for recipient in recipients(people):
            personalisation = {
                **_about(assessment, recipient),
                **_about_action(action),
                "progress": progress,
                "report_link": _action_link(action, audience),
            }
            emails.append(
                _email(
                    kinds.ACTION_READY_FOR_REVIEW,
                    recipient,
                    f"action-update:{update.pk}",
                    personalisation,
                    report=action.rating.report,
                )
            )
    return emails


ACTION_ACCEPTED = "Accepted: the action is closed."
ACTION_MORE_NEEDED = "More is needed:"


def action_reviewed_emails(update) -> list[NewEmail]:
    """The delivery team (its product and delivery managers and its SRO) hears the review: accepted, which closed the
    action, or more needed, with the reviewer's comment."""
    action = update.action
    assessment = Assessment.objects.select_related("service", "type").get(pk=action.rating.report.assessment_id)
    decision = ACTION_ACCEPTED if update.kind == ActionUpdateKind.ACCEPTED else ACTION_MORE_NEEDED
    return [
        _email(
            kinds.ACTION_REVIEWED,
            recipient,
            f"action-update:{update.pk}",
            {
                **_about(assessment, recipient),
                **_about_action(action),
                "decision": decision,
                "comment": update.text,
                "report_link": _action_link(action, "delivery"),
            },
            report=action.rating.report,
        )
        for recipient in recipients(delivery_team(assessment, SHARED_WITH))
    ]


# --- sign-in links ---------------------------------------------------------------------------------


def sign_in_email(user, link: str, *, now: datetime.datetime | None = None) -> list[NewEmail]:
    """The sign-in link email; at most one per person per minute, so a form submitted over and over
    sends one email a minute at most."""
    now = now or timezone.now()
    found = recipients([user])
    if not found:
        return []
    minutes = settings.SESAME_MAX_AGE // 60
    personalisation = {"name": found[0].name, "sign_in_link": link, "expires_in": f"{minutes} minutes"}
    return [_email(kinds.SIGN_IN_LINK, found[0], f"user:{user.pk}:{now:%Y%m%dT%H%M}", personalisation)]
