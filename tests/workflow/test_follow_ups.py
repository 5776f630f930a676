"""Follow-up support after a report is accepted: the delivery team sees its panel and asks for a call or a workshop
about named actions; the lead assessor and the service assessment team are emailed and record the outcome, which
emails the person who asked. Through HTTP, with the real client and the fake Notify."""

import re
from urllib.parse import urlsplit

import pytest

from notify import kinds
from tests.cast import make_cast, report_in, signed_in
from tests.notify_fixtures import addresses, running_fake_notify, sent
from workflow.models import FollowUpRequest, FollowUpStatus, ReportAction, ReportStatus
from workflow.models.follow_ups import DETAILS_LIMIT, OUTCOME_LIMIT
from workflow.services.follow_ups import follow_up_request

pytestmark = pytest.mark.django_db

# Point 6 amber and point 9 red: two points with actions.
LETTERS = "gggggaggrggggg"


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


@pytest.fixture
def cast():
    return make_cast()


def accepted_report(cast):
    """Accepted by the delivery team: published, or accepted and kept unpublished when confidential."""
    return report_in(ReportStatus.PUBLISHED, cast, LETTERS)


@pytest.fixture
def accepted(cast):
    return accepted_report(cast)


def actions_of(report):
    return list(ReportAction.objects.filter(rating__report=report).order_by("rating__number", "pk"))


def ask_url(report):
    return f"/team/reports/{report.pk}/follow-up/"


def opens_for(link, user):
    """GETs an email's link as its recipient."""
    return signed_in(user).get(urlsplit(link).path)


def ask(client, report, **fields):
    data = {"support": "workshop", "actions": [str(a.pk) for a in actions_of(report)], "details": "After 3pm."}
    data.update(fields)
    return client.post(ask_url(report), data)


def test_the_team_sees_its_panel_asks_and_hears_the_outcome(
    cast, accepted, fake_notify, django_capture_on_commit_callbacks
):
    client = signed_in(cast.product_manager)
    page = client.get(f"/team/reports/{accepted.pk}/").text
    assert "Your panel" in page and "Follow-up support" in page
    assert f"{cast.lead.get_full_name()}, lead assessor" in page
    assert f"{cast.researcher.get_full_name()}, user research assessor" in page
    form = client.get(ask_url(accepted)).text
    assert "Point 6: " in form and "Point 9: " in form and "Fix point 6." in form and "Fix point 9." in form

    action = actions_of(accepted)[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, accepted, actions=[str(action.pk)], details="Help with <point 9> & tests.")
    assert response.status_code == 302 and response["Location"].endswith("#follow-up-support")

    request = FollowUpRequest.objects.get()
    assert (request.requested_by, request.status, list(request.actions.all())) == (
        cast.product_manager,
        FollowUpStatus.REQUESTED,
        [action],
    )
    assert addresses(fake_notify, kinds.FOLLOW_UP_REQUESTED) == sorted([cast.lead.email, cast.assessment_team.email])
    for email in sent(fake_notify, kinds.FOLLOW_UP_REQUESTED):
        personalisation = email["personalisation"]
        assert personalisation["requested_by"] == cast.product_manager.get_full_name()
        assert personalisation["support"] == "a workshop"
        assert personalisation["actions"] == ["Point 9: Fix point 9."]
        assert personalisation["details"] == "Help with <point 9> & tests."
        recipient = cast.lead if email["email_address"] == cast.lead.email else cast.assessment_team
        audience = "assessor" if recipient == cast.lead else "assessment-team"
        assert urlsplit(personalisation["report_link"]).path == f"/{audience}/reports/{accepted.pk}/"
        shown = opens_for(personalisation["report_link"], recipient)
        assert shown.status_code == 200 and "Help with &lt;point 9&gt; &amp; tests." in shown.text
    assert "Requested" in client.get(f"/team/reports/{accepted.pk}/").text

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(cast.lead).post(
            f"/assessor/reports/{accepted.pk}/follow-ups/{request.pk}/",
            {"decision": "arranged", "outcome": "A call on 3 December at 10am."},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.outcome) == (
        FollowUpStatus.ARRANGED,
        cast.lead,
        "A call on 3 December at 10am.",
    )
    [answered] = sent(fake_notify, kinds.FOLLOW_UP_ANSWERED)
    assert answered["email_address"] == cast.product_manager.email
    assert answered["personalisation"]["outcome"] == "It has been arranged: A call on 3 December at 10am."
    assert answered["personalisation"]["support"] == "a workshop"
    shown = opens_for(answered["personalisation"]["report_link"], cast.product_manager)
    assert shown.status_code == 200 and "A call on 3 December at 10am." in shown.text and "Arranged" in shown.text


def test_the_service_assessment_team_declines_with_a_reason(
    cast, accepted, fake_notify, django_capture_on_commit_callbacks
):
    request = follow_up_request(
        report=accepted, user=cast.delivery_manager, support="call", actions=actions_of(accepted), details="Soon."
    )
    team = signed_in(cast.assessment_team)
    page = team.get(f"/assessment-team/reports/{accepted.pk}/").text
    assert "Record the outcome" in page and "Soon." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(
            f"/assessment-team/reports/{accepted.pk}/follow-ups/{request.pk}/",
            {"decision": "declined", "outcome": "The panel has left the department."},
        )
    assert response.status_code == 302
    [answered] = sent(fake_notify, kinds.FOLLOW_UP_ANSWERED)
    assert answered["email_address"] == cast.delivery_manager.email
    assert answered["personalisation"]["outcome"] == (
        "It has been declined. The reason given: The panel has left the department."
    )
    assert "Why declined" in signed_in(cast.delivery_manager).get(f"/team/reports/{accepted.pk}/").text
    assert "Record the outcome" not in team.get(f"/assessment-team/reports/{accepted.pk}/").text


