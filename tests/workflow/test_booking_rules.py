"""The booking rules (workflow.booking_rules), each with its words: red points stop the next phase until a later
accepted report rates them green or amber; open amber actions stop everything but a follow-up; an amber evidence
review waits for the evidence of every open amber action; the team's form and the admin's decision refuse alike,
each reason linking to its point or action."""

import datetime

import pytest
from django.utils import timezone

from cms.models import AssessmentType
from tests.cast import PATH_TO, make_cast, rate, report_in, signed_in
from tests.factories import AssessmentFactory, PanelMemberFactory
from workflow import booking_rules
from workflow.models import (
    BookingRequest,
    BookingStatus,
    PanelRole,
    Phase,
    ReportAction,
    ReportActionStatus,
    ReportStatus,
)
from workflow.services import transitions
from workflow.services.booking import BookingRefused, booking_accept, booking_request
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db

RED_BLOCKS = "You cannot book your next phase while a point is rated red"
AMBER_BLOCKS = "while amber actions from your last assessment are open"


@pytest.fixture
def cast():
    return make_cast(date=datetime.date(2026, 6, 1))


def kind(slug: str) -> AssessmentType:
    return AssessmentType.objects.get(slug=slug)


def later(cast, slug: str, letters: str, *, date, phase=Phase.ALPHA, follows=None, status=ReportStatus.PUBLISHED):
    """Another assessment of the cast's service, its report rated `letters` (its points in scope, in order) and moved
    to `status` by the real transitions."""
    assessment = AssessmentFactory(
        service=cast.assessment.service, type=kind(slug), phase=phase, date=date, follows=follows
    )
    PanelMemberFactory(assessment=assessment, user=cast.lead, role=PanelRole.LEAD)
    report = rate(report_create(assessment=assessment), letters)
    actor = {"submit": cast.lead, "check": cast.assessment_team, "share": cast.assessment_team}
    for step in PATH_TO[status]:
        report = transitions.report_transition(report=report, name=step, user=actor.get(step, cast.product_manager))
    return assessment


def refusal(cast, slug="assessment", phase=Phase.PRIVATE_BETA) -> list[str]:
    with pytest.raises(BookingRefused) as refused:
        booking_request(
            service=cast.assessment.service, user=cast.product_manager, assessment_type=kind(slug), phase=phase
        )
    return refused.value.reasons


def books(cast, slug="assessment", phase=Phase.PRIVATE_BETA) -> BookingRequest:
    booking = booking_request(
        service=cast.assessment.service, user=cast.product_manager, assessment_type=kind(slug), phase=phase
    )
    BookingRequest.objects.filter(pk=booking.pk).update(status=BookingStatus.REJECTED)  # so the next may be asked
    return booking


# Red points


def test_a_red_point_stops_the_next_phase_and_names_the_point(cast):
    report = report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggg")
    title = report.ratings.get(number=3).title

    reasons = refusal(cast)

    assert reasons[0].startswith(RED_BLOCKS)
    assert reasons[1] == f"Point 3, {title}, was rated red at your alpha assessment on 1 June 2026."
    assert len(reasons) == 2  # red actions are not amber actions: they hold up nothing else


