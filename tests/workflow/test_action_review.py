"""The delivery team works its actions once it has accepted its report: the product or delivery manager records what
was done and the evidence and marks it ready for review; the lead assessor or the service assessment team accepts it,
which closes it with who and when, or asks for more with a comment. Emails go both ways, with links that open for their
recipients. Through HTTP, with the real client and the fake Notify."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from notify import kinds
from tests.cast import make_cast, report_in, signed_in
from tests.notify_fixtures import addresses, running_fake_notify, sent
from workflow.models import ActionUpdate, ActionUpdateKind, ReportAction, ReportActionStatus, ReportStatus
from workflow.models.action_updates import TEXT_LIMIT
from workflow.services.actions import COMMENT_EMPTY, PROGRESS_EMPTY, PROGRESS_TOO_LONG, action_record_progress

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


@pytest.fixture
def accepted(cast):
    return report_in(ReportStatus.PUBLISHED, cast, LETTERS)


def actions_of(report):
    return list(ReportAction.objects.filter(rating__report=report).order_by("rating__number", "pk"))


def record_url(report, action):
    return f"/team/reports/{report.pk}/actions/{action.pk}/"


def review_url(audience, report, action):
    return f"/{audience}/reports/{report.pk}/actions/{action.pk}/review/"


def opens_for(link, user):
    """GETs an email's link as its recipient."""
    return signed_in(user).get(urlsplit(link).path)


def mark_ready(cast, report, action, text="Done: see https://example.gov.uk/evidence for the research."):
    return action_record_progress(action=action, user=cast.product_manager, text=text, ready_for_review=True)


def review(client, audience, report, action, decision, comment=""):
    action.refresh_from_db()
    return client.post(
        review_url(audience, report, action), {"version": action.version, "decision": decision, "comment": comment}
    )


def test_progress_then_ready_emails_the_lead_and_the_team_with_links_that_open(
    cast, accepted, fake_notify, django_capture_on_commit_callbacks
):
    action = actions_of(accepted)[0]
    client = signed_in(cast.product_manager)
    page = client.get(f"/team/reports/{accepted.pk}/").text
    assert "Your actions" in page and record_url(accepted, action) in page and "Open" in page

    form = client.get(record_url(accepted, action)).text
    assert "What you did and your evidence" in form and "Mark it ready for review" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(record_url(accepted, action), {"text": "We ran two rounds of research."})
    assert response.status_code == 302 and response["Location"].endswith(f"#action-{action.pk}")
    assert not sent(fake_notify), "progress alone emails nobody"
    action.refresh_from_db()
    assert action.ready_for_review_at is None and action.status == ReportActionStatus.OPEN

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            record_url(accepted, action),
            {"text": "All fixed: https://example.gov.uk/design-history <b>bold</b>", "ready_for_review": "on"},
        )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.ready_for_review_at is not None and action.status == ReportActionStatus.OPEN
    assert [u.kind for u in action.updates.order_by("at", "pk")] == [
        ActionUpdateKind.PROGRESS,
        ActionUpdateKind.READY_FOR_REVIEW,
    ]
    page = client.get(f"/team/reports/{accepted.pk}/").text
    assert "Ready for review" in page
    assert '<a href="https://example.gov.uk/design-history" rel="nofollow">' in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page

    assert addresses(fake_notify, kinds.ACTION_READY_FOR_REVIEW) == sorted(
        [cast.lead.email, cast.assessment_team.email]
    )
    for email in sent(fake_notify, kinds.ACTION_READY_FOR_REVIEW):
        personalisation = email["personalisation"]
        assert personalisation["action"] == "Fix point 6."
        assert personalisation["point"].startswith("point 6 (")
        assert "We ran two rounds of research." in personalisation["progress"]
        assert "All fixed: https://example.gov.uk/design-history" in personalisation["progress"]
        recipient = cast.lead if email["email_address"] == cast.lead.email else cast.assessment_team
        audience = "assessor" if recipient == cast.lead else "assessment-team"
        assert urlsplit(personalisation["report_link"]).path == f"/{audience}/reports/{accepted.pk}/"
        assert urlsplit(personalisation["report_link"]).fragment == f"action-{action.pk}"
        shown = opens_for(personalisation["report_link"], recipient)
        assert shown.status_code == 200
        assert f'id="action-{action.pk}"' in shown.text and review_url(audience, accepted, action) in shown.text
        assert "1 action is waiting for your review" in shown.text


