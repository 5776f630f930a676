"""The service's record (/services/<id>/): every assessment in order, the grid of ratings, the open actions and what
must happen before the next booking, for the delivery team, the service's panels and the central teams; each
report's ratings only to those who may see them; in a fixed number of queries."""

import dataclasses
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from tests.cast import make_cast, report_in, signed_in
from tests.factories import AssessmentFactory, PanelMemberFactory
from tests.workflow.test_booking_rules import later, refusal
from workflow import permissions, selectors
from workflow.models import PanelRole, Phase, ReportAction, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast(date=datetime.date(2026, 6, 1))


@pytest.fixture
def history(cast):
    """Alpha rated red on points 3 and 14 and amber on 6 and 7; a reassessment turned 3 green and left 14 red."""
    alpha = report_in(ReportStatus.PUBLISHED, cast, letters="ggrggaaggggggr")
    reassessment = later(cast, "reassessment", "gr", date=datetime.date(2026, 8, 1), follows=cast.assessment)
    return alpha, reassessment.report


def record(user, service) -> str:
    response = signed_in(user).get(f"/services/{service.pk}/")
    assert response.status_code == 200
    return response.text


def point_row(page: str, number: int) -> list[str]:
    """The words of each cell of a point's row in the grid, without markup."""
    row = re.search(rf'id="record-point-{number}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_delivery_team_reads_every_assessment_the_grid_the_actions_and_what_must_happen(cast, history):
    service = cast.assessment.service
    alpha, reassessment = history

    page = record(cast.product_manager, service)

    assert page.index("Alpha assessment") < page.index("Alpha reassessment")
    assert "1 June 2026" in page and "1 August 2026" in page
    assert point_row(page, 3) == ["Red", "Green"]
    assert point_row(page, 14) == ["Red", "Red"]
    assert point_row(page, 1) == ["Green", "Not in scope"]
    assert point_row(page, 6) == ["Amber", "Not in scope"]
    # The open actions: amber ones with the date they fall due, red ones before reassessment, and their evidence.
    due = alpha.amber_actions_due
    assert "Fix point 6." in page and due.strftime("%-d %B %Y") in page and "Before reassessment" in page
    assert "No evidence yet" in page
    six = ReportAction.objects.get(rating__report=alpha, rating__number=6)
    assert f'href="/team/reports/{alpha.pk}/#action-{six.pk}"' in page
    # What must happen before the next booking: the words of the refusal, each linked to its point or action.
    for reason in refusal(cast):
        assert escape(reason) in page
    assert f'href="/team/reports/{reassessment.pk}/#point-14"' in page

    ReportAction.objects.filter(pk=six.pk).update(ready_for_review_at=timezone.now())
    assert "Evidence ready for review since" in record(cast.product_manager, service)


def test_a_service_with_nothing_in_the_way_says_so(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="g" * 14)
    page = record(cast.product_manager, cast.assessment.service)
    assert "Nothing: the service may book its next assessment." in page
    assert "The service has no open actions." in page


def test_reports_still_with_the_panel_or_the_central_team_show_only_what_each_reader_may_see(cast, history):
    service = cast.assessment.service
    later(
        cast,
        "reassessment",
        "gg",
        date=datetime.date(2026, 9, 1),
        follows=cast.assessment,
        status=ReportStatus.SUBMITTED,
    )
    later(cast, "reassessment", "gg", date=datetime.date(2026, 10, 1), follows=cast.assessment, status="draft")

    team = record(cast.product_manager, service)
    assert point_row(team, 14) == ["Red", "Red", "Not available yet", "Not rated yet"]
    assert team.count("In progress") == 2  # the submitted report and the draft: no status, no result
    for reader in (cast.lead, cast.assessment_team, cast.plus, cast.superuser):
        assert point_row(record(reader, service), 14) == ["Red", "Red", "Green", "Not rated yet"]
    # The panel's draft is theirs to rate: not on the record until submitted.
    assert "Submitted, awaiting check" in record(cast.assessment_team, service)


def test_a_new_panel_reads_it_before_the_assessment_and_sees_only_settled_reports_of_others(cast, history):
    service = cast.assessment.service
    newcomer = cast.assessor_not_on_panel
    assert signed_in(newcomer).get(f"/services/{service.pk}/").status_code == 404
    shared = later(
        cast, "reassessment", "gg", date=datetime.date(2026, 9, 1), follows=cast.assessment, status=ReportStatus.SHARED
    )
    booked = AssessmentFactory(service=service, phase=Phase.ALPHA, date=datetime.date(2026, 12, 1))
    PanelMemberFactory(assessment=booked, user=newcomer, role=PanelRole.LEAD)

    page = record(newcomer, service)

    assert point_row(page, 14) == ["Red", "Red", "Not available yet", "Not rated yet"]
    assert "Report not started" in page
    assert f"/assessor/reports/{shared.report.pk}/" not in page
    assert "You cannot book your next phase while a point is rated red" in page
    # Read, not acted on: no links to the delivery team's or the assessment team's pages.
    assert "/team/reports/" not in page and "/assessment-team/reports/" not in page


def test_others_get_not_found(cast, history):
    url = f"/services/{cast.assessment.service.pk}/"
    for outsider in (cast.other_service_product_manager, cast.assessor_not_on_panel):
        assert signed_in(outsider).get(url).status_code == 404
    assert signed_in(cast.product_manager).get("/services/999999/").status_code == 404


def test_the_ratings_each_reader_sees_are_those_can_view_report_gives_them(cast):
    """may_see_on_record is can_view_report, read from what the record has fetched, for everyone but a panel of
    another assessment (who sees settled reports only: test above)."""
    reports = []
    for days, status in enumerate(ReportStatus.values):
        if status in (ReportStatus.WITHDRAWN, ReportStatus.ACCEPTED):
            continue
        assessment = AssessmentFactory(
            service=cast.assessment.service, date=cast.assessment.date + datetime.timedelta(days + 1)
        )
        for seat in cast.assessment.panel_members.all():
            PanelMemberFactory(assessment=assessment, user=seat.user, role=seat.role)
        reports.append(report_in(status, dataclasses.replace(cast, assessment=assessment)))
    for reader in (cast.product_manager, cast.sro, cast.lead, cast.observer, cast.assessment_team, cast.plus):
        own = set(reader.panel_seats.values_list("assessment_id", flat=True))
        for report in reports:
            assert permissions.may_see_on_record(reader, report, own_panels=own) == permissions.can_view_report(
                reader, report
            ), (reader, report.status)


def test_queries_do_not_grow_with_the_number_of_assessments(cast, history, django_assert_max_num_queries):
    service = cast.assessment.service
    booked = AssessmentFactory(service=service, phase=Phase.ALPHA, date=datetime.date(2026, 12, 1))
    PanelMemberFactory(assessment=booked, user=cast.assessor_not_on_panel, role=PanelRole.LEAD)
    readers = {
        reader: signed_in(reader)
        for reader in (cast.product_manager, cast.lead, cast.assessment_team, cast.assessor_not_on_panel)
    }
    counts = {}
    for reader, client in readers.items():
        client.get(f"/services/{service.pk}/")  # the session and the groups, as on any page
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/services/{service.pk}/").status_code == 200
        counts[reader] = len(queries)
    for month in (9, 10, 11):
        later(cast, "reassessment", "gg", date=datetime.date(2026, month, 1), follows=cast.assessment)
    AssessmentFactory(service=service, phase=Phase.PRIVATE_BETA, date=datetime.date(2026, 12, 2))
    for reader, client in readers.items():
        # Publishing the reports above cleared the footer's links from the cache: read again, as on the first pass.
        client.get(f"/services/{service.pk}/")
        with django_assert_max_num_queries(counts[reader]):
            page = client.get(f"/services/{service.pk}/").text
        assert page.count('class="govuk-table__row" id="assessment-') == 7


def test_the_selector_reads_the_service_in_a_fixed_number_of_queries(cast, history, django_assert_num_queries):
    later(cast, "reassessment", "gg", date=datetime.date(2026, 9, 1), follows=cast.assessment)
    with django_assert_num_queries(5):  # assessments, reports, ratings, actions, the reader's seats
        selectors.service_record(cast.assessment.service, cast.assessment_team)


def test_every_report_page_and_the_admin_link_to_it(cast, history):
    alpha, _ = history
    service = cast.assessment.service
    link = f'href="/services/{service.pk}/"'
    assert link in signed_in(cast.product_manager).get(f"/team/reports/{alpha.pk}/").text
    assert link in signed_in(cast.product_manager).get("/team/").text
    assert link in signed_in(cast.lead).get(f"/assessor/reports/{alpha.pk}/").text
    assert link in signed_in(cast.lead).get("/assessor/").text
    assert link in signed_in(cast.assessment_team).get(f"/assessment-team/reports/{alpha.pk}/").text
    admin = signed_in(cast.assessment_team)
    assert link in admin.get(f"/admin/services/inspect/{service.pk}/").text
    assert link in admin.get(f"/admin/assessments/inspect/{cast.assessment.pk}/").text


def test_what_people_typed_is_escaped(cast):
    report_in(ReportStatus.PUBLISHED, cast, letters="gggggagggggggg")
    ReportAction.objects.update(description='<script>alert("action")</script>')
    service = cast.assessment.service
    type(service).objects.filter(pk=service.pk).update(name="<b>Service</b>")
    page = record(cast.product_manager, service)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>Service</b>" not in page and "&lt;b&gt;Service&lt;/b&gt;" in page