def test_a_red_point_does_not_stop_its_reassessment_or_the_same_phase_assessed_again(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggg")
    assert books(cast, "reassessment").follows == cast.assessment
    assert books(cast, "assessment", phase=Phase.ALPHA)
    assert books(cast, "peer-review", phase=Phase.ALPHA)


def test_a_reassessment_that_rates_the_point_green_lets_the_next_phase_be_booked(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggr")
    later(cast, "reassessment", "gg", date=datetime.date(2026, 8, 1), follows=cast.assessment)
    assert books(cast).phase == Phase.PRIVATE_BETA


def test_a_point_still_red_at_the_reassessment_still_stops_it_and_names_the_reassessment(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggr")
    later(cast, "reassessment", "gr", date=datetime.date(2026, 8, 1), follows=cast.assessment)

    reasons = refusal(cast)

    assert [reason.split(",")[0] for reason in reasons[1:]] == ["Point 14"]
    assert reasons[1].endswith("was rated red at your alpha reassessment on 1 August 2026.")


def test_a_point_rated_amber_at_the_reassessment_is_no_longer_red_but_its_amber_action_stops_the_booking(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggg")
    reassessment = later(cast, "reassessment", "a", date=datetime.date(2026, 8, 1), follows=cast.assessment)

    reasons = refusal(cast)

    assert not any(RED_BLOCKS in reason for reason in reasons)
    assert AMBER_BLOCKS in reasons[0]
    action = ReportAction.objects.get(rating__report__assessment=reassessment)
    assert reasons[1:] == ["Close the open amber action on point 3: Fix point 3."]
    blockers = booking_rules.before_next_phase(cast.assessment.service)
    assert blockers[1].anchor == f"action-{action.pk}" and blockers[1].report_id == reassessment.report.pk


def test_a_later_full_assessment_of_the_same_phase_counts_too(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggg")
    later(cast, "assessment", "g" * 14, date=datetime.date(2026, 9, 1))
    assert books(cast)


def test_only_accepted_reports_count(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggg")
    later(
        cast, "reassessment", "g", date=datetime.date(2026, 8, 1), follows=cast.assessment, status=ReportStatus.SHARED
    )
    assert refusal(cast)[0].startswith(RED_BLOCKS)


# Open amber actions


def test_open_amber_actions_stop_every_assessment_but_a_follow_up(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggaaggggggg")
    for slug, phase in (("assessment", Phase.PRIVATE_BETA), ("assessment", Phase.ALPHA), ("peer-review", Phase.ALPHA)):
        reasons = refusal(cast, slug, phase)
        assert AMBER_BLOCKS in " ".join(reasons)
        assert "Close the open amber action on point 6: Fix point 6." in reasons
        assert "Close the open amber action on point 7: Fix point 7." in reasons
    assert books(cast, "reassessment")
    ReportAction.objects.filter(rating__rating="amber").update(ready_for_review_at=timezone.now())
    assert books(cast, "amber-evidence-review")


def test_an_amber_action_closed_or_superseded_no_longer_stops_it(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="gggggaaggggggg")
    ReportAction.objects.filter(rating__number=6).update(status=ReportActionStatus.DONE, closed_at=timezone.now())
    assert refusal(cast, phase=Phase.ALPHA)[1:] == ["Close the open amber action on point 7: Fix point 7."]

    # An amber evidence review rates point 7 green: the action it looked at again holds up nothing, even before
    # anything closes it.
    ReportAction.objects.update(ready_for_review_at=timezone.now())
    later(cast, "amber-evidence-review", "gg", date=datetime.date(2026, 8, 1), follows=cast.assessment)
    assert books(cast)


def test_amber_actions_from_earlier_assessments_are_named_as_such(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="gggggaggggggrg")
    later(cast, "reassessment", "g", date=datetime.date(2026, 8, 1), follows=cast.assessment)
    reasons = refusal(cast)
    assert "while amber actions from your assessments are open" in reasons[0]


# Amber evidence reviews


def test_an_amber_evidence_review_waits_for_the_evidence_of_every_open_amber_action(cast):
    report = report_in(ReportStatus.PUBLISHED, cast, letters="gggggaaggggggg")
    six, seven = ReportAction.objects.order_by("rating__number")
    ReportAction.objects.filter(pk=six.pk).update(ready_for_review_at=timezone.now())

    reasons = refusal(cast, "amber-evidence-review")

    assert reasons == [
        "You can ask for an amber evidence review once every open amber action of your alpha assessment on "
        "1 June 2026 has its evidence and is marked ready for review.",
        "Record the evidence for the amber action on point 7 and mark it ready for review: Fix point 7.",
    ]
    blockers = booking_rules.booking_blockers(
        service=cast.assessment.service,
        assessment_type=kind("amber-evidence-review"),
        phase=Phase.ALPHA,
        follows=cast.assessment,
    )
    assert blockers[1].link("delivery:report") == f"/team/reports/{report.pk}/#action-{seven.pk}"

    ReportAction.objects.filter(pk=seven.pk).update(status=ReportActionStatus.DONE, closed_at=timezone.now())
    assert books(cast, "amber-evidence-review").follows == cast.assessment


def test_a_follow_up_needs_an_accepted_report_with_points_of_its_scope(cast):
    report_in(ReportStatus.SHARED, cast, letters="ggrggggggggggg")
    assert refusal(cast, "reassessment") == [
        "A reassessment can be booked once the report of the assessment is accepted."
    ]
    assert refusal(cast, "amber-evidence-review") == [
        "That assessment has no amber points for an amber evidence review."
    ]


def test_a_follow_up_follows_the_latest_accepted_report_that_rated_points_of_its_scope(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="ggrggaaggggggr")
    ReportAction.objects.filter(rating__rating="amber").update(ready_for_review_at=timezone.now())
    reassessment = later(cast, "reassessment", "gr", date=datetime.date(2026, 8, 1), follows=cast.assessment)
    assert books(cast, "amber-evidence-review").follows == cast.assessment
    assert books(cast, "reassessment").follows == reassessment


# The pages: the team's form and the admin's decision


def test_the_booking_form_shows_each_reason_as_an_error_linking_to_its_point_or_action(cast):
    report = report_in(ReportStatus.PUBLISHED, cast, letters="ggrggagggggggg")
    action = ReportAction.objects.get(rating__number=6)
    client = signed_in(cast.product_manager)

    page = client.post(
        "/bookings/new/",
        {
            "service": cast.assessment.service.pk,
            "kind": "assessment",
            "phase": "private_beta",
            "notes": "Soon, please.",
        },
    ).text

    assert "<title>Error:" in page and "govuk-error-summary" in page
    assert f'href="/team/reports/{report.pk}/#point-3"' in page
    assert f'href="/team/reports/{report.pk}/#action-{action.pk}"' in page
    assert 'href="#id_kind_0"' in page  # a reason about the booking as a whole: what to book
    assert f'href="/services/{cast.assessment.service.pk}/"' in page
    assert "Soon, please." in page  # nothing typed is lost
    team_page = client.get(f"/team/reports/{report.pk}/").text
    assert 'id="point-3"' in team_page and f'id="action-{action.pk}"' in team_page


def test_the_admin_decision_refuses_by_the_same_rules(cast):
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)
    report = report_in(ReportStatus.PUBLISHED, cast, letters="ggrggggggggggg")  # since the team asked
    admin = signed_in(cast.assessment_team)

    form = admin.get(f"/admin/bookings/decide/{booking.pk}/").text
    assert f'href="/assessment-team/reports/{report.pk}/#point-3"' in form and RED_BLOCKS in form

    response = admin.post(
        f"/admin/bookings/decide/{booking.pk}/",
        {"decision": "accept", "date": "2026-12-01", "panel_lead": cast.researcher.pk},
    )
    assert response.status_code == 200 and RED_BLOCKS in response.text
    with pytest.raises(BookingRefused, match=RED_BLOCKS):
        booking_accept(
            booking=booking,
            user=cast.assessment_team,
            date=datetime.date(2026, 12, 1),
            panel=[(cast.researcher, "lead")],
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED

    admin.post(f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": "Reassess point 3 first."})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED
