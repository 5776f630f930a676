"""Confidential assessments: the service assessment team marks one so when booking or later; its report goes through
checking, sharing and the delivery team's response, and ends accepted, never published."""

import datetime
import html

import pytest
from django_fsm import can_proceed

from cms.models import AssessmentType
from notify import kinds
from notify.models import OutboxEmail
from tests.cast import make_cast, report_in, signed_in
from workflow.models import (
    Assessment,
    BookingStatus,
    Phase,
    Rating,
    ReportAction,
    ReportPage,
    ReportStatus,
)
from workflow.services.booking import booking_request
from workflow.services.reports import points_in_scope
from workflow.services.transitions import refusal_reasons
from workflow.transitions import TRANSITIONS, ReportTransition

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def edit_data(assessment: Assessment, **changes) -> dict:
    data = {
        "service": assessment.service_id,
        "phase": assessment.phase,
        "date": assessment.date.isoformat(),
        "type": assessment.type_id,
        "follows": assessment.follows_id or "",
    }
    if assessment.confidential:
        data["confidential"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_assessment_team_books_a_confidential_assessment():
    cast = make_cast()
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)
    client = signed_in(cast.assessment_team)
    assert "Confidential assessment" in client.get(f"/admin/bookings/decide/{booking.pk}/").text

    response = client.post(
        f"/admin/bookings/decide/{booking.pk}/",
        {"decision": "accept", "date": "2026-12-01", "panel_lead": cast.lead.pk, "confidential": "on"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED
    assert booking.assessment.confidential is True


def test_the_assessment_team_marks_an_assessment_confidential_later():
    cast = make_cast()
    report_in(ReportStatus.SHARED, cast)
    client = signed_in(cast.assessment_team)

    response = client.post(
        f"/admin/assessments/edit/{cast.assessment.pk}/", edit_data(cast.assessment, confidential="on")
    )

    assert response.status_code == 302
    cast.assessment.refresh_from_db()
    assert cast.assessment.confidential is True


@pytest.mark.parametrize("confidential", [False, True])
def test_once_accepted_whether_it_is_confidential_no_longer_changes(confidential):
    cast = make_cast(confidential=confidential)
    report = report_in(ReportStatus.PUBLISHED, cast)  # a confidential one stops at accepted
    client = signed_in(cast.assessment_team)
    data = edit_data(cast.assessment)
    if confidential:
        del data["confidential"]
    else:
        data["confidential"] = "on"

    response = client.post(f"/admin/assessments/edit/{cast.assessment.pk}/", data)

    assert response.status_code == 200
    assert "whether the assessment is confidential can no longer change" in text(response)
    cast.assessment.refresh_from_db()
    assert cast.assessment.confidential is confidential
    assert ReportPage.objects.get(pk=report.pk).status == report.status


def test_the_delivery_team_accepts_a_confidential_report_which_is_not_published():
    cast = make_cast(confidential=True)
    report = report_in(ReportStatus.SHARED, cast)
    client = signed_in(cast.product_manager)
    page = text(client.get(f"/team/reports/{report.pk}/"))
    assert "The assessment is confidential, so its report is never published." in page
    assert "Accepting publishes" not in page
    confirm = text(client.get(f"/team/reports/{report.pk}/accept/?from_status=shared"))
    assert "it is not published. The assessment is confidential" in confirm
    assert "Accept and publish" not in confirm
    before = set(OutboxEmail.objects.values_list("pk", flat=True))

    response = client.post(f"/team/reports/{report.pk}/accept/", {"from_status": "shared"}, follow=True)

    assert "has been accepted. The assessment is confidential, so its report is never published." in text(response)
    report = ReportPage.objects.get(pk=report.pk)
    assert report.status == ReportStatus.ACCEPTED
    assert not report.live
    assert report.accepted_at is not None
    # The amber actions' clock starts as for any accepted report.
    [amber] = ReportAction.objects.filter(rating__report=report, rating__rating=Rating.AMBER)
    assert amber.due_date is not None
    # No "published" email, with its public link, goes to anyone: the confidential one, with links to the report on
    # each person's own pages, takes its place (tests/workflow/test_emails_lifecycle.py follows them).
    assert {row.kind for row in OutboxEmail.objects.exclude(pk__in=before)} == {kinds.REPORT_ACCEPTED_UNPUBLISHED}
    # Nothing is left for the delivery team to do.
    later = text(client.get(f"/team/reports/{report.pk}/"))
    assert f"/team/reports/{report.pk}/accept/" not in later and "View the published report" not in later


@pytest.mark.parametrize("status", [ReportStatus.CHALLENGED, ReportStatus.PUBLISHED])
def test_accepting_a_confidential_report_from_the_wrong_status_is_refused_without_promising_publication(status):
    cast = make_cast(confidential=True)
    report = report_in(status, cast)  # a confidential one stops at accepted
    refusal = f"This report is {report.get_status_display().lower()}, so it cannot be accepted now."

    response = signed_in(cast.delivery_manager).get(f"/team/reports/{report.pk}/accept/", follow=True)

    assert refusal in text(response)
    assert "accepted and published" not in text(response)


def test_a_reassessment_after_a_confidential_report_covers_its_red_points():
    cast = make_cast(confidential=True)
    report = report_in(ReportStatus.PUBLISHED, cast, letters="ggrggagggggggg")
    assert report.status == ReportStatus.ACCEPTED
    follow_up = Assessment.objects.create(
        service=cast.assessment.service, phase=cast.assessment.phase, date="2026-12-01", follows=cast.assessment
    )

    assert [point.number for point in points_in_scope(follow_up)] == [3]


def test_the_state_machine_itself_refuses_to_publish_a_confidential_report_and_says_why():
    cast = make_cast(confidential=True)
    report = report_in(ReportStatus.PUBLISHED, cast)
    assert report.status == ReportStatus.ACCEPTED

    assert not can_proceed(report.mark_published)
    assert refusal_reasons(report, TRANSITIONS[ReportTransition.PUBLISH]) == [
        "The assessment is confidential, so its report is never published."
    ]


def test_a_follow_up_of_a_confidential_assessment_is_booked_confidential_even_if_not_ticked():
    # Its published report would show that the confidential assessment happened and which points it rated red.
    cast = make_cast(confidential=True)
    # No amber point: open amber actions would hold up any booking.
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggg")
    booking = booking_request(
        service=cast.assessment.service,
        user=cast.product_manager,
        assessment_type=AssessmentType.objects.get(slug="reassessment"),
        phase=cast.assessment.phase,
        follows=Assessment.objects.get(pk=cast.assessment.pk),
    )

    response = signed_in(cast.assessment_team).post(
        f"/admin/bookings/decide/{booking.pk}/",
        {"decision": "accept", "date": "2026-12-01", "panel_lead": cast.lead.pk},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.assessment.follows == cast.assessment
    assert booking.assessment.confidential is True


def test_a_follow_up_of_a_confidential_assessment_cannot_be_made_public_in_the_admin():
    cast = make_cast(confidential=True)
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggagggggggg")
    follow_up = Assessment.objects.create(
        service=cast.assessment.service,
        phase=cast.assessment.phase,
        date=datetime.date(2026, 12, 1),
        follows=cast.assessment,
        confidential=True,
    )
    data = edit_data(follow_up)
    del data["confidential"]

    response = signed_in(cast.assessment_team).post(f"/admin/assessments/edit/{follow_up.pk}/", data)

    assert response.status_code == 200
    assert "An assessment that follows a confidential assessment must be confidential too." in text(response)
    follow_up.refresh_from_db()
    assert follow_up.confidential is True


@pytest.mark.parametrize("shown, now", [("yes", False), ("no", True)])
def test_accepting_is_refused_when_confidentiality_changed_since_the_page_said_what_accepting_does(shown, now):
    cast = make_cast(confidential=now)
    report = report_in(ReportStatus.SHARED, cast)

    response = signed_in(cast.product_manager).post(
        f"/team/reports/{report.pk}/accept/", {"from_status": "shared", "confidential_shown": shown}, follow=True
    )

    assert "The service assessment team has changed the assessment since you opened the page" in text(response)
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SHARED


def test_the_accept_page_posts_what_it_said_about_publishing():
    cast = make_cast(confidential=True)
    report = report_in(ReportStatus.SHARED, cast)
    page = signed_in(cast.product_manager).get(f"/team/reports/{report.pk}/accept/?from_status=shared").text
    assert 'name="confidential_shown" value="yes"' in page
