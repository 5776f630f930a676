"""The assessors' pages, through HTTP: the dashboard, the report form, actions, the overall rating and submitting."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cast import make_cast, rate, report_in, signed_in
from tests.factories import AssessmentFactory, PanelMemberFactory
from workflow.models import PanelRole, PointRating, Rating, ReportAction, ReportPage, ReportStatus, ReportStatusChange
from workflow.services import transitions
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def draft(cast):
    return report_create(assessment=cast.assessment)


def url(name, *args):
    return reverse(f"assessor:{name}", args=args)


def hidden_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def point_data(version=0, *, rating="amber", done_well="Talked to users.", to_improve="Test with more users.", then=""):
    return {"version": version, "rating": rating, "done_well": done_well, "to_improve": to_improve, "then": then}


def rated(report, letters, *, overall=None):
    """A report rated through the test helper, with its overall rating cleared unless given."""
    report = rate(report, letters)
    ReportPage.objects.filter(pk=report.pk).update(overall_rating=overall or "")
    return ReportPage.objects.get(pk=report.pk)


# The dashboard


def test_the_dashboard_lists_the_assessments_whose_panel_you_sit_on(cast, draft):
    someone_elses = AssessmentFactory()
    report_create(assessment=someone_elses)
    response = signed_in(cast.lead).get(url("dashboard"))
    assert response.status_code == 200
    html = response.text
    assert cast.assessment.service.name in html
    assert someone_elses.service.name not in html
    assert "Lead assessor" in html
    assert "Alpha" in html
    assert "1 October 2026" in html
    assert ">Draft<" in html
    assert "8 October 2026" in html  # shared within 7 days of the assessment
    assert f'href="{url("report", draft.pk)}"' in html

    researcher_html = signed_in(cast.researcher).get(url("dashboard")).text
    assert "User research assessor" in researcher_html


def test_the_dashboard_shows_an_assessment_whose_report_is_not_written_yet(cast):
    lead_html = signed_in(cast.lead).get(url("dashboard")).text
    assert cast.assessment.service.name in lead_html
    assert "Start the report" in lead_html  # only the lead starts it
    researcher_html = signed_in(cast.researcher).get(url("dashboard")).text
    assert "Not started yet" in researcher_html
    assert "Start the report" not in researcher_html


def test_the_dashboard_takes_the_same_number_of_queries_for_many_assessments(cast, draft):
    client = signed_in(cast.lead)
    client.get(url("dashboard"))  # sessions and groups warmed up
    with CaptureQueriesContext(connection) as one:
        client.get(url("dashboard"))
    for _ in range(4):
        assessment = AssessmentFactory()
        PanelMemberFactory(assessment=assessment, user=cast.lead, role=PanelRole.LEAD)
        report_create(assessment=assessment)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url("dashboard"))
    assert response.text.count(">Draft<") == 5
    assert len(five) == len(one)


# Who sees what


@pytest.mark.parametrize("address", ["/assessor/reports/999999/", "/assessor/reports/99999999999999999999999/"])
def test_a_report_that_does_not_exist_is_not_found(cast, address):
    assert signed_in(cast.lead).get(address).status_code == 404


def test_a_point_outside_the_report_is_not_found(cast, draft):
    assert signed_in(cast.lead).get(url("point", draft.pk, 15)).status_code == 404


def test_an_observer_reads_the_report_but_cannot_change_it(cast):
    report = rated(report_create(assessment=cast.assessment), "gggggagggggggg")
    client = signed_in(cast.observer)
    response = client.get(url("report", report.pk))
    assert response.status_code == 200
    html = response.text
    assert "You are an observer on this panel, so you can read the report but not change it." in html
    assert "/points/" not in html
    assert url("about", report.pk) not in html
    assert "Submit report" not in html
    assert "Good work on point 6." in html  # the report body, to read

    assert client.get(url("point", report.pk, 1)).status_code == 403
    assert client.post(url("point", report.pk, 1), point_data(rating="red")).status_code == 403
    assert (
        client.post(
            url("about", report.pk), {"version": 0, "service_description": "x", "service_users": "y"}
        ).status_code
        == 403
    )
    assert client.post(url("submit", report.pk)).status_code == 403
    assert PointRating.objects.get(report=report, number=1).rating == Rating.GREEN


SUBMITTED = (
    "The report has been submitted to the service assessment team, so the panel can no longer change it. If "
    "something needs to change, ask the service assessment team to return it to the panel."
)


def test_a_submitted_report_can_no_longer_be_edited(cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    client = signed_in(cast.lead)
    html = client.get(url("report", report.pk)).text
    assert "The report has been submitted to the service assessment team" in html
    assert "/points/" not in html
    # The forms are not offered...
    assert client.get(url("point", report.pk, 1)).status_code == 403
    assert client.get(url("about", report.pk)).status_code == 403
    # ...and a save from a form opened before it was submitted changes nothing.
    rating = PointRating.objects.get(report=report, number=1)
    response = client.post(url("point", report.pk, 1), point_data(rating.version, rating="red"))
    assert response.status_code == 200
    rating.refresh_from_db()
    assert rating.rating == Rating.GREEN
    action = ReportAction.objects.filter(rating__report=report).first()
    assert client.post(url("action_remove", report.pk, action.pk), {"version": action.version}).status_code == 200
    assert ReportAction.objects.filter(pk=action.pk).exists()


def snapshot_of(report):
    """Everything the panel's forms could change in a report, with its history."""
    ratings = PointRating.objects.filter(report=report)
    actions = ReportAction.objects.filter(rating__report=report)
    return (
        ReportPage.objects.filter(pk=report.pk)
        .values_list("status", "service_description", "service_users", "overall_rating", "version")
        .get(),
        sorted(ratings.values_list("pk", "rating", "done_well", "to_improve", "version")),
        sorted(actions.values_list("pk", "description", "due_date", "version")),
        PointRating.history.filter(report_id=report.pk).count(),
        ReportAction.history.filter(rating_id__in=ratings.values("pk")).count(),
        ReportPage.history.filter(pk=report.pk).count(),
    )


