"""Booking an assessment or a reassessment: the delivery team asks, the service assessment team accepts or rejects.
A request is refused while amber actions from the service's last assessment are open."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from cms.models import AssessmentType
from tests.cast import make_cast, report_in
from workflow.models import (
    Assessment,
    BookingRequest,
    BookingStatus,
    PanelRole,
    Phase,
    ReportAction,
    ReportActionStatus,
    ReportPage,
    ReportStatus,
)
from workflow.services.booking import BookingRefused, booking_accept, booking_reject, booking_request

pytestmark = pytest.mark.django_db

DATE = datetime.date(2026, 12, 1)


@pytest.fixture
def cast():
    return make_cast(date=datetime.date(2026, 6, 1))


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_delivery_team_asks_for_an_assessment_and_the_team_accepts_it(cast):
    service = cast.assessment.service
    booking = booking_request(service=service, user=cast.product_manager, phase=Phase.PRIVATE_BETA, notes="Soon.")
    assert booking.status == BookingStatus.REQUESTED

    booking = booking_accept(
        booking=booking,
        user=cast.assessment_team,
        date=DATE,
        panel=[(cast.lead, PanelRole.LEAD), (cast.researcher, "design")],
    )

    assessment = booking.assessment
    assert booking.status == BookingStatus.ACCEPTED and booking.decided_by == cast.assessment_team
    assert assessment.date == DATE and assessment.phase == Phase.PRIVATE_BETA and not assessment.is_reassessment
    assert assessment.lead_assessor == cast.lead
    report = ReportPage.objects.get(assessment=assessment)
    assert report.status == ReportStatus.DRAFT and report.ratings.count() == 14


def test_a_booking_is_refused_while_amber_actions_of_the_last_assessment_are_open(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="gggggaaggggggg")

    with pytest.raises(BookingRefused) as refused:
        booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)

    assert "amber actions from your last assessment are open" in str(refused.value)
    assert "point 6: Fix point 6." in str(refused.value) and "point 7: Fix point 7." in str(refused.value)
    assert not BookingRequest.objects.exists()

    ReportAction.objects.update(status=ReportActionStatus.DONE)
    assert booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)


def test_a_reassessment_follows_the_last_assessment_and_rates_its_red_points(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggr")
    booking = booking_request(
        service=cast.assessment.service,
        user=cast.delivery_manager,
        assessment_type=AssessmentType.objects.get(slug="reassessment"),
        phase=Phase.LIVE,
    )
    assert booking.follows == cast.assessment and booking.phase == cast.assessment.phase

    booking = booking_accept(booking=booking, user=cast.assessment_team, date=DATE, panel=[(cast.lead, PanelRole.LEAD)])

    assert booking.assessment.follows == cast.assessment
    numbers = list(booking.assessment.report.ratings.values_list("number", flat=True))
    assert numbers == [3, 14]


def test_a_reassessment_needs_red_points(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="g" * 14)
    with pytest.raises(BookingRefused, match="no red points"):
        booking_request(
            service=cast.assessment.service,
            user=cast.product_manager,
            assessment_type=AssessmentType.objects.get(slug="reassessment"),
            phase="alpha",
        )


def test_only_the_services_delivery_team_asks_and_only_the_team_answers(cast):
    service = cast.assessment.service
    for outsider in (cast.other_service_product_manager, cast.lead, cast.plus):
        with pytest.raises(PermissionDenied):
            booking_request(service=service, user=outsider, phase=Phase.ALPHA)
    booking = booking_request(service=service, user=cast.sro, phase=Phase.ALPHA)
    for outsider in (cast.plus, cast.product_manager):
        with pytest.raises(PermissionDenied):
            booking_reject(booking=booking, user=outsider, reason="No.")


def test_the_assessment_team_rejects_with_a_reason_and_a_decision_is_made_once(cast):
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.ALPHA)
    with pytest.raises(BookingRefused, match="Enter the reason"):
        booking_reject(booking=booking, user=cast.assessment_team, reason="  ")

    booking = booking_reject(booking=booking, user=cast.assessment_team, reason="Book after your private beta starts.")

    assert booking.status == BookingStatus.REJECTED and booking.reason == "Book after your private beta starts."
    with pytest.raises(BookingRefused, match="already been rejected"):
        booking_accept(booking=booking, user=cast.assessment_team, date=DATE, panel=[(cast.lead, PanelRole.LEAD)])


def test_a_panel_needs_one_lead_and_nobody_from_the_delivery_team(cast):
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.ALPHA)
    count = Assessment.objects.count()
    with pytest.raises(BookingRefused, match="one lead"):
        booking_accept(
            booking=booking, user=cast.assessment_team, date=DATE, panel=[(cast.researcher, PanelRole.DESIGN)]
        )
    with pytest.raises(BookingRefused, match="delivery team"):
        booking_accept(
            booking=booking,
            user=cast.assessment_team,
            date=DATE,
            panel=[(cast.lead, PanelRole.LEAD), (cast.sro, PanelRole.OBSERVER)],
        )
    assert Assessment.objects.count() == count
    assert BookingRequest.objects.get(pk=booking.pk).status == BookingStatus.REQUESTED


def test_one_open_request_per_service(cast):
    booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.ALPHA)
    with pytest.raises(BookingRefused, match="already has a request"):
        booking_request(service=cast.assessment.service, user=cast.delivery_manager, phase=Phase.ALPHA)


# The pages


def test_the_delivery_team_books_through_its_pages(cast):
    client = signed_in(cast.product_manager)
    assert client.get("/bookings/").status_code == 200
    page = client.get("/bookings/new/").text
    assert cast.assessment.service.name in page

    response = client.post(
        "/bookings/new/",
        {"service": cast.assessment.service.pk, "kind": "assessment", "phase": "alpha", "preferred_dates": "May"},
    )

    assert response.status_code == 302
    assert "Waiting for an answer" in client.get("/bookings/").text
    assert BookingRequest.objects.get().requested_by == cast.product_manager


def test_the_page_lists_the_open_amber_actions_when_it_refuses(cast):
    report_in(ReportStatus.PUBLISHED, cast)
    response = signed_in(cast.product_manager).post(
        "/bookings/new/", {"service": cast.assessment.service.pk, "kind": "assessment", "phase": "alpha"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text and "point 6: Fix point 6." in response.text


def test_people_outside_delivery_teams_cannot_use_the_booking_pages(cast):
    assert signed_in(cast.lead).get("/bookings/").status_code == 403
    assert signed_in(cast.assessment_team).get("/bookings/new/").status_code == 403


def test_the_assessment_team_accepts_in_the_admin(cast):
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.ALPHA)
    assessment_team = signed_in(cast.assessment_team)
    assert "Accept or reject" in assessment_team.get(f"/admin/bookings/inspect/{booking.pk}/").text
    form = assessment_team.get(f"/admin/bookings/decide/{booking.pk}/")
    assert form.status_code == 200

    response = assessment_team.post(
        f"/admin/bookings/decide/{booking.pk}/",
        {"decision": "accept", "date": "2026-12-01", "panel_lead": cast.lead.pk, "panel_design": cast.researcher.pk},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED and booking.assessment.date == DATE


def test_the_assessment_team_rejects_in_the_admin_with_a_reason(cast):
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.ALPHA)
    assessment_team = signed_in(cast.assessment_team)
    missing = assessment_team.post(f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": ""})
    assert missing.status_code == 200 and "Enter the reason" in missing.text
    too_long = assessment_team.post(
        f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": "x" * 2001}
    )
    assert too_long.status_code == 200 and "2,000 characters or fewer" in too_long.text
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED

    assessment_team.post(f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": "Too early."})

    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED and booking.reason == "Too early."


def test_the_plus_team_sees_requests_but_does_not_answer_them(cast):
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.ALPHA)
    plus = signed_in(cast.plus)
    assert plus.get("/admin/bookings/").status_code == 200
    assert "Accept or reject" not in plus.get(f"/admin/bookings/inspect/{booking.pk}/").text
    # Wagtail's admin turns a refusal into a redirect to the dashboard with a message.
    assert plus.get(f"/admin/bookings/decide/{booking.pk}/").status_code in (302, 403)
    plus.post(f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": "No."})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