def test_accepted_closes_the_action_with_who_and_when_and_emails_the_team(
    cast, accepted, fake_notify, django_capture_on_commit_callbacks
):
    action = actions_of(accepted)[0]
    mark_ready(cast, accepted, action)
    with django_capture_on_commit_callbacks(execute=True):
        response = review(signed_in(cast.lead), "assessor", accepted, action, "accepted", "Good work.")
    assert response.status_code == 302 and response["Location"].endswith(f"#action-{action.pk}")
    action.refresh_from_db()
    assert action.status == ReportActionStatus.DONE
    assert action.closed_by == cast.lead and action.closed_at is not None and action.ready_for_review_at is None
    # The evidence accepted is kept on the action: how the team resolved it.
    assert action.evidence == "Done: see https://example.gov.uk/evidence for the research."
    last = action.updates.order_by("at", "pk").last()
    assert (last.kind, last.by, last.text) == (ActionUpdateKind.ACCEPTED, cast.lead, "Good work.")

    reviewed = sent(fake_notify, kinds.ACTION_REVIEWED)
    assert sorted(e["email_address"] for e in reviewed) == sorted(
        [cast.product_manager.email, cast.delivery_manager.email, cast.sro.email]
    )
    for email in reviewed:
        assert email["personalisation"]["decision"] == "Accepted: the action is closed."
        assert email["personalisation"]["comment"] == "Good work."
        recipient = {u.email: u for u in (cast.product_manager, cast.delivery_manager, cast.sro)}[
            email["email_address"]
        ]
        shown = opens_for(email["personalisation"]["report_link"], recipient)
        assert shown.status_code == 200
        closed = timezone.localtime(action.closed_at)
        assert f"Closed on {closed.day} {closed:%B %Y} by {cast.lead.get_full_name()}" in shown.text
        assert "Good work." in shown.text
    # Closed: nobody can add to it or review it again.
    assert "This action is closed." in signed_in(cast.product_manager).get(record_url(accepted, action)).text
    # The history has each step.
    history = list(ReportAction.history.filter(id=action.pk).order_by("history_date", "history_id"))
    assert history[-1].status == ReportActionStatus.DONE and history[-1].history_user == cast.lead
    assert ActionUpdate.history.filter(action_id=action.pk).count() == 2