# Each form of the panel, filled in on a draft, then saved after the lead has submitted it.
LATE_EDITS = {
    "service details": (
        lambda report, action: url("about", report.pk),
        lambda report, action: {
            "version": report.version,
            "service_description": "Typed while the lead submitted.",
            "service_users": "People who typed late.",
        },
    ),
    "point": (
        lambda report, action: url("point", report.pk, 3),
        lambda report, action: point_data(
            report.ratings.get(number=3).version, rating="red", done_well="Typed while the lead submitted."
        ),
    ),
    "new action": (
        lambda report, action: url("action_add", report.pk, 6),
        lambda report, action: {"description": "Typed while the lead submitted.", "due_date": "2027-01-31"},
    ),
    "changed action": (
        lambda report, action: url("action_edit", report.pk, action.pk),
        lambda report, action: {
            "version": action.version,
            "description": "Typed while the lead submitted.",
            "due_date": "",
        },
    ),
    "removed action": (
        lambda report, action: url("action_remove", report.pk, action.pk),
        lambda report, action: {"version": action.version},
    ),
    "overall rating": (
        lambda report, action: url("overall", report.pk),
        lambda report, action: {
            "version": report.version,
            "overall_rating": "red",
            "reason": "Typed while the lead submitted.",
        },
    ),
}


@pytest.mark.parametrize("form", LATE_EDITS)
@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.SHARED])
def test_a_save_that_arrives_after_the_report_moved_on_keeps_the_typed_text_and_says_why(cast, form, status):
    report = report_in(ReportStatus.DRAFT, cast)  # point 6 amber, with an action
    action = ReportAction.objects.get(rating__report=report)
    address, data = LATE_EDITS[form]
    address, data = address(report, action), data(report, action)
    client = signed_in(cast.lead)  # the lead: every form is theirs, the overall rating included
    assert client.get(address).status_code == 200  # opened while a draft
    report = report_in_status_from_draft(report, cast, status)
    before = snapshot_of(report)

    response = client.post(address, data)

    assert response.status_code == 200
    page = unescape(response.text)
    assert "There is a problem" in page
    assert ReportStatus(status).why_panel_cannot_edit in page
    if form != "removed action":
        assert "Typed while the lead submitted." in page
    assert snapshot_of(report) == before