def test_nothing_before_the_report_is_accepted(cast):
    shared = report_in(ReportStatus.SHARED, cast, LETTERS)
    client = signed_in(cast.product_manager)
    page = client.get(f"/team/reports/{shared.pk}/").text
    assert "Your panel" not in page and "Follow-up support" not in page
    assert client.get(ask_url(shared)).status_code == 404
    assert ask(client, shared).status_code == 404
    assert not FollowUpRequest.objects.exists()


def test_a_confidential_report_accepted_unpublished_takes_requests_too():
    cast = make_cast(confidential=True)
    accepted = accepted_report(cast)
    assert accepted.status == ReportStatus.ACCEPTED
    assert ask(signed_in(cast.sro), accepted).status_code == 302
    assert FollowUpRequest.objects.get().requested_by == cast.sro


def test_only_the_services_team_asks_and_only_the_lead_or_the_team_decides(cast, accepted):
    for person in (cast.other_service_product_manager, cast.lead, cast.assessment_team, cast.plus, cast.superuser):
        assert signed_in(person).get(ask_url(accepted)).status_code == 404
        assert ask(signed_in(person), accepted).status_code == 404
    assert not FollowUpRequest.objects.exists()

    request = follow_up_request(
        report=accepted, user=cast.product_manager, support="call", actions=actions_of(accepted), details="Soon."
    )
    decide = {"decision": "arranged", "outcome": "Done."}
    for person in (cast.researcher, cast.observer, cast.product_manager, cast.plus, cast.assessment_team):
        url = f"/assessor/reports/{accepted.pk}/follow-ups/{request.pk}/"
        assert signed_in(person).post(url, decide).status_code == 404, person
    for person in (cast.lead, cast.plus, cast.product_manager, cast.other_service_product_manager):
        url = f"/assessment-team/reports/{accepted.pk}/follow-ups/{request.pk}/"
        assert signed_in(person).post(url, decide).status_code == 404, person
    assert "Record the outcome" not in signed_in(cast.researcher).get(f"/assessor/reports/{accepted.pk}/").text
    request.refresh_from_db()
    assert request.status == FollowUpStatus.REQUESTED


def test_another_reports_actions_are_refused(cast, accepted):
    other = accepted_report(make_cast())
    response = ask(signed_in(cast.product_manager), accepted, actions=[str(actions_of(other)[0].pk)], details="Mine")
    assert response.status_code == 200
    assert "Select actions from this report only" in response.text and "Mine" in response.text
    assert not FollowUpRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"details": "   "}, "Enter what you would like help with"),
        ({"details": "x" * (DETAILS_LIMIT + 1)}, f"must be {DETAILS_LIMIT:,} characters or fewer"),
        ({"actions": []}, "Select at least one action"),
        ({"support": ""}, "Select a call or a workshop"),
    ],
)
def test_empty_or_oversized_input_keeps_what_was_typed(cast, accepted, fields, message):
    action = actions_of(accepted)[1]
    data = {"actions": [str(action.pk)], "details": "We would like a workshop on Tuesday.", **fields}
    response = ask(signed_in(cast.product_manager), accepted, **data)
    assert response.status_code == 200
    assert "There is a problem" in response.text and message in response.text
    kept = data["details"] if data["details"].strip() else None
    if kept:
        assert kept in response.text
    if data["actions"]:
        assert re.search(rf'name="actions" value="{action.pk}"[^>]* checked>', response.text)
    if data.get("support", "workshop"):
        assert re.search(r'value="workshop"[^>]* checked>', response.text)
    assert not FollowUpRequest.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ("", "Enter how and when it is arranged, or why it is declined"),
        ("y" * (OUTCOME_LIMIT + 1), "characters or fewer"),
    ],
)
def test_an_empty_or_oversized_outcome_keeps_what_was_typed(cast, accepted, outcome, message):
    request = follow_up_request(
        report=accepted, user=cast.product_manager, support="call", actions=actions_of(accepted), details="Soon."
    )
    response = signed_in(cast.lead).post(
        f"/assessor/reports/{accepted.pk}/follow-ups/{request.pk}/", {"decision": "declined", "outcome": outcome}
    )
    assert response.status_code == 200 and message in response.text
    assert re.search(r'value="declined"[^>]* checked>', response.text)
    if outcome:
        assert outcome in response.text
    request.refresh_from_db()
    assert request.status == FollowUpStatus.REQUESTED


def test_the_second_of_two_decisions_is_refused_with_the_text_kept(cast, accepted):
    request = follow_up_request(
        report=accepted, user=cast.product_manager, support="call", actions=actions_of(accepted), details="Soon."
    )
    lead, team = signed_in(cast.lead), signed_in(cast.assessment_team)
    # Both opened the form; the lead records first.
    assert team.get(f"/assessment-team/reports/{accepted.pk}/follow-ups/{request.pk}/").status_code == 200
    lead.post(f"/assessor/reports/{accepted.pk}/follow-ups/{request.pk}/", {"decision": "arranged", "outcome": "Mon."})

    response = team.post(
        f"/assessment-team/reports/{accepted.pk}/follow-ups/{request.pk}/",
        {"decision": "declined", "outcome": "No panel free."},
    )
    assert response.status_code == 200
    assert "has already recorded that this request is arranged" in response.text and "No panel free." in response.text
    request.refresh_from_db()
    assert (request.status, request.outcome, request.decided_by) == (FollowUpStatus.ARRANGED, "Mon.", cast.lead)
