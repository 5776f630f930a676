"""Booking an assessment of one of the assessment types. The delivery team asks; the service assessment team
accepts (with a date and a panel, which makes the assessment, its panel and its draft report) or rejects with a
reason.

What may be booked is workflow.booking_rules' to say (red points stop the next phase, open amber actions stop all but
a follow-up, ...): a request is refused, and an answer refused, by the same rules, each blocker naming its point or
action."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cms.models import AssessmentType
from workflow import booking_rules, emails, permissions
from workflow.models import (
    Assessment,
    BookingRequest,
    BookingStatus,
    PanelMember,
    Service,
)
from workflow.models.assessments import default_type

from .reports import report_create


class BookingRefused(Exception):
    """The request or decision cannot be made; `reasons` say why in plain words, and `blockers` (when the booking
    rules refused it) say which point or action each is about, for the page to link to."""

    def __init__(self, reasons: list[str], *, blockers: list[booking_rules.Blocker] | None = None):
        self.reasons = reasons
        self.blockers = blockers or []
        super().__init__(" ".join(reasons))

    @classmethod
    def by_rules(cls, blockers: list[booking_rules.Blocker]) -> "BookingRefused":
        return cls([blocker.words for blocker in blockers], blockers=blockers)


@transaction.atomic
def booking_request(
    *,
    service: Service,
    user,
    assessment_type: AssessmentType | None = None,
    phase: str,
    follows: Assessment | None = None,
    preferred_dates: str = "",
    notes: str = "",
) -> BookingRequest:
    if not permissions.may_request_assessment(user, service):
        raise PermissionDenied("Only the service's delivery team can ask for its assessment.")
    Service.objects.select_for_update().filter(pk=service.pk).first()  # one request at a time per service
    assessment_type = assessment_type or default_type(follows=None)
    standing = booking_rules.Standing.of(service)
    # A follow-up looks again at the assessment the team names, or the one that rated its points; nothing else does.
    follows = (follows or standing.follow_up_target(assessment_type)) if assessment_type.follows_an_assessment else None
    blockers = booking_rules.booking_blockers(
        service=service, assessment_type=assessment_type, phase=phase, follows=follows, standing=standing
    )
    if blockers:
        raise BookingRefused.by_rules(blockers)
    booking = BookingRequest.objects.create(
        service=service,
        requested_by=user,
        type=assessment_type,
        phase=follows.phase if follows else phase,
        follows=follows,
        preferred_dates=preferred_dates.strip(),
        notes=notes.strip(),
    )
    emails.write_and_queue(emails.booking_received_emails(booking))
    return booking


def _open_for_decision(booking: BookingRequest, user) -> BookingRequest:
    if not permissions.may_decide_booking(user):
        raise PermissionDenied("Only the service assessment team answers booking requests.")
    locked = BookingRequest.objects.select_for_update().get(pk=booking.pk)
    if locked.status != BookingStatus.REQUESTED:
        raise BookingRefused([f"This request has already been {locked.get_status_display().lower()}."])
    return locked


@transaction.atomic
def booking_accept(
    *,
    booking: BookingRequest,
    user,
    date: datetime.date,
    panel: list[tuple],
    confidential: bool = False,
    points_chosen: list[int] | None = None,
) -> BookingRequest:
    """Makes the assessment on `date` with the panel (a list of (user, PanelRole)) and its draft report; a
    confidential one's report is never published. `points_chosen` are the points of a type whose points are
    chosen when booking."""
    booking = _open_for_decision(booking, user)
    # The service may have moved on since the team asked (an action reopened, a point rated red): the same rules.
    blockers = booking_rules.booking_blockers(
        service=booking.service,
        assessment_type=booking.type,
        phase=booking.phase,
        follows=booking.follows,
        deciding=booking,
    )
    if blockers:
        raise BookingRefused.by_rules(blockers)
    assessment = Assessment(
        service=booking.service,
        phase=booking.phase,
        date=date,
        type=booking.type,
        follows=booking.follows if booking.type.follows_an_assessment else None,
        points_chosen=points_chosen or [],
    )
    assessment.confidential = confidential or assessment.must_be_confidential
    try:
        assessment.full_clean()
        assessment.save()
        if sum(1 for _, role in panel if role == "lead") != 1:
            raise ValidationError("Choose one lead assessor.")
        seats = []
        for member_user, role in panel:
            member = PanelMember(assessment=assessment, user=member_user, role=role)
            member.full_clean(validate_constraints=True)
            member.save()
            seats.append(member)
        report_create(assessment=assessment)
    except ValidationError as error:
        raise BookingRefused(error.messages) from error
    booking.status = BookingStatus.ACCEPTED
    booking.decided_by = user
    booking.decided_at = timezone.now()
    booking.assessment = assessment
    booking.save()
    emails.write_and_queue([*emails.booking_decided_emails(booking), *emails.panel_appointed_emails(seats)])
    return booking


@transaction.atomic
def panel_seat_saved(*, seat: PanelMember) -> None:
    """A seat made or changed in the admin: its person hears they are on the panel, once per seat and person (a seat
    given to someone else emails them; a changed role does not email again)."""
    emails.write_and_queue(emails.panel_appointed_emails([seat]))


@transaction.atomic
def booking_reject(*, booking: BookingRequest, user, reason: str) -> BookingRequest:
    if not reason.strip():
        raise BookingRefused(["Enter the reason for rejecting the request."])
    booking = _open_for_decision(booking, user)
    booking.status = BookingStatus.REJECTED
    booking.decided_by = user
    booking.decided_at = timezone.now()
    booking.reason = reason.strip()
    booking.save()
    emails.write_and_queue(emails.booking_decided_emails(booking))
    return booking