def report_in_status_from_draft(report, cast, status):
    """Moves a draft on, as the people whose step it is would."""
    steps = {"submitted": ["submit"], "checked": ["submit", "check"], "shared": ["submit", "check", "share"]}
    actor = {"submit": cast.lead, "check": cast.assessment_team, "share": cast.assessment_team}
    for step in steps[status]:
        report = transitions.report_transition(report=report, name=step, user=actor[step])
    return ReportPage.objects.get(pk=report.pk)


def test_a_panel_member_who_is_not_the_lead_is_still_refused_the_overall_rating_once_submitted(cast):
    report = report_in(ReportStatus.SUBMITTED, cast)
    response = signed_in(cast.researcher).post(
        url("overall", report.pk), {"version": report.version, "overall_rating": "red", "reason": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["observer", "assessor_not_on_panel", "assessment_team"])
def test_people_who_could_never_edit_are_refused_as_before_once_submitted(cast, who):
    report = report_in(ReportStatus.SUBMITTED, cast)
    rating = report.ratings.get(number=3)
    response = signed_in(getattr(cast, who)).post(url("point", report.pk, 3), point_data(rating.version))
    assert response.status_code == (404 if who == "assessor_not_on_panel" else 403)
    assert "Typed" not in response.text


def test_in_a_challenge_the_panel_edits_but_does_not_submit(cast):
    report = report_in(ReportStatus.CHALLENGED, cast)
    html = signed_in(cast.lead).get(url("report", report.pk)).text
    assert "The delivery team challenged the report" in html
    assert "We disagree with point 6." in html
    assert url("point", report.pk, 6) in html
    assert "Submit report" not in html


# The service details


def test_the_service_details_are_changed(cast, draft):
    client = signed_in(cast.researcher)
    overview = client.get(url("report", draft.pk)).text
    assert url("about", draft.pk) in overview
    form = client.get(url("about", draft.pk))
    assert "Lets people do a thing." in form.text
    response = client.post(
        url("about", draft.pk),
        {
            "version": hidden_version(form.text),
            "service_description": "Apply for a thing.",
            "service_users": "Citizens.",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.service_description, draft.service_users) == ("Apply for a thing.", "Citizens.")


def test_the_service_description_is_needed(cast, draft):
    response = signed_in(cast.lead).post(
        url("about", draft.pk), {"version": 0, "service_description": " ", "service_users": "Citizens."}
    )
    assert response.status_code == 200
    assert "Enter a description of the service" in response.text


# Points


def test_a_point_is_rated_and_the_form_moves_on_to_the_next_point(cast, draft):
    client = signed_in(cast.researcher)
    page = client.get(url("point", draft.pk, 1))
    assert page.status_code == 200
    rating = PointRating.objects.select_related("point").get(report=draft, number=1)
    assert "Understand users and their needs" in page.text
    assert rating.point.service_manual_url in page.text
    assert "Guidance for assessors" in page.text
    assert 'value="green"' in page.text and "Green points have no actions" in page.text

    response = client.post(url("point", draft.pk, 1), point_data(hidden_version(page.text), then="next"))
    assert response.status_code == 302
    assert response.url == url("point", draft.pk, 2)
    rating.refresh_from_db()
    assert (rating.rating, rating.done_well, rating.to_improve, rating.version) == (
        Rating.AMBER,
        "Talked to users.",
        "Test with more users.",
        1,
    )
    assert rating.history.first().history_user == cast.researcher

    overview = client.post(url("point", draft.pk, 2), point_data(then="overview"), follow=True)
    assert overview.redirect_chain[-1][0].startswith(url("report", draft.pk))
    assert "Point 2 has been saved." in overview.text


def test_the_last_point_continues_to_the_overview(cast, draft):
    response = signed_in(cast.lead).post(url("point", draft.pk, 14), point_data(rating="green", then="next"))
    assert response.url.startswith(url("report", draft.pk))


def test_the_overview_lists_each_point_with_its_rating_in_words_and_its_actions(cast):
    report = rated(report_create(assessment=cast.assessment), "gggggagggggggr")
    html = signed_in(cast.researcher).get(url("report", report.pk)).text
    assert "govuk-task-list" in html
    assert "6. Have a multidisciplinary team" in html
    assert html.count("1 action<") == 2
    assert ">Amber<" in html and ">Red<" in html and ">Green<" in html
    unrated = report_create(assessment=AssessmentFactory())
    assert "Not rated" in signed_in(cast.superuser).get(url("report", unrated.pk)).text


def test_bad_input_gives_errors_not_a_crash(cast, draft):
    client = signed_in(cast.lead)
    too_long = client.post(url("point", draft.pk, 1), point_data(done_well="x" * 10_001))
    assert too_long.status_code == 200
    assert "What the team has done well must be 10,000 characters or fewer" in too_long.text
    assert "There is a problem" in too_long.text

    for version in ("abc", "-1", "9" * 40, ""):
        response = client.post(url("point", draft.pk, 1), point_data(version))
        assert response.status_code == 200
        assert "This page is out of date" in response.text

    purple = client.post(url("point", draft.pk, 1), point_data(rating="purple"))
    assert purple.status_code == 200
    assert "Select green, amber or red" in purple.text

    nul = client.post(url("point", draft.pk, 1), point_data(done_well="a\x00b"))
    assert nul.status_code == 200

    bad_date = client.post(
        url("action_add", draft.pk, 1),
        {"description": "Do it.", "due_date_day": "30", "due_date_month": "2", "due_date_year": "2027"},
    )
    assert bad_date.status_code == 200
    assert "Due date must be a real date" in bad_date.text

    assert PointRating.objects.get(report=draft, number=1).version == 0


# Actions


def amber_point(report, user, number=1):
    signed_in(user).post(url("point", report.pk, number), point_data(rating="amber"))
    return PointRating.objects.get(report=report, number=number)


def test_actions_are_added_changed_and_removed(cast, draft):
    rating = amber_point(draft, cast.lead)
    client = signed_in(cast.researcher)
    page = client.get(url("point", draft.pk, 1)).text
    assert "Add an action" in page

    assert client.get(url("action_add", draft.pk, 1)).status_code == 200
    added = client.post(url("action_add", draft.pk, 1), {"description": "Test with 5 users.", "due_date": "2027-01-31"})
    assert added.status_code == 302
    action = ReportAction.objects.get(rating=rating)
    assert (action.description, str(action.due_date)) == ("Test with 5 users.", "2027-01-31")

    page = client.get(url("point", draft.pk, 1)).text
    assert "Test with 5 users." in page and "31 January 2027" in page
    assert url("action_edit", draft.pk, action.pk) in page
    assert url("action_remove", draft.pk, action.pk) in page

    edit = client.get(url("action_edit", draft.pk, action.pk))
    for part, value in (("day", "31"), ("month", "1"), ("year", "2027")):
        assert re.search(rf'name="due_date_{part}" value="{value}"', edit.text)
    changed = client.post(
        url("action_edit", draft.pk, action.pk),
        {"version": hidden_version(edit.text), "description": "Test with 8 users.", "due_date": ""},
    )
    assert changed.status_code == 302
    action.refresh_from_db()
    assert (action.description, action.due_date, action.version) == ("Test with 8 users.", None, 1)

    confirm = client.get(url("action_remove", draft.pk, action.pk))
    assert "Are you sure you want to remove this action?" in confirm.text
    assert "Test with 8 users." in confirm.text
    assert ReportAction.objects.filter(pk=action.pk).exists()
    removed = client.post(
        url("action_remove", draft.pk, action.pk), {"version": hidden_version(confirm.text)}, follow=True
    )
    assert "The action has been removed from point 1." in removed.text
    assert not ReportAction.objects.filter(pk=action.pk).exists()


def test_the_add_an_action_button_saves_the_point_first(cast, draft):
    amber_point(draft, cast.lead)
    response = signed_in(cast.lead).post(
        url("point", draft.pk, 1), point_data(1, done_well="Typed before adding.", then="add-action")
    )
    assert response.url == url("action_add", draft.pk, 1)
    assert PointRating.objects.get(report=draft, number=1).done_well == "Typed before adding."


def test_a_green_point_cannot_get_an_action(cast, draft):
    client = signed_in(cast.lead)
    client.post(url("point", draft.pk, 1), point_data(rating="green"))
    page = client.get(url("point", draft.pk, 1)).text
    assert "Add an action" not in page

    refused = client.get(url("action_add", draft.pk, 1), follow=True)
    assert refused.redirect_chain[-1][0] == url("point", draft.pk, 1)
    assert "Only amber and red points have actions" in refused.text

    posted = client.post(url("action_add", draft.pk, 1), {"description": "Sneaked in.", "due_date": ""})
    assert posted.status_code == 200
    assert "Only amber and red points have actions" in posted.text
    assert "Sneaked in." in posted.text
    assert not ReportAction.objects.exists()


def test_an_action_of_another_report_is_not_found(cast, draft):
    other_cast = make_cast()
    other = report_in(ReportStatus.DRAFT, other_cast, "agggggggggggggg"[:14])
    foreign = ReportAction.objects.get(rating__report=other)
    client = signed_in(cast.lead)
    assert client.get(url("action_edit", draft.pk, foreign.pk)).status_code == 404
    assert client.post(url("action_remove", draft.pk, foreign.pk), {"version": 0}).status_code == 404
    assert client.get(url("action_edit", draft.pk, 999999)).status_code == 404
    assert ReportAction.objects.filter(pk=foreign.pk).exists()


def test_an_action_is_at_most_2000_characters(cast, draft):
    amber_point(draft, cast.lead)
    response = signed_in(cast.lead).post(url("action_add", draft.pk, 1), {"description": "x" * 2001, "due_date": ""})
    assert response.status_code == 200
    assert "must be 2,000 characters or fewer" in response.text
    assert not ReportAction.objects.exists()


# The overall rating


def test_the_lead_gives_the_overall_rating_starting_from_the_suggestion(cast):
    report = rated(report_create(assessment=cast.assessment), "gggggagggggggg")
    client = signed_in(cast.lead)
    assert url("overall", report.pk) in client.get(url("report", report.pk)).text

    page = client.get(url("overall", report.pk)).text
    assert "The point ratings suggest amber" in page
    assert re.search(r'value="amber"[^>]*checked', page)

    without_reason = client.post(url("overall", report.pk), {"version": 0, "overall_rating": "green", "reason": ""})
    assert without_reason.status_code == 200
    assert "Give a reason for an overall rating of green: the point ratings suggest amber" in without_reason.text
    report.refresh_from_db()
    assert report.overall_rating == ""

    with_reason = client.post(
        url("overall", report.pk), {"version": 0, "overall_rating": "green", "reason": "Point 6 is nearly met."}
    )
    assert with_reason.status_code == 302
    report.refresh_from_db()
    assert (report.overall_rating, report.overall_rating_reason) == (Rating.GREEN, "Point 6 is nearly met.")


def test_the_suggested_overall_rating_needs_no_reason(cast):
    report = rated(report_create(assessment=cast.assessment), "gggggagggggggr")
    response = signed_in(cast.lead).post(
        url("overall", report.pk), {"version": 0, "overall_rating": "red", "reason": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.overall_rating == Rating.RED


def test_only_the_lead_gives_the_overall_rating(cast, draft):
    client = signed_in(cast.researcher)
    assert url("overall", draft.pk) not in client.get(url("report", draft.pk)).text
    assert client.get(url("overall", draft.pk)).status_code == 403
    assert client.post(url("overall", draft.pk), {"version": 0, "overall_rating": "green"}).status_code == 403


# Submitting


def test_submitting_is_refused_with_the_reasons_then_allowed_once_complete(cast, draft):
    client = signed_in(cast.lead)
    overview = client.get(url("report", draft.pk)).text
    assert "Submit report" in overview
    assert "Before you can submit the report:" in overview
    assert "Rate every point before submitting" in overview
    assert "Give the overall rating." in overview

    refused = client.post(url("submit", draft.pk), follow=True)
    assert refused.redirect_chain[-1][0] == url("report", draft.pk)
    assert "Rate every point before submitting: points 1, 2" in refused.text
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert not ReportStatusChange.objects.exists()

    report = rated(draft, "gggggagggggggg", overall=Rating.AMBER)
    assert "The report is complete." in client.get(url("report", report.pk)).text
    done = client.post(url("submit", report.pk), follow=True)
    assert "has been submitted to the service assessment team" in done.text
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    change = ReportStatusChange.objects.get(report=report)
    assert (change.transition, change.from_status, change.to_status, change.by) == (
        "submit",
        ReportStatus.DRAFT,
        ReportStatus.SUBMITTED,
        cast.lead,
    )
    assert "/points/" not in done.text


def test_only_the_lead_submits(cast):
    report = rated(report_create(assessment=cast.assessment), "g" * 14, overall=Rating.GREEN)
    client = signed_in(cast.researcher)
    assert "Submit report" not in client.get(url("report", report.pk)).text
    assert client.post(url("submit", report.pk)).status_code == 403
    assert client.get(url("submit", report.pk)).status_code == 405
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# Two people editing at once


def test_a_stale_point_edit_is_refused_and_nothing_is_lost(cast, draft):
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)
    lead_version = hidden_version(lead.get(url("point", draft.pk, 3)).text)
    researcher_version = hidden_version(researcher.get(url("point", draft.pk, 3)).text)

    first = lead.post(url("point", draft.pk, 3), point_data(lead_version, rating="green", done_well="Lead wrote this."))
    assert first.status_code == 302
    second = researcher.post(
        url("point", draft.pk, 3), point_data(researcher_version, rating="red", done_well="Researcher wrote this.")
    )

    assert second.status_code == 200
    html = second.text
    assert (
        "Someone else saved a change to this point while you were editing. Their version is shown below; "
        "your text is still in the form — check it and save again."
    ) in html
    assert "Researcher wrote this." in html  # in the form
    assert "Lead wrote this." in html  # their version
    assert cast.lead.get_full_name() in html
    assert re.search(r'value="red"[^>]*checked', html)
    rating = PointRating.objects.get(report=draft, number=3)
    assert (rating.done_well, rating.rating) == ("Lead wrote this.", Rating.GREEN)

    # The form now carries the current version, so saving again goes through.
    assert hidden_version(html) == str(rating.version)
    again = researcher.post(
        url("point", draft.pk, 3), point_data(hidden_version(html), rating="red", done_well="Researcher wrote this.")
    )
    assert again.status_code == 302
    rating.refresh_from_db()
    assert (rating.done_well, rating.rating) == ("Researcher wrote this.", Rating.RED)
    assert [row.done_well for row in rating.history.order_by("history_id")][-2:] == [
        "Lead wrote this.",
        "Researcher wrote this.",
    ]


def test_a_stale_service_details_edit_is_refused(cast, draft):
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)
    lead.post(url("about", draft.pk), {"version": 0, "service_description": "Lead's.", "service_users": "Users."})
    response = researcher.post(
        url("about", draft.pk), {"version": 0, "service_description": "Researcher text.", "service_users": "Users."}
    )
    assert response.status_code == 200
    assert "Someone else saved a change to the service details while you were editing." in response.text
    assert "Researcher text." in response.text
    draft.refresh_from_db()
    assert draft.service_description == "Lead's."


def test_stale_action_edits_and_removals_are_refused(cast, draft):
    rating = amber_point(draft, cast.lead)
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)
    lead.post(url("action_add", draft.pk, 1), {"description": "Original.", "due_date": ""})
    action = ReportAction.objects.get(rating=rating)

    lead.post(
        url("action_edit", draft.pk, action.pk), {"version": 0, "description": "Lead changed it.", "due_date": ""}
    )
    edit = researcher.post(
        url("action_edit", draft.pk, action.pk), {"version": 0, "description": "Researcher changed it.", "due_date": ""}
    )
    assert edit.status_code == 200
    assert "Someone else saved a change to this action" in edit.text
    assert "Researcher changed it." in edit.text and "Lead changed it." in edit.text

    remove = researcher.post(url("action_remove", draft.pk, action.pk), {"version": 0})
    assert remove.status_code == 200
    assert "Someone else changed this action after you opened this page." in remove.text
    assert "Lead changed it." in remove.text
    assert ReportAction.objects.filter(pk=action.pk).exists()
    researcher.post(url("action_remove", draft.pk, action.pk), {"version": hidden_version(remove.text)})
    assert not ReportAction.objects.filter(pk=action.pk).exists()
