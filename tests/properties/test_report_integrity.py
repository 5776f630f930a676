"""A report is changed only by its form and its transitions, and is public only once published."""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError

from notify import kinds
from notify.models import OutboxEmail, OutboxStatus
from tests.cast import make_cast, rate, report_in
from tests.factories import AssessmentFactory, DeliveryTeamMemberFactory
from workflow.models import (
    DeliveryTeamRole,
    Rating,
    ReportAction,
    ReportPage,
    ReportStatus,
)
from workflow.services import transitions
from workflow.services.reports import report_create
from workflow.transitions import ReportTransition

pytestmark = pytest.mark.django_db


def test_the_page_editor_cannot_publish_or_edit_a_report(client):
    cast = make_cast()
    report = report_in(ReportStatus.SUBMITTED, cast)
    client.force_login(cast.assessment_team)

    assert client.get(f"/admin/pages/{report.pk}/edit/").status_code in (302, 403)
    response = client.post(f"/admin/pages/{report.pk}/edit/", {"title": "Changed", "action-publish": "publish"})
    assert response.status_code in (302, 403)

    report = ReportPage.objects.get(pk=report.pk)
    assert (report.live, report.title, report.status) == (False, cast.assessment.service.name, ReportStatus.SUBMITTED)


def test_a_live_report_that_is_not_published_is_still_not_found(client):
    report = report_in(ReportStatus.SHARED, make_cast())
    ReportPage.objects.filter(pk=report.pk).update(live=True)
    assert client.get(report.url_path.removeprefix("/home")).status_code == 404


def test_resolving_a_challenge_needs_a_complete_report_again():
    cast = make_cast()
    report = report_in(ReportStatus.CHALLENGED, cast)
    # While challenged the panel amends the report: here they leave a point unrated.
    report.ratings.filter(number=1).update(rating="")

    with pytest.raises(transitions.TransitionRefused, match="point 1 not yet rated"):
        transitions.report_transition(
            report=report, name=ReportTransition.RESOLVE, user=cast.plus, comment="Point 1 reworded."
        )
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.CHALLENGED


def test_a_reassessment_needs_a_published_report_with_red_points():
    cast = make_cast(date=datetime.date(2026, 3, 1))
    all_green = report_in(ReportStatus.PUBLISHED, cast, "g" * 14)
    reassessment = AssessmentFactory(
        service=cast.assessment.service, date=datetime.date(2026, 6, 1), follows=all_green.assessment
    )
    with pytest.raises(ValidationError, match="at least one red point"):
        report_create(assessment=reassessment)

    unpublished_red = rate(report_create(assessment=AssessmentFactory(service=cast.assessment.service)), "r" * 14)
    follow_up = AssessmentFactory(
        service=cast.assessment.service, date=datetime.date(2026, 12, 1), follows=unpublished_red.assessment
    )
    with pytest.raises(ValidationError, match="at least one red point"):
        report_create(assessment=follow_up)
    assert not ReportPage.objects.filter(assessment__in=[reassessment, follow_up]).exists()


def test_the_lead_assessor_starts_the_report_from_their_dashboard(client):
    cast = make_cast()
    url = f"/assessor/assessments/{cast.assessment.pk}/start/"

    client.force_login(cast.researcher)
    assert client.post(url).status_code == 403
    client.force_login(cast.assessor_not_on_panel)
    assert client.post(url).status_code == 404

    client.force_login(cast.lead)
    assert "Start the report" in client.get("/assessor/").text
    response = client.post(url)
    report = ReportPage.objects.get(assessment=cast.assessment)
    assert response["Location"] == f"/assessor/reports/{report.pk}/"
    again = client.post(url, follow=True)
    assert "already has a report" in again.text
    assert ReportPage.objects.filter(assessment=cast.assessment).count() == 1


def test_someone_who_sat_on_the_panel_cannot_answer_for_the_delivery_team():
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)
    DeliveryTeamMemberFactory(service=cast.assessment.service, user=cast.lead, role=DeliveryTeamRole.PRODUCT_MANAGER)
    cast.lead.groups.add(*cast.product_manager.groups.all())
    lead = type(cast.lead).objects.get(pk=cast.lead.pk)

    with pytest.raises(Exception, match="cannot make this change"):
        transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=lead)
    with pytest.raises(ValidationError, match="sits on a panel"):
        DeliveryTeamMemberFactory.build(
            service=cast.assessment.service, user=cast.researcher, role=DeliveryTeamRole.DELIVERY_MANAGER
        ).full_clean()


def test_amber_due_dates_set_on_acceptance_are_in_the_history():
    cast = make_cast()
    report = report_in(ReportStatus.PUBLISHED, cast, "gggggagggggggg")
    action = ReportAction.objects.get(rating__report=report, rating__rating=Rating.AMBER)
    latest = action.history.first()
    assert action.due_date is not None
    assert (latest.due_date, latest.history_user) == (action.due_date, cast.product_manager)


def test_a_receipt_with_an_impossible_date_is_still_recorded(client, settings):
    settings.NOTIFY_CALLBACK_TOKEN = "callback-token-for-this-test"
    email = OutboxEmail.objects.create(
        kind=kinds.REPORT_SHARED,
        template_id=str(uuid.uuid4()),
        email_address="sam@example.gov.uk",
        idempotency_key="impossible-date",
        status=OutboxStatus.SENT,
    )
    body = {
        "id": str(uuid.uuid4()),
        "reference": str(email.pk),
        "status": "delivered",
        "completed_at": "2026-13-45T00:00:00",
    }
    response = client.post(
        "/notify/callback/",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": "Bearer callback-token-for-this-test"},
    )
    assert response.status_code == 200
    email.refresh_from_db()
    assert email.status == OutboxStatus.DELIVERED