def test_more_needed_needs_a_comment_and_gives_the_action_back_to_the_team(
    cast, accepted, fake_notify, django_capture_on_commit_callbacks
):
    action = actions_of(accepted)[1]
    mark_ready(cast, accepted, action)
    client = signed_in(cast.assessment_team)
    response = review(client, "assessment-team", accepted, action, "more_needed", "")
    assert response.status_code == 200 and COMMENT_EMPTY in response.text
    action.refresh_from_db()
    assert action.ready_for_review_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        response = review(client, "assessment-team", accepted, action, "more_needed", "Show the <test> results.")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ReportActionStatus.OPEN and action.ready_for_review_at is None
    [email, *_] = sent(fake_notify, kinds.ACTION_REVIEWED)
    assert email["personalisation"]["decision"] == "More is needed:"
    assert email["personalisation"]["comment"] == "Show the <test> results."
    page = opens_for(email["personalisation"]["report_link"], cast.product_manager).text
    assert "More needed" in page and "Show the &lt;test&gt; results." in page
    # Back with the team, who may add to it and ask again.
    assert record_url(accepted, action) in page
    response = signed_in(cast.delivery_manager).post(
        record_url(accepted, action), {"text": "Results attached.", "ready_for_review": "on"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.ready_for_review_at is not None


def test_only_the_product_or_delivery_manager_records_progress(cast, accepted):
    action = actions_of(accepted)[0]
    url = record_url(accepted, action)
    for person in (
        cast.sro,
        cast.other_service_product_manager,
        cast.lead,
        cast.researcher,
        cast.assessment_team,
        cast.plus,
        cast.superuser,
    ):
        client = signed_in(person)
        assert client.get(url).status_code == 404, person
        assert client.post(url, {"text": "Sneaky."}).status_code == 404, person
    assert Client().get(url).status_code == 302
    assert not ActionUpdate.objects.exists()


def test_the_sro_reads_the_actions_and_their_threads_without_recording(cast, accepted):
    action = actions_of(accepted)[0]
    mark_ready(cast, accepted, action, text="Research round 3.")
    page = signed_in(cast.sro).get(f"/team/reports/{accepted.pk}/").text
    assert "Your actions" in page and "Research round 3." in page and "Ready for review" in page
    assert f"/team/reports/{accepted.pk}/actions/" not in page


def test_nothing_before_the_report_is_accepted(cast):
    shared = report_in(ReportStatus.SHARED, cast, LETTERS)
    action = actions_of(shared)[0]
    client = signed_in(cast.product_manager)
    assert client.get(record_url(shared, action)).status_code == 404
    assert client.post(record_url(shared, action), {"text": "Early."}).status_code == 404
    assert "Your actions" not in client.get(f"/team/reports/{shared.pk}/").text
    assert signed_in(cast.lead).get(review_url("assessor", shared, action)).status_code == 404
    assert not ActionUpdate.objects.exists()


def test_only_the_lead_or_the_service_assessment_team_reviews(cast, accepted):
    action = actions_of(accepted)[0]
    mark_ready(cast, accepted, action)
    refused = {
        "assessor": [
            cast.researcher,
            cast.observer,
            cast.assessor_not_on_panel,
            cast.assessment_team,
            cast.product_manager,
        ],
        "assessment-team": [cast.lead, cast.plus, cast.product_manager, cast.other_service_product_manager],
    }
    for audience, people in refused.items():
        for person in people:
            response = review(signed_in(person), audience, accepted, action, "accepted")
            assert response.status_code == 404, (audience, person)
    action.refresh_from_db()
    assert action.status == ReportActionStatus.OPEN and action.ready_for_review_at is not None
    assert ActionUpdate.objects.count() == 1


def test_empty_or_too_long_text_is_refused_and_kept(cast, accepted):
    action = actions_of(accepted)[0]
    client = signed_in(cast.product_manager)
    response = client.post(record_url(accepted, action), {"text": "   ", "ready_for_review": "on"})
    assert response.status_code == 200 and PROGRESS_EMPTY in response.text
    too_long = "Evidence " * (TEXT_LIMIT // 9 + 1)
    response = client.post(record_url(accepted, action), {"text": too_long, "ready_for_review": "on"})
    assert response.status_code == 200 and PROGRESS_TOO_LONG in response.text
    assert too_long.strip() in response.text
    assert 'name="ready_for_review"' in response.text and "checked" in response.text
    assert not ActionUpdate.objects.exists()


def test_adding_while_waiting_for_review_is_refused_with_the_text_kept(cast, accepted):
    action = actions_of(accepted)[0]
    mark_ready(cast, accepted, action)
    client = signed_in(cast.delivery_manager)
    assert "waiting for its review" in client.get(record_url(accepted, action)).text
    response = client.post(record_url(accepted, action), {"text": "One more thing."})
    assert response.status_code == 200
    assert "waiting for its review" in response.text and "One more thing." in response.text
    assert ActionUpdate.objects.count() == 1


def test_another_reports_action_is_not_found(cast, accepted):
    other = make_cast()
    elsewhere = report_in(ReportStatus.PUBLISHED, other, LETTERS)
    theirs = actions_of(elsewhere)[0]
    mark_ready(other, elsewhere, theirs)
    assert signed_in(cast.product_manager).post(record_url(accepted, theirs), {"text": "Hi."}).status_code == 404
    assert review(signed_in(cast.lead), "assessor", accepted, theirs, "accepted").status_code == 404
    assert review(signed_in(cast.assessment_team), "assessment-team", accepted, theirs, "accepted").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ReportActionStatus.OPEN and ActionUpdate.objects.count() == 1


def test_two_reviews_of_one_action_one_wins_and_the_other_is_told(
    cast, accepted, fake_notify, django_capture_on_commit_callbacks
):
    action = actions_of(accepted)[0]
    mark_ready(cast, accepted, action)
    lead, team = signed_in(cast.lead), signed_in(cast.assessment_team)
    # Both open the report page, with the action's version in their forms.
    assert review_url("assessor", accepted, action) in lead.get(f"/assessor/reports/{accepted.pk}/").text
    assert review_url("assessment-team", accepted, action) in team.get(f"/assessment-team/reports/{accepted.pk}/").text
    action.refresh_from_db()
    seen = action.version
    with django_capture_on_commit_callbacks(execute=True):
        first = lead.post(review_url("assessor", accepted, action), {"version": seen, "decision": "accepted"})
        second = team.post(
            review_url("assessment-team", accepted, action),
            {"version": seen, "decision": "more_needed", "comment": "Show us the tests."},
        )
    assert first.status_code == 302
    assert second.status_code == 200
    assert f"{cast.lead.get_full_name()} accepted this action" in second.text and "has not been saved" in second.text
    assert "Show us the tests." in second.text
    action.refresh_from_db()
    assert action.status == ReportActionStatus.DONE and action.closed_by == cast.lead
    assert ActionUpdate.objects.filter(kind__in=ActionUpdateKind.reviews()).count() == 1
    assert len(sent(fake_notify, kinds.ACTION_REVIEWED)) == 3  # the PM, the DM and the SRO, once each


def test_amber_reminders_still_count_an_action_waiting_for_review(cast, accepted):
    from workflow import selectors

    action = actions_of(accepted)[0]
    mark_ready(cast, accepted, action)
    assert action in selectors.open_amber_actions()
    assert list(selectors.actions_waiting_for_review(accepted)) == [action]
    assert list(selectors.actions_waiting_for_lead_review(cast.lead)) == [action]
    assert not selectors.actions_waiting_for_lead_review(cast.researcher).exists()


def test_the_audit_view_shows_the_steps(cast, accepted, django_capture_on_commit_callbacks):
    action = actions_of(accepted)[0]
    mark_ready(cast, accepted, action, text="Evidence in the wiki.")
    page = signed_in(cast.assessment_team).get("/admin/audit/?what=action_update").text
    assert "Action update" in page and "Ready for review: Evidence in the wiki." in page


def test_the_dashboards_count_the_actions_waiting_for_review(cast, accepted):
    actions = actions_of(accepted)
    for action in actions:
        mark_ready(cast, accepted, action)
    lead = signed_in(cast.lead).get("/assessor/").text
    assert "Actions waiting for your review" in lead and "2 actions" in lead
    assert f"/assessor/reports/{accepted.pk}/#actions-to-review" in lead
    team = signed_in(cast.assessment_team).get("/assessment-team/").text
    assert "Actions waiting for your review" in team and "2 actions" in team
    assert f"/assessment-team/reports/{accepted.pk}/#actions-to-review" in team
    assert "Actions waiting for your review" not in signed_in(cast.researcher).get("/assessor/").text


def test_marking_an_action_done_in_the_admin_closes_it_as_a_review_would(
    cast, accepted, fake_notify, django_capture_on_commit_callbacks
):
    action = actions_of(accepted)[0]
    client = signed_in(cast.assessment_team)
    form = {"description": action.description, "due_date": action.due_date.isoformat(), "evidence": "Sent by email."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/report_actions/edit/{action.pk}/", {**form, "status": "done"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_by, action.evidence) == (
        ReportActionStatus.DONE,
        cast.assessment_team,
        "Sent by email.",
    )
    assert action.closed_at is not None
    [update] = action.updates.all()
    assert (update.kind, update.by) == (ActionUpdateKind.ACCEPTED, cast.assessment_team)
    assert len(sent(fake_notify, kinds.ACTION_REVIEWED)) == 3
    page = signed_in(cast.product_manager).get(f"/team/reports/{accepted.pk}/").text
    assert f"by {cast.assessment_team.get_full_name()}" in page

    # Opened again: who closed it is cleared, and it can be worked again.
    response = client.post(f"/admin/report_actions/edit/{action.pk}/", {**form, "status": "open"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_at, action.closed_by) == (ReportActionStatus.OPEN, None, None)
    assert signed_in(cast.product_manager).get(record_url(accepted, action)).status_code == 200
