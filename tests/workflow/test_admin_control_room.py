"""The service assessment team's control room in the Wagtail admin: lists, the report inspect view with its
transition buttons, permissions for each group, "your actions" on the dashboard and the audit history."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ReferenceIndex

from notify.models import OutboxEmail, OutboxStatus
from tests.cast import make_cast, report_in
from tests.factories import ServiceFactory
from workflow import roles
from workflow.models import ReportAction, ReportStatus, Service

pytestmark = pytest.mark.django_db

LISTS = [
    "/admin/assessment-reports/",
    "/admin/assessments/",
    "/admin/services/",
    "/admin/departments/",
    "/admin/panel_members/",
    "/admin/delivery_team_members/",
    "/admin/report_actions/",
    "/admin/audit/",
]


@pytest.fixture
def cast():
    return make_cast(date=timezone.localdate() - datetime.timedelta(days=10))


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", LISTS)
def test_the_team_and_the_plus_team_see_every_list(client, cast, url):
    report_in(ReportStatus.SUBMITTED, cast)
    for user in (cast.assessment_team, cast.plus):
        assert signed_in(client, user).get(url).status_code == 200


def test_the_team_edits_services_and_the_plus_team_only_reads(client, cast):
    service = cast.assessment.service
    assessment_team = signed_in(client, cast.assessment_team)
    assert assessment_team.get("/admin/services/").text.count(f"/admin/services/edit/{service.pk}/") >= 1
    response = assessment_team.post(
        f"/admin/services/edit/{service.pk}/",
        {"name": "Renamed service", "department": service.department_id, "description": "d", "users": "u"},
    )
    assert response.status_code == 302
    assert Service.objects.get(pk=service.pk).name == "Renamed service"

    plus = signed_in(Client(), cast.plus)
    assert f"/admin/services/edit/{service.pk}/" not in plus.get("/admin/services/").text
    assert plus.get(f"/admin/services/edit/{service.pk}/").status_code in (302, 403)


def test_lists_search_and_filter(client, cast):
    ServiceFactory(name="Apply for a fishing licence")
    ServiceFactory(name="Register a boat")
    assessment_team = signed_in(client, cast.assessment_team)
    page = assessment_team.get("/admin/services/", {"q": "fishing"}).text
    assert "Apply for a fishing licence" in page and "Register a boat" not in page

    report_in(ReportStatus.SUBMITTED, cast)
    submitted = assessment_team.get("/admin/assessment-reports/", {"status": "submitted"}).text
    shared = assessment_team.get("/admin/assessment-reports/", {"status": "shared"}).text
    assert cast.assessment.service.name in submitted
    assert cast.assessment.service.name not in shared


def test_nobody_adds_or_edits_reports_through_the_report_list(client, cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    for user in (cast.assessment_team, cast.superuser):
        c = signed_in(client, user)
        assert "/admin/assessment-reports/new/" not in c.get("/admin/assessment-reports/").text
        assert c.get(f"/admin/assessment-reports/edit/{report.pk}/").status_code in (302, 403)
        assert c.get("/admin/assessment-reports/new/").status_code in (302, 403)
        assert c.get(f"/admin/assessment-reports/delete/{report.pk}/").status_code in (302, 403)


def test_the_inspect_view_shows_ratings_history_and_exactly_the_allowed_transitions(client, cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    url = f"/admin/assessment-reports/inspect/{report.pk}/"

    page = signed_in(client, cast.assessment_team).get(url).text
    assert "6. " in page and "Amber" in page and "Fix point 6." in page
    assert "Draft → Submitted, awaiting check" in page
    assert 'data-transition="check"' in page and 'data-transition="return"' in page
    assert 'data-transition="share"' not in page and 'data-transition="submit"' not in page
    assert "Field history" in page and "Rating: (blank) → Amber" in page

    plus_page = signed_in(client, cast.plus).get(url).text
    assert "data-transition=" not in plus_page
    assert "There is nothing for you to do to this report now." in plus_page


def test_the_buttons_make_the_transition_through_the_service(client, cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    assessment_team = signed_in(client, cast.assessment_team)

    refused = assessment_team.post(
        f"/admin/assessment-reports/transition/{report.pk}/return/", {"comment": " "}, follow=True
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "Enter a comment for the panel" in refused.text

    assessment_team.post(f"/admin/assessment-reports/transition/{report.pk}/check/")
    report.refresh_from_db()
    assert report.status == ReportStatus.CHECKED
    change = report.status_changes.latest()
    assert change.by == cast.assessment_team and change.transition == "check"


def test_a_transition_the_person_may_not_make_changes_nothing(client, cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    plus = signed_in(client, cast.plus)
    response = plus.post(f"/admin/assessment-reports/transition/{report.pk}/check/", follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert "You cannot make this change" in response.text


def test_the_assessment_team_follows_up_actions_and_the_edit_bumps_the_version(client, cast):
    report = report_in(ReportStatus.PUBLISHED, cast)
    action = ReportAction.objects.get(rating__report=report)
    assessment_team = signed_in(client, cast.assessment_team)
    response = assessment_team.post(
        f"/admin/report_actions/edit/{action.pk}/",
        {"description": action.description, "due_date": "", "status": "done", "evidence": "Fixed it."},
    )
    assert response.status_code == 302
    edited = ReportAction.objects.get(pk=action.pk)
    assert edited.status == "done" and edited.version == action.version + 1
    assert assessment_team.get("/admin/report_actions/new/").status_code in (302, 403)


def _count(page: str, label: str) -> int:
    start = page.index(label)
    cell = page.index("data-count>", start) + len("data-count>")
    return int(page[cell : page.index("<", cell)])


def test_your_actions_counts_what_the_assessment_team_has_to_do(client, cast):
    report_in(ReportStatus.SUBMITTED, cast)  # assessed 10 days ago: overdue to share
    other = make_cast(date=timezone.localdate() - datetime.timedelta(days=60))
    published = report_in(ReportStatus.PUBLISHED, other)
    ReportAction.objects.filter(rating__report=published).update(due_date=timezone.localdate() - datetime.timedelta(1))
    OutboxEmail.objects.create(
        kind="report_returned",
        template_id="x",
        email_address="kim@example.gov.uk",
        personalisation={},
        idempotency_key="k1",
        status=OutboxStatus.FAILED,
    )

    page = signed_in(client, cast.assessment_team).get("/admin/").text

    assert "Your actions" in page
    assert _count(page, "Reports to check") == 1
    assert _count(page, "Reports to share") == 0
    assert _count(page, "Reports overdue to share") == 1
    assert _count(page, "Open challenges") == 0
    assert _count(page, "Amber actions overdue") == 1
    assert _count(page, "Emails that failed") == 1


def test_your_actions_is_only_for_the_service_assessment_team(client, cast):
    assert "Your actions" not in signed_in(client, cast.plus).get("/admin/").text


def test_the_audit_history_shows_who_changed_what(client, cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    action = ReportAction.objects.get(rating__report=report)
    action._history_user = cast.assessment_team
    action.evidence = "Evidence from the team."
    action.save()

    page = signed_in(client, cast.assessment_team).get("/admin/audit/").text

    assert "Evidence from the team." in page
    assert escape(cast.assessment_team.get_full_name()) in page
    assert "Report action" in page


def test_an_admin_edit_is_in_the_audit_with_who_made_it_and_the_filter_narrows_it(client, cast):
    report = report_in(ReportStatus.PUBLISHED, cast)
    action = ReportAction.objects.get(rating__report=report)
    assessment_team = signed_in(client, cast.assessment_team)
    assessment_team.post(
        f"/admin/report_actions/edit/{action.pk}/",
        {"description": action.description, "due_date": "", "status": "done", "evidence": "Done in the admin."},
    )

    actions_only = assessment_team.get("/admin/audit/", {"what": "action"}).text
    assessments_only = assessment_team.get("/admin/audit/", {"what": "assessment"}).text

    assert "Status: Open → Done" in actions_only and escape(cast.assessment_team.get_full_name()) in actions_only
    assert "Done in the admin." not in assessments_only


def test_the_report_inspect_view_shows_who_changed_the_ratings(client, cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    rating = report.ratings.get(number=3)
    rating._history_user = cast.lead
    rating.done_well = "Clear research plan."
    rating.save()

    page = signed_in(client, cast.assessment_team).get(f"/admin/assessment-reports/inspect/{report.pk}/").text

    assert "Clear research plan." in page and escape(cast.lead.get_full_name()) in page


def test_every_view_opens_for_a_superuser(client, cast):
    report = report_in(ReportStatus.PUBLISHED, cast)
    action = ReportAction.objects.get(rating__report=report)
    seat = cast.assessment.panel_members.first()
    member = cast.assessment.service.team_members.first()
    service = cast.assessment.service
    admin = signed_in(client, cast.superuser)
    urls = [
        "/admin/",
        f"/admin/assessment-reports/inspect/{report.pk}/",
        f"/admin/assessments/edit/{cast.assessment.pk}/",
        f"/admin/assessments/inspect/{cast.assessment.pk}/",
        "/admin/assessments/new/",
        f"/admin/services/inspect/{service.pk}/",
        f"/admin/departments/edit/{service.department_id}/",
        f"/admin/panel_members/edit/{seat.pk}/",
        f"/admin/delivery_team_members/edit/{member.pk}/",
        f"/admin/report_actions/inspect/{action.pk}/",
        f"/admin/report_actions/edit/{action.pk}/",
        "/admin/bookings/",
        "/admin/insights/",
        "/admin/audit/",
    ]
    for url in urls:
        assert admin.get(url).status_code == 200, url


def test_a_panel_seat_for_someone_on_the_delivery_team_is_refused(client, cast):
    # An assessor too (only assessors can be seated at all): the conflict of interest is what refuses it.
    cast.product_manager.groups.add(Group.objects.get(name=roles.ASSESSORS))
    response = signed_in(client, cast.assessment_team).post(
        "/admin/panel_members/new/",
        {"assessment": cast.assessment.pk, "user": cast.product_manager.pk, "role": "design"},
    )
    assert response.status_code == 200
    assert "on the service&#x27;s delivery team" in response.text or "on the service's delivery team" in response.text
    assert not cast.assessment.panel_members.filter(user=cast.product_manager).exists()


def test_the_assessment_team_edits_the_survey_questions_in_the_page_editor(client, cast):
    from workflow.services import feedback

    page = feedback.survey_page()
    response = signed_in(client, cast.assessment_team).get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "How was the assessment organised?" in response.text


def test_deleting_a_department_its_services_still_need_is_refused_with_a_message(cast):
    department = cast.assessment.service.department
    # As after seed_demo or a shell: Wagtail's reference index does not know the service refers to it.
    ReferenceIndex.objects.all().delete()
    client = signed_in(Client(), cast.assessment_team)

    response = client.post(f"/admin/departments/delete/{department.pk}/", follow=True)

    assert response.status_code == 200
    assert f"“{department}” was not deleted: services still refer to it." in response.text
    assert type(department).objects.filter(pk=department.pk).exists()
