"""Booking an assessment or a reassessment. The delivery team asks; the service assessment team accepts (with a
date and a panel, which makes the assessment, its panel and its draft report) or rejects with a reason.

A request is refused while amber actions from the service's last assessment are still open: the refusal lists
them, so the team knows what to close first."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from workflow import permissions
from workflow.models import (
    Assessment,
    BookingKind,
    BookingRequest,
    BookingStatus,
    PanelMember,
    Rating,
    ReportAction,
    ReportActionStatus,
    ReportStatus,
    Service,
)

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


def red_points(assessment: Assessment) -> list[int]:
    return list(
        assessment.report.ratings.filter(rating=Rating.RED).values_list("number", flat=True)
        if hasattr(assessment, "report")
        else []
    )


@transaction.atomic
def booking_request(
    *,
    service: Service,
    user,
    kind: str = BookingKind.ASSESSMENT,
    phase: str,
    reassesses: Assessment | None = None,
    preferred_dates: str = "",
    notes: str = "",
) -> BookingRequest:
    if not permissions.may_request_assessment(user, service):
        raise PermissionDenied("Only the service's delivery team can ask for its assessment.")
    Service.objects.select_for_update().filter(pk=service.pk).first()  # one request at a time per service
    reasons = []
    actions = open_amber_actions(service)
    if actions:
        listed = "; ".join(f"point {action.rating.number}: {action.description}" for action in actions)
        reasons.append(
            f"You cannot book an assessment while amber actions from your last assessment are open. "
            f"Close these first: {listed}."
        )
    if service.booking_requests.filter(status=BookingStatus.REQUESTED).exists():
        reasons.append("Your service already has a request waiting for an answer.")
    if kind == BookingKind.REASSESSMENT:
        reassesses = reassesses or last_assessment(service)
        if reassesses is None or reassesses.service_id != service.pk:
            reasons.append("Choose the assessment of your service whose red points are to be reassessed.")
        elif not red_points(reassesses):
            reasons.append("That assessment has no red points to reassess.")
        elif reassesses.report.status not in ReportStatus.accepted_by_delivery_team():
            reasons.append("A reassessment can be booked once the report of the assessment is accepted.")
    else:
        reassesses = None
    if reasons:
        raise BookingRefused(reasons)
    return BookingRequest.objects.create(
        service=service,
        requested_by=user,
        kind=kind,
        phase=reassesses.phase if reassesses else phase,
        reassesses=reassesses,
        preferred_dates=preferred_dates.strip(),
        notes=notes.strip(),
    )


def _open_for_decision(booking: BookingRequest, user) -> BookingRequest:
    if not permissions.may_decide_booking(user):
        raise PermissionDenied("Only the service assessment team answers booking requests.")
    locked = BookingRequest.objects.select_for_update().get(pk=booking.pk)
    if locked.status != BookingStatus.REQUESTED:
        raise BookingRefused([f"This request has already been {locked.get_status_display().lower()}."])
    return locked


@transaction.atomic
def booking_accept(
    *, booking: BookingRequest, user, date: datetime.date, panel: list[tuple], confidential: bool = False
) -> BookingRequest:
    """Makes the assessment on `date` with the panel (a list of (user, PanelRole)) and its draft report; a
    confidential one's report is never published."""
    booking = _open_for_decision(booking, user)
    assessment = Assessment(
        service=booking.service,
        phase=booking.phase,
        date=date,
        reassessment_of=booking.reassesses if booking.kind == BookingKind.REASSESSMENT else None,
    )
    assessment.confidential = confidential or assessment.must_be_confidential
    try:
        assessment.full_clean()
        assessment.save()
        if sum(1 for _, role in panel if role == "lead") != 1:
            raise ValidationError("Choose one lead assessor.")
        for member_user, role in panel:
            member = PanelMember(assessment=assessment, user=member_user, role=role)
            member.full_clean(validate_constraints=True)
            member.save()
        report_create(assessment=assessment)
    except ValidationError as error:
        raise BookingRefused(error.messages) from error
    booking.status = BookingStatus.ACCEPTED
    booking.decided_by = user
    booking.decided_at = timezone.now()
    booking.assessment = assessment
    booking.save()
    return booking


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
    return booking
