import datetime

import pytest
from django.core.exceptions import ValidationError

from cms.models import ServiceStandardPoint
from tests.cast import make_cast, report_in
from tests.factories import AssessmentFactory, DeliveryTeamMemberFactory, PanelMemberFactory, UserFactory
from workflow.models import PanelRole, PointRating, Rating, ReportAction, ReportPage, ReportStatus
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db

SERVICE_STANDARD = {
    1: "Understand users and their needs",
    2: "Solve a whole problem for users",
    3: "Provide a joined-up experience across all channels",
    4: "Make the service simple to use",
    5: "Make sure everyone can use the service",
    6: "Have a multidisciplinary team",
    7: "Use agile ways of working",
    8: "Iterate and improve frequently",
    9: "Create a secure service which protects users' privacy",
    10: "Define what success looks like and publish performance data",
    11: "Choose the right tools and technology",
    12: "Make new source code open",
    13: "Use and contribute to open standards, common components and patterns",
    14: "Operate a reliable service",
}


def test_the_fourteen_points_are_seeded_with_their_service_manual_links():
    points = list(ServiceStandardPoint.objects.filter(standard__name="GOV.UK Service Standard").in_order())
    assert {point.number: point.title for point in points} == SERVICE_STANDARD
    assert points[0].service_manual_url == (
        "https://www.gov.uk/service-manual/service-standard/point-1-understand-user-needs"
    )
    assert points[13].service_manual_url.endswith("/point-14-operate-a-reliable-service")
    assert all(point.assessor_guidance for point in points)


def test_a_new_report_is_a_draft_page_under_reports_that_is_not_live():
    report = report_create(assessment=AssessmentFactory())
    assert report.status == ReportStatus.DRAFT
    assert report.live is False
    assert report.get_parent().url_path == "/home/reports/"
    assert list(report.ratings.values_list("number", flat=True)) == list(range(1, 15))
    assert report.service_description == report.assessment.service.description


def test_a_report_keeps_point_titles_as_they_were_when_written():
    report = report_create(assessment=AssessmentFactory())
    point = ServiceStandardPoint.objects.get(standard=report.assessment.standard, number=4)
    point.title = "Make the service simple to use (revised)"
    point.save()

    later_report = report_create(assessment=AssessmentFactory())
    assert report.ratings.get(number=4).title == "Make the service simple to use"
    assert later_report.ratings.get(number=4).title == "Make the service simple to use (revised)"


def test_a_reassessment_rates_only_the_points_that_were_red():
    cast = make_cast(date=datetime.date(2026, 3, 1))
    report_in(ReportStatus.PUBLISHED, cast, "ggrgggggrgggga")

    reassessment = AssessmentFactory(
        service=cast.assessment.service, date=datetime.date(2026, 6, 1), follows=cast.assessment
    )
    scoped = report_create(assessment=reassessment)
    assert list(scoped.ratings.values_list("number", flat=True)) == [3, 9]
    assert reassessment.stage_label == "Alpha reassessment"


def test_two_reports_for_one_service_and_day_get_different_slugs():
    first = AssessmentFactory()
    second = AssessmentFactory(service=first.service, date=first.date)
    assert report_create(assessment=first).slug != report_create(assessment=second).slug


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        (["green"] * 14, Rating.GREEN),
        (["green"] * 13 + ["amber"], Rating.AMBER),
        (["amber", "red", "green"], Rating.RED),
        (["", ""], None),
    ],
)
def test_overall_rating_rule(ratings, expected):
    assert Rating.overall(ratings) == expected


def test_a_reassessment_must_follow_an_earlier_assessment_of_the_same_service():
    first = AssessmentFactory(date=datetime.date(2026, 3, 1))
    other_service = AssessmentFactory.build(date=datetime.date(2026, 6, 1), follows=first)
    other_service.service = AssessmentFactory().service
    with pytest.raises(ValidationError, match="same service"):
        other_service.full_clean()

    earlier = AssessmentFactory.build(service=first.service, date=datetime.date(2026, 1, 1), follows=first)
    with pytest.raises(ValidationError, match="must come after"):
        earlier.full_clean()


def test_nobody_sits_on_the_panel_of_a_service_their_own_team_delivers():
    assessment = AssessmentFactory()
    member = DeliveryTeamMemberFactory(service=assessment.service)
    seat = PanelMemberFactory.build(assessment=assessment, user=member.user, role=PanelRole.DESIGN)
    with pytest.raises(ValidationError, match="delivery team"):
        seat.full_clean()


def test_the_status_of_a_report_cannot_be_set_directly():
    report = report_create(assessment=AssessmentFactory())
    with pytest.raises(AttributeError, match="modification is not allowed"):
        report.status = ReportStatus.PUBLISHED
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_revision_does_not_carry_workflow_state_back():
    report = report_create(assessment=AssessmentFactory())
    revision = report.save_revision()
    ReportPage.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED)
    revision.refresh_from_db()
    assert revision.content["status"] == ReportStatus.DRAFT
    assert revision.as_object().status == ReportStatus.ACCEPTED


def test_changes_to_report_data_are_recorded_with_who_made_them():
    author = UserFactory()
    report = report_create(assessment=AssessmentFactory())
    rating = report.ratings.get(number=1)
    rating.rating = Rating.AMBER
    rating._history_user = author
    rating.save()
    action = ReportAction.objects.create(rating=rating, description="Test with users of assistive technology")

    assert rating.history.first().history_user == author
    assert rating.history.count() == 2  # created with the report, then rated
    assert action.history.count() == 1
    assert PointRating.history.filter(report_id=report.pk).count() == 15
    assert report.history.exists()


def test_publishing_a_revision_keeps_the_current_status():
    report = report_create(assessment=AssessmentFactory())
    report.save_revision()
    ReportPage.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED)
    ReportPage.objects.get(pk=report.pk).latest_revision.publish()
    published = ReportPage.objects.get(pk=report.pk)
    assert published.live
    assert published.status == ReportStatus.ACCEPTED
