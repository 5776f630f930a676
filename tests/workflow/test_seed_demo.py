import html
import re
from itertools import combinations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django.utils.dateformat import format as date_format
from wagtail.models import PageLogEntry, Revision

from notify.models import OutboxEmail
from workflow import deadlines, roles
from workflow.models import (
    Assessment,
    ChallengeMeeting,
    ChallengeOutcome,
    Clarification,
    FollowUpRequest,
    FollowUpStatus,
    PointRating,
    Rating,
    ReportAction,
    ReportActionStatus,
    ReportComment,
    ReportCorrection,
    ReportPage,
    ReportStatus,
    ReportStatusChange,
    RoleChange,
)

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def counts():
    return {
        "people": get_user_model().objects.count(),
        "role changes": RoleChange.objects.count(),
        "assessments": Assessment.objects.count(),
        "reports": ReportPage.objects.count(),
        "report history": ReportPage.history.count(),
        "ratings": PointRating.objects.count(),
        "rating history": PointRating.history.count(),
        "actions": ReportAction.objects.count(),
        "action history": ReportAction.history.count(),
        "status changes": ReportStatusChange.objects.count(),
        "revisions": Revision.objects.count(),
        "page log": PageLogEntry.objects.count(),
        "emails": OutboxEmail.objects.count(),
        "comments": ReportComment.objects.count(),
        "questions": Clarification.objects.count(),
        "meetings": ChallengeMeeting.objects.count(),
        "outcomes": ChallengeOutcome.objects.count(),
        "follow-ups": FollowUpRequest.objects.count(),
        "corrections": ReportCorrection.objects.count(),
    }


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page_for(client, username: str, url: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (username, url)
    return html.unescape(text_of(response.text))


def first_line(text: str) -> str:
    return " ".join(text.splitlines()[0].split())


def long_date(day) -> str:
    return date_format(day, "j F Y")


@pytest.fixture
def demo(demo_content):
    """The demo content, made once for this module (tests/conftest.py)."""


def test_seed_demo_gives_a_report_at_every_stage_and_a_person_in_every_role(demo):
    # Accepting publishes in the same transaction, so no report ever rests in "accepted"; the demo withdraws nothing.
    resting = set(ReportStatus.values) - {ReportStatus.ACCEPTED, ReportStatus.WITHDRAWN}
    assert set(ReportPage.objects.values_list("status", flat=True)) == resting
    published = ReportPage.objects.filter(status=ReportStatus.PUBLISHED)
    assert published.exists() and all(report.live for report in published)
    assert not ReportPage.objects.exclude(status=ReportStatus.PUBLISHED).filter(live=True).exists()
    assert Assessment.objects.exclude(follows=None).exists()
    User = get_user_model()
    for group in [
        roles.SERVICE_ASSESSMENT_TEAM,
        roles.SERVICE_ASSESSMENT_PLUS_TEAM,
        roles.ASSESSORS,
        roles.DELIVERY_TEAM_MEMBERS,
    ]:
        assert User.objects.filter(groups__name=group).exists(), group
    assert User.objects.filter(is_superuser=True).exists()


def test_every_report_went_through_the_real_transitions(demo):
    paths = {
        ReportStatus.DRAFT: [[]],
        ReportStatus.SUBMITTED: [["submit", "return", "submit"]],
        ReportStatus.CHECKED: [["submit", "check"]],
        # One was challenged, and shared again once the challenge was resolved.
        ReportStatus.SHARED: [
            ["submit", "check", "share"],
            ["submit", "check", "share", "challenge", "resolve", "check", "share"],
        ],
        ReportStatus.CHALLENGED: [["submit", "check", "share", "challenge"]],
        ReportStatus.PUBLISHED: [["submit", "check", "share", "accept", "publish"]],
    }
    for report in ReportPage.objects.all():
        steps = list(report.status_changes.values_list("transition", flat=True))
        assert steps in paths[report.status], report
        times = list(report.status_changes.values_list("at", flat=True))
        assert times == sorted(times), report
        assert all(at.date() < timezone.localdate() for at in times), report


def test_a_published_report_shows_the_day_it_was_accepted_not_the_day_the_demo_was_loaded(client, demo):
    published = ReportPage.objects.filter(status=ReportStatus.PUBLISHED)
    assert published.count() >= 3
    # A corrected report shows the day of its correction as well (test_a_corrected_report_shows_when_it_was_updated).
    for report in published.filter(corrected_at=None):
        accepted_on = timezone.localdate(report.accepted_at)
        assert accepted_on < timezone.localdate()
        assert timezone.localdate(report.first_published_at) == accepted_on
        assert timezone.localdate(report.last_published_at) == accepted_on
        assert report.status_changes.get(transition="accept").at == report.accepted_at
        assert report.shared_at < report.accepted_at
        page = text_of(client.get(report.url).text)
        assert f"Published: {long_date(accepted_on)}" in page, report
        assert "updated" not in page.split("Published:")[1][:40]
    # At least one was published last month or so, to show in the reports section's newest.
    assert any((timezone.localdate() - timezone.localdate(r.accepted_at)).days <= 45 for r in published)


def test_amber_actions_fall_due_three_months_after_the_acceptance_in_the_story(demo):
    actions = ReportAction.objects.filter(rating__report__status=ReportStatus.PUBLISHED, rating__rating=Rating.AMBER)
    assert actions.exists()
    for action in actions.select_related("rating__report"):
        accepted_on = timezone.localdate(action.rating.report.accepted_at)
        assert action.due_date == deadlines.amber_actions_due(accepted_on, 3)
    # The actions of the older reports were done before the reassessment; the latest ones are still open.
    assert actions.filter(status=ReportActionStatus.DONE).exclude(evidence="").exists()
    assert actions.filter(status=ReportActionStatus.OPEN, due_date__gt=timezone.localdate()).exists()


def test_the_challenge_has_a_date_and_reasons_shown_to_the_plus_team(client, demo):
    report = ReportPage.objects.get(status=ReportStatus.CHALLENGED)
    challenge = report.status_changes.get(transition="challenge")
    assert challenge.comment.strip()
    assert report.shared_at < challenge.at
    assert timezone.localdate(challenge.at) <= report.response_due < timezone.localdate()
    client.force_login(get_user_model().objects.get(username="plus"))
    page = text_of(client.get("/plus/").text)
    assert long_date(timezone.localdate(challenge.at)) in page
    assert " ".join(challenge.comment.splitlines()[0].split()) in page.replace("&#x27;", "'")


def test_the_shared_report_shows_its_response_deadline_on_the_delivery_dashboard(client, demo):
    # The report whose response clock runs: its one question was answered, which moved the deadline.
    report = ReportPage.objects.get(status=ReportStatus.SHARED, clarifications__answered_at__isnull=False)
    today = timezone.localdate()
    question = report.clarifications.get()
    assert question.working_days_added >= 1
    unmoved = deadlines.response_due(timezone.localdate(report.shared_at), 10)
    assert report.response_due == deadlines.add_working_days(unmoved, question.working_days_added)
    assert report.response_due > today
    product_manager = report.assessment.service.team_members.get(role="product_manager").user
    client.force_login(product_manager)
    page = text_of(client.get("/team/").text)
    left = deadlines.working_days_between(today, report.response_due)
    assert f"{long_date(report.response_due)} {left} working day" in page


def test_every_report_was_shared_within_7_days_of_its_assessment(demo):
    # The first time: a report resolved after a challenge is shared again later.
    for shared in ReportPage.objects.exclude(shared_at=None):
        first = shared.status_changes.filter(transition="share").earliest("at")
        assert timezone.localdate(first.at) <= shared.share_due, shared


def test_the_findings_read_like_a_panels_and_no_two_reports_read_the_same(demo):
    ratings = PointRating.objects.exclude(rating="")
    assert ratings.exists()
    for rating in ratings:
        assert rating.done_well.strip(), rating
        assert "clear evidence for point" not in rating.done_well + rating.to_improve
        assert "{" not in rating.done_well + rating.to_improve, rating
        if rating.rating != Rating.GREEN:
            assert rating.to_improve.strip() and rating.actions.exists(), rating
        else:
            assert not rating.actions.exists(), rating
    texts, lines, service = {}, {}, {}
    for rating in ratings.select_related("report__assessment"):
        texts.setdefault(rating.report_id, set()).add(rating.done_well)
        lines.setdefault(rating.report_id, set()).update(rating.done_well.splitlines())
        service[rating.report_id] = rating.report.assessment.service_id
    assert len(texts) >= 8
    for first, second in combinations(texts, 2):
        assert not texts[first] & texts[second], (first, second, texts[first] & texts[second])
        # Each finding names its service or its users, so even a single finding is never found in another service's report.
        if service[first] != service[second]:
            assert not lines[first] & lines[second], (first, second, lines[first] & lines[second])
    descriptions = list(ReportAction.objects.values_list("description", flat=True))
    assert all("gaps found in point" not in description for description in descriptions)


def test_the_demo_writes_no_emails(demo):
    assert OutboxEmail.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_queues_no_emails_when_its_transaction_commits():
    # The transitions queue their emails once the transaction commits: this is what `make run`'s worker would send.
    seed()
    assert ReportStatusChange.objects.exists()
    assert OutboxEmail.objects.count() == 0


def test_seed_demo_is_idempotent(demo):
    before = counts()
    changes = list(ReportStatusChange.objects.values_list("pk", "at"))
    published = list(ReportPage.objects.values_list("pk", "first_published_at", "response_due"))
    seed()
    assert counts() == before
    assert list(ReportStatusChange.objects.values_list("pk", "at")) == changes
    assert list(ReportPage.objects.values_list("pk", "first_published_at", "response_due")) == published


def test_the_panel_drafting_a_report_talks_it_over_in_comments(client, demo):
    draft = ReportPage.objects.get(status=ReportStatus.DRAFT)
    threads = ReportComment.objects.filter(report=draft, parent=None)
    on_a_point = threads.get(point_number__isnull=False)
    assert on_a_point.resolved_at is not None and on_a_point.replies.count() == 1
    on_the_report = threads.get(point_number=None)
    assert on_the_report.resolved_at is None and not on_the_report.replies.exists()
    assert all(c.created_at.date() < timezone.localdate() for c in ReportComment.objects.filter(report=draft))
    for username in ["lead", "observer"]:
        page = page_for(client, username, f"/assessor/reports/{draft.pk}/")
        assert first_line(on_the_report.text) in page, username
    point = page_for(client, "designer", f"/assessor/reports/{draft.pk}/points/{on_a_point.point_number}/")
    assert first_line(on_a_point.text) in point and first_line(on_a_point.replies.get().text) in point
    assert "Resolved by Lee Morgan" in point


def test_a_shared_report_has_an_answered_question_and_another_has_its_clock_stopped(client, demo):
    answered = Clarification.objects.get(answered_at__isnull=False)
    assert answered.report.status == ReportStatus.SHARED and answered.working_days_added >= 1
    still_open = Clarification.objects.get(answered_at=None)
    assert still_open.report.status == ReportStatus.SHARED and still_open.report != answered.report
    assert still_open.asked_at.date() < timezone.localdate()
    page = page_for(client, "product", f"/team/reports/{answered.report.pk}/")
    assert first_line(answered.question) in page and first_line(answered.answer) in page
    dashboard = page_for(client, "delivery", "/team/")
    stopped_on = date_format(still_open.clock_stopped_on, "j F")
    assert f"Question open since {stopped_on}: response clock stopped" in dashboard
    assert f"{long_date(answered.report.response_due)}" in dashboard


def test_the_challenged_report_has_its_meeting_arranged_with_the_panel_and_the_team(client, demo):
    report = ReportPage.objects.get(status=ReportStatus.CHALLENGED)
    meeting = ChallengeMeeting.objects.get(report=report)
    assert meeting.starts_at > timezone.now()
    attendees = set(meeting.attendees.values_list("username", flat=True))
    assert {"lead", "product"} <= attendees
    assert timezone.localdate(meeting.created_at) < timezone.localdate()
    assert meeting.place in page_for(client, "plus", f"/plus/reports/{report.pk}/")
    meets_on = date_format(timezone.localtime(meeting.starts_at), "j F")
    assert f"Challenged: meeting on {meets_on}" in page_for(client, "product", "/team/")
    assert meeting.place in page_for(client, "delivery", f"/team/reports/{report.pk}/")


def test_the_delivery_team_reads_the_thread_of_a_challenge_resolved_and_shared_again(client, demo):
    outcome = ChallengeOutcome.objects.get()
    report = outcome.challenge.report
    assert report.status == ReportStatus.SHARED
    meeting = ChallengeMeeting.objects.get(report=report)
    assert meeting.starts_at < outcome.recorded_at < report.shared_at < timezone.now()
    resolved = report.status_changes.get(transition="resolve")
    assert resolved.comment == outcome.agreed_changes
    # The action the panel changed is the one the changes agreed.
    assert ReportAction.objects.filter(rating__report=report, description__in=outcome.agreed_changes).count() == 0
    assert any(a.description in outcome.agreed_changes for a in ReportAction.objects.filter(rating__report=report))
    page = page_for(client, "product", f"/team/reports/{report.pk}/")
    for shown in [first_line(resolved.report.status_changes.get(transition="challenge").comment), meeting.place]:
        assert shown in page
    assert first_line(outcome.outcome) in page and first_line(outcome.agreed_changes) in page


def test_a_published_report_has_a_follow_up_arranged_and_one_for_the_lead_to_decide(client, demo):
    requests = FollowUpRequest.objects.all()
    assert {r.status for r in requests} == {FollowUpStatus.ARRANGED, FollowUpStatus.REQUESTED}
    report = requests.first().report
    assert report.status == ReportStatus.PUBLISHED and all(r.report == report for r in requests)
    assert all(r.actions.exists() for r in requests)
    arranged = requests.get(status=FollowUpStatus.ARRANGED)
    assert arranged.decided_by.username == "lead" and arranged.decided_at > arranged.created_at
    waiting = requests.get(status=FollowUpStatus.REQUESTED)
    lead_page = page_for(client, "lead", f"/assessor/reports/{report.pk}/")
    assert first_line(waiting.details) in lead_page and "Record the outcome" in lead_page
    team_page = page_for(client, "product", f"/team/reports/{report.pk}/")
    assert first_line(arranged.outcome) in team_page


def test_a_corrected_report_shows_when_it_was_updated(client, demo):
    correction = ReportCorrection.objects.get()
    report = correction.report
    assert report.status == ReportStatus.PUBLISHED and report.live
    corrected_on = timezone.localdate(correction.made_at)
    assert timezone.localdate(report.accepted_at) < corrected_on < timezone.localdate()
    assert timezone.localdate(report.corrected_at) == corrected_on == timezone.localdate(report.last_published_at)
    assert "two days a week" in report.ratings.get(number=6).to_improve
    page = html.unescape(text_of(client.get(report.url).text))
    assert f"Updated on {long_date(corrected_on)}" in page
    assert correction.note in page
    # The old words only in the change note.
    assert "two days a week" in page and page.count("two days a month") == 1


def test_the_demo_withdraws_nothing_and_publishes_the_same_reports(demo):
    assert not ReportPage.objects.filter(status=ReportStatus.WITHDRAWN).exists()
    assert ReportPage.objects.filter(status=ReportStatus.PUBLISHED, live=True).count() == 5
