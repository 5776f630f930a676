"""Booking an assessment of one of the assessment types. The delivery team asks; the service assessment team
accepts (with a date and a panel, which makes the assessment, its panel and its draft report) or rejects with a
reason.

A request for a new assessment is refused while amber actions from the service's last assessment are still open:
the refusal lists them, so the team knows what to close first. They do not block a follow-up (a reassessment of
red points, an amber evidence review), which is how those points are looked at again."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cms.models import AssessmentType
from workflow import emails, permissions
from workflow.models import (
    Assessment,
    BookingRequest,
    BookingStatus,
    PanelMember,
    Rating,
    ReportAction,
    ReportActionStatus,
    ReportStatus,
    Service,
)
from workflow.models.assessments import default_type

from .reports import report_create


class BookingRefused(Exception):
    """The request or decision cannot be made; `reasons` say why in plain words."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def last_assessment(service: Service) -> Assessment | None:
    """The service's most recent assessment that has a report."""
    return service.assessments.filter(report__isnull=False).order_by("-date", "-pk").first()


def open_amber_actions(service: Service) -> list[ReportAction]:
    last = last_assessment(service)
    if last is None:
        return []
    return list(
        ReportAction.objects.filter(
            rating__report__assessment=last, rating__rating=Rating.AMBER, status=ReportActionStatus.OPEN
        ).select_related("rating")
    )


def points_rated(assessment: Assessment, rating: str) -> list[int]:
    return list(
        assessment.report.ratings.filter(rating=rating).values_list("number", flat=True)
        if hasattr(assessment, "report")
        else []
    )


def _follow_up_refusal(kind: AssessmentType, follows: Assessment | None, service: Service) -> str | None:
    name = kind.name.lower()
    if follows is None or follows.service_id != service.pk:
        return f"Choose the assessment of your service whose {kind.scope} points the {name} looks at."
    if not points_rated(follows, kind.scope):
        return f"That assessment has no {kind.scope} points for a {name}."
    if follows.report.status not in ReportStatus.accepted_by_delivery_team():
        return f"A {name} can be booked once the report of the assessment is accepted."
    return None


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
    reasons = []
    if assessment_type.follows_an_assessment:
        follows = follows or last_assessment(service)
        refusal = _follow_up_refusal(assessment_type, follows, service)
        if refusal:
            reasons.append(refusal)
    else:
        follows = None
        actions = open_amber_actions(service)
        if actions:
            listed = "; ".join(f"point {action.rating.number}: {action.description}" for action in actions)
            reasons.append(
                f"You cannot book an assessment while amber actions from your last assessment are open. "
                f"Close these first: {listed}."
            )
    if service.booking_requests.filter(status=BookingStatus.REQUESTED).exists():
        reasons.append("Your service already has a request waiting for an answer.")
    if reasons:
        raise BookingRefused(reasons)
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
