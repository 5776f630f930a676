"""Two people acting on one report at the same moment, each on their own database connection.

Every race runs several times (`attempt`): which side wins varies from run to run, and each run must end in one
of the outcomes allowed, never in a mixture of both or in neither."""

import html
import threading
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from notify.models import OutboxEmail, OutboxStatus
from tests.cast import make_cast, rate, report_in
from tests.factories import AssessmentFactory, PanelMemberFactory, UserFactory
from tests.notify_fixtures import running_fake_notify
from workflow import questions, roles
from workflow.emails import emails_for_status_change, status_change_event
from workflow.models import (
    FollowUpRequest,
    FollowUpStatus,
    PanelRole,
    PointRating,
    Rating,
    ReportAction,
    ReportPage,
    ReportStatus,
    ReportStatusChange,
)
from workflow.services import editing
from workflow.services.editing import StaleEdit
from workflow.services.follow_ups import follow_up_request
from workflow.services.reports import report_create
from workflow.services.transitions import TransitionRefused, report_transition
from workflow.transitions import ReportTransition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ATTEMPTS = range(5)


def racing(test):
    """A race between threads, each with its own connection: it needs PostgreSQL's row locks. (SQLite's one writer
    at a time would serialise the racers anyway, and its test database lives in one connection's memory.)"""
    test = pytest.mark.postgres(test)
    test = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test-postgres)"
    )(test)
    return pytest.mark.parametrize("attempt", ATTEMPTS)(test)


STALE = "Someone else saved a change to this point while you were editing."
SUBMITTED_SO_NOT_SAVED = "The report has been submitted to the service assessment team"


def race(*actions):
    """Runs the actions in threads released together; returns what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a racer is still waiting: a deadlock?"
    return outcomes


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


# --- competing transitions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contest:
    status: str  # the report's status when both press their button
    first: tuple[str, str]  # (transition, who, as named in the cast or below)
    second: tuple[str, str]


# Every pair of transitions that can be attempted on one report at the same moment: from each status, each
# transition it allows against itself (a double click, or two people) and against each other one.
CONTESTS = {
    "submit twice": Contest(ReportStatus.DRAFT, ("submit", "lead"), ("submit", "lead")),
    "check twice": Contest(ReportStatus.SUBMITTED, ("check", "assessment_team"), ("check", "other_assessment_team")),
    # A report may be returned from checked as well as from submitted: when the check takes the row lock first, only
    # the status the return's page showed (submitted) stops the return going through after it.
    "check and return": Contest(
        ReportStatus.SUBMITTED, ("check", "assessment_team"), ("return", "other_assessment_team")
    ),
    "return a submitted report twice": Contest(
        ReportStatus.SUBMITTED, ("return", "assessment_team"), ("return", "other_assessment_team")
    ),
    "share twice": Contest(ReportStatus.CHECKED, ("share", "assessment_team"), ("share", "other_assessment_team")),
    "share and return": Contest(
        ReportStatus.CHECKED, ("share", "assessment_team"), ("return", "other_assessment_team")
    ),
    "return a checked report twice": Contest(
        ReportStatus.CHECKED, ("return", "assessment_team"), ("return", "other_assessment_team")
    ),
    "accept twice": Contest(ReportStatus.SHARED, ("accept", "product_manager"), ("accept", "delivery_manager")),
    "accept and challenge": Contest(
        ReportStatus.SHARED, ("accept", "product_manager"), ("challenge", "delivery_manager")
    ),
    "challenge twice": Contest(
        ReportStatus.SHARED, ("challenge", "product_manager"), ("challenge", "delivery_manager")
    ),
    "resolve a challenge twice": Contest(ReportStatus.CHALLENGED, ("resolve", "plus"), ("resolve", "other_plus")),
    "withdraw twice": Contest(
        ReportStatus.PUBLISHED, ("withdraw", "assessment_team"), ("withdraw", "other_assessment_team")
    ),
}
COMMENTS = {
    "return": "Point 3 needs more evidence.",
    "challenge": "We disagree with point 6.",
    "resolve": "The panel agreed point 6 is amber.",
    "withdraw": "The report named the wrong service.",
}
ENDS_IN = {
    "submit": ReportStatus.SUBMITTED,
    "check": ReportStatus.CHECKED,
    "return": ReportStatus.DRAFT,
    "share": ReportStatus.SHARED,
    "accept": ReportStatus.PUBLISHED,
    "challenge": ReportStatus.CHALLENGED,
    "resolve": ReportStatus.SUBMITTED,
    "withdraw": ReportStatus.WITHDRAWN,
}
# Accepting publishes in the same transaction, with a status history row of its own.
HISTORY_ROWS = {"accept": ["accept", "publish"]}


@racing
@pytest.mark.parametrize("contest_name", CONTESTS)
def test_competing_transitions_at_once_leave_exactly_one_outcome(fake_notify, contest_name, attempt):
    contest = CONTESTS[contest_name]
    cast = make_cast()
    people = {
        **vars(cast),
        "other_assessment_team": UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]),
        "other_plus": UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM]),
    }
    report = report_in(contest.status, cast)
    history_before = list(ReportStatusChange.objects.values_list("pk", flat=True))
    emails_before = list(OutboxEmail.objects.values_list("pk", flat=True))

    def press(name, who):
        # As the pages do: each person's page showed the report in the contest's status.
        return lambda: report_transition(
            report=ReportPage.objects.get(pk=report.pk),
            name=name,
            user=people[who],
            comment=COMMENTS.get(name, ""),
            expected_status=contest.status,
        )

    outcomes = race(press(*contest.first), press(*contest.second))

    winners = [index for index, outcome in enumerate(outcomes) if isinstance(outcome, ReportPage)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, TransitionRefused)]
    assert (len(winners), len(refused)) == (1, 1), outcomes
    changes = list(ReportStatusChange.objects.exclude(pk__in=history_before).order_by("pk"))
    won = (contest.first, contest.second)[winners[0]][0]
    final = ReportPage.objects.get(pk=report.pk)
    assert final.status == ENDS_IN[won]

    # One status history row (two for accept-and-publish), from the winner.
    assert [change.transition for change in changes] == HISTORY_ROWS.get(won, [won])

    # One set of emails: exactly those the winning change causes, each written once and sent once.
    emails = list(OutboxEmail.objects.exclude(pk__in=emails_before))
    assert sorted((e.event, e.kind, e.email_address) for e in emails) == sorted(
        (status_change_event(change), email.kind, email.email_address)
        for change in changes
        for email in emails_for_status_change(change)
    )
    assert {email.status for email in emails} <= {OutboxStatus.SENT}
    references = [notification["reference"] for notification in fake_notify.sent]
    assert len(references) == len(set(references)), "Notify got an email twice"
    assert {str(email.pk) for email in emails} <= set(references)

    # Published once, or not at all (a withdrawn report keeps its page, and the one revision it was published with).
    published = won == "accept" or contest.status == ReportStatus.PUBLISHED
    assert final.live == published
    assert final.revisions.count() == (1 if published else 0)


# --- two people editing one draft ------------------------------------------------------------------------


def point_url(report, number: int) -> str:
    return reverse("assessor:point", args=[report.pk, number])


def point_data(version: int, rating: str, done_well: str, to_improve: str = "") -> dict:
    return {"version": version, "rating": rating, "done_well": done_well, "to_improve": to_improve, "then": "overview"}


@racing
def test_two_assessors_saving_one_point_at_once_one_lands_and_the_other_is_told(attempt):
    cast = make_cast()
    draft = report_create(assessment=cast.assessment)
    rating = draft.ratings.get(number=3)

    def save(user, value, words):
        return lambda: editing.rating_update(
            rating=rating,
            user=user,
            version=0,
            rating_value=value,
            answers=questions.by_column(draft, questions.POINT, done_well=words, to_improve=""),
        )

    outcomes = race(save(cast.lead, Rating.GREEN, "The lead's words."), save(cast.researcher, Rating.RED, "Mine."))

    saved = [outcome for outcome in outcomes if isinstance(outcome, PointRating)]
    stale = [outcome for outcome in outcomes if isinstance(outcome, StaleEdit)]
    assert len(saved) == 1 and len(stale) == 1, outcomes
    now = PointRating.objects.get(pk=rating.pk)
    assert (now.rating, now.done_well, now.version) == (saved[0].rating, saved[0].done_well, 1)
    # The one refused is shown the version that landed, to compare with their own.
    assert (stale[0].current.done_well, stale[0].current.version) == (now.done_well, 1)
    assert now.history.count() == 2  # created, then the one save


@racing
def test_two_assessors_saving_one_point_at_once_through_the_page(attempt):
    cast = make_cast()
    draft = report_create(assessment=cast.assessment)
    url = point_url(draft, 3)
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)
    typed = {
        "lead": point_data(0, Rating.GREEN, "Typed by the lead."),
        "researcher": point_data(0, Rating.RED, "Typed by the researcher.", "Needs work."),
    }

    outcomes = race(lambda: lead.post(url, typed["lead"]), lambda: researcher.post(url, typed["researcher"]))

    statuses = sorted(response.status_code for response in outcomes)
    assert statuses == [200, 302], outcomes
    landed, told = ("lead", "researcher") if outcomes[0].status_code == 302 else ("researcher", "lead")
    page = text(outcomes[("lead", "researcher").index(told)])
    assert STALE in page
    assert typed[told]["done_well"] in page  # their text is kept in the form...
    assert typed[landed]["done_well"] in page  # ...beside the version that landed
    now = PointRating.objects.get(report=draft, number=3)
    assert (now.done_well, now.version) == (typed[landed]["done_well"], 1)
    assert 'name="version" value="1"' in page  # so saving again, on purpose, goes through


@racing
def test_two_assessors_saving_different_points_at_once_both_land(attempt):
    cast = make_cast()
    draft = report_create(assessment=cast.assessment)
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)

    outcomes = race(
        lambda: lead.post(point_url(draft, 2), point_data(0, Rating.GREEN, "Point 2, by the lead.")),
        lambda: researcher.post(point_url(draft, 5), point_data(0, Rating.AMBER, "Point 5, by the researcher.")),
    )

    assert [response.status_code for response in outcomes] == [302, 302], outcomes
    points = {rating.number: rating for rating in PointRating.objects.filter(report=draft, number__in=[2, 5])}
    assert (points[2].done_well, points[2].rating, points[2].version) == ("Point 2, by the lead.", Rating.GREEN, 1)
    assert (points[5].done_well, points[5].rating, points[5].version) == (
        "Point 5, by the researcher.",
        Rating.AMBER,
        1,
    )


@racing
def test_two_assessors_adding_actions_at_once_both_are_kept(attempt):
    cast = make_cast()
    draft = rate(report_create(assessment=cast.assessment), "gggggagggggggg")  # point 6 amber, with an action
    url = reverse("assessor:action_add", args=[draft.pk, 6])
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)

    outcomes = race(
        lambda: lead.post(url, {"description": "Action from the lead.", "due_date": ""}),
        lambda: researcher.post(url, {"description": "Action from the researcher.", "due_date": ""}),
    )

    assert [response.status_code for response in outcomes] == [302, 302], outcomes
    assert sorted(ReportAction.objects.filter(rating__report=draft).values_list("description", flat=True)) == [
        "Action from the lead.",
        "Action from the researcher.",
        "Fix point 6.",
    ]


def assert_nothing_changed_after_submitting(report) -> None:
    """No point of the report, nor any action, changed after the report was submitted."""
    submitted_at = ReportStatusChange.objects.get(report=report, transition="submit").at
    assert not PointRating.history.filter(report_id=report.pk, history_date__gt=submitted_at).exists()
    ratings = list(PointRating.objects.filter(report=report).values_list("pk", flat=True))
    assert not ReportAction.history.filter(rating_id__in=ratings, history_date__gt=submitted_at).exists()


@racing
def test_an_edit_racing_the_lead_submitting_lands_before_it_or_is_refused(attempt):
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)  # complete, ready to submit
    rating = report.ratings.get(number=3)  # green

    outcomes = race(
        lambda: report_transition(
            report=ReportPage.objects.get(pk=report.pk), name=ReportTransition.SUBMIT, user=cast.lead
        ),
        lambda: editing.rating_update(
            rating=rating,
            user=cast.researcher,
            version=rating.version,
            rating_value=Rating.GREEN,
            answers=questions.by_column(
                report, questions.POINT, done_well="Written while the lead submitted.", to_improve=""
            ),
        ),
    )

    submitted, edit = outcomes
    assert isinstance(submitted, ReportPage), submitted
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    now = PointRating.objects.get(pk=rating.pk)
    if isinstance(edit, PointRating):  # it landed first, and was submitted with the report
        assert (now.done_well, now.version) == ("Written while the lead submitted.", rating.version + 1)
    else:  # the report was submitted first: refused, and nothing changed
        assert isinstance(edit, PermissionDenied), edit
        assert (now.done_well, now.version) == (rating.done_well, rating.version)
    assert_nothing_changed_after_submitting(report)


@racing
def test_an_edit_racing_the_lead_submitting_through_the_pages(attempt):
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)
    rating = report.ratings.get(number=3)
    lead, researcher = signed_in(cast.lead), signed_in(cast.researcher)

    outcomes = race(
        lambda: lead.post(reverse("assessor:submit", args=[report.pk])),
        lambda: researcher.post(
            point_url(report, 3), point_data(rating.version, Rating.GREEN, "Written while the lead submitted.")
        ),
    )

    submitted, edit = outcomes
    assert submitted.status_code == 302
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    now = PointRating.objects.get(pk=rating.pk)
    assert edit.status_code in (302, 200), edit
    if edit.status_code == 302:
        assert now.done_well == "Written while the lead submitted."
    else:  # the form again, with what was typed and why it was not saved
        assert "Written while the lead submitted." in text(edit)
        assert SUBMITTED_SO_NOT_SAVED in text(edit)
        assert (now.done_well, now.version) == (rating.done_well, rating.version)
    assert_nothing_changed_after_submitting(report)


def test_an_edit_that_arrives_after_the_lead_submitted_keeps_the_typed_text_and_says_why():
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)
    rating = report.ratings.get(number=3)
    researcher = signed_in(cast.researcher)
    assert researcher.get(point_url(report, 3)).status_code == 200  # the form, opened while a draft

    report_transition(report=report, name=ReportTransition.SUBMIT, user=cast.lead)
    response = researcher.post(
        point_url(report, 3), point_data(rating.version, Rating.GREEN, "Typed before I knew it was submitted.")
    )

    assert response.status_code == 200
    page = text(response)
    assert "Typed before I knew it was submitted." in page
    assert SUBMITTED_SO_NOT_SAVED in page
    assert "There is a problem" in page
    assert PointRating.objects.get(pk=rating.pk).done_well == rating.done_well


# --- starting reports ----------------------------------------------------------------------------------


@racing
def test_the_lead_starting_the_same_report_twice_at_once_makes_one(attempt):
    cast = make_cast()
    url = reverse("assessor:start", args=[cast.assessment.pk])
    first, second = Client(raise_request_exception=False), Client(raise_request_exception=False)
    first.force_login(cast.lead)
    second.force_login(cast.lead)

    outcomes = race(lambda: first.post(url), lambda: second.post(url))

    assert [response.status_code for response in outcomes] == [302, 302], outcomes
    report = ReportPage.objects.get(assessment=cast.assessment)
    said = [str(message) for response in outcomes for message in get_messages(response.wsgi_request)]
    assert {response["Location"] for response in outcomes} <= {
        reverse("assessor:report", args=[report.pk]),
        reverse("assessor:dashboard"),
    }
    # The one that waited for the other is told plainly, never Wagtail's "The slug '...' is already in use".
    assert all("slug" not in message for message in said), said
    assert set(said) <= {"This assessment already has a report."}, said


@racing
def test_two_leads_starting_reports_for_different_assessments_at_once_both_start(attempt):
    first_cast = make_cast()
    other = AssessmentFactory()
    other_lead = UserFactory(groups=[roles.ASSESSORS])
    PanelMemberFactory(assessment=other, user=other_lead, role=PanelRole.LEAD)
    clients = []
    for user in (first_cast.lead, other_lead):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)

    outcomes = race(
        lambda: clients[0].post(reverse("assessor:start", args=[first_cast.assessment.pk])),
        lambda: clients[1].post(reverse("assessor:start", args=[other.pk])),
    )

    assert [response.status_code for response in outcomes] == [302, 302], outcomes
    assert ReportPage.objects.filter(assessment__in=[first_cast.assessment, other]).count() == 2


# --- two Plus team members recording a challenge's outcome at once -------------------------------------------


@racing
def test_two_people_resolving_a_challenge_at_once_store_one_outcome(fake_notify, attempt):
    from workflow.models import ChallengeOutcome
    from workflow.services.challenges import challenge_resolve

    cast = make_cast()
    other_plus = UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM])
    report = report_in(ReportStatus.CHALLENGED, cast)
    words = {cast.plus: "The panel keeps point 6 amber.", other_plus: "The panel rates point 6 green."}

    def press(who):
        return lambda: challenge_resolve(
            report=ReportPage.objects.get(pk=report.pk),
            user=who,
            outcome=words[who],
            agreed_changes=words[who],
            expected_status=ReportStatus.CHALLENGED,
        )

    outcomes = race(press(cast.plus), press(other_plus))

    winners = [outcome for outcome in outcomes if isinstance(outcome, ReportPage)]
    assert len(winners) == 1 and sum(isinstance(o, TransitionRefused) for o in outcomes) == 1, outcomes
    [stored] = ChallengeOutcome.objects.all()
    resolve = ReportStatusChange.objects.get(report=report, transition="resolve")
    # The outcome is the winner's, written in the winner's transaction.
    assert stored.outcome == resolve.comment == words[stored.recorded_by]
    assert ReportPage.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


# --- follow-up support -------------------------------------------------------------------------------


@racing
def test_the_lead_and_the_team_recording_one_follow_up_at_once_one_wins(fake_notify, attempt):
    cast = make_cast()
    report = report_in(ReportStatus.PUBLISHED, cast)
    request = follow_up_request(
        report=report,
        user=cast.product_manager,
        support="call",
        actions=list(ReportAction.objects.filter(rating__report=report)),
        details="Soon.",
    )
    lead, team = Client(raise_request_exception=False), Client(raise_request_exception=False)
    lead.force_login(cast.lead)
    team.force_login(cast.assessment_team)

    outcomes = race(
        lambda: lead.post(
            reverse("assessor:follow_up_decide", args=[report.pk, request.pk]),
            {"decision": "arranged", "outcome": "Monday."},
        ),
        lambda: team.post(
            reverse("assessment_team:follow_up_decide", args=[report.pk, request.pk]),
            {"decision": "declined", "outcome": "No panel free."},
        ),
    )

    codes = sorted(response.status_code for response in outcomes)
    assert codes == [200, 302], outcomes
    loser = next(response for response in outcomes if response.status_code == 200)
    assert "has already recorded that this request is" in text(loser)
    request.refresh_from_db()
    assert request.status in (FollowUpStatus.ARRANGED, FollowUpStatus.DECLINED)
    assert FollowUpRequest.history.filter(id=request.pk).exclude(status=FollowUpStatus.REQUESTED).count() == 1
    assert OutboxEmail.objects.filter(kind="follow_up_answered").count() == 1


# --- two answers to one question of the delivery team ---------------------------------------------------------


@racing
def test_two_answers_to_one_question_at_once_one_lands_and_the_other_is_told(fake_notify, attempt):
    from workflow.models import Clarification
    from workflow.services.clarifications import ClarificationRefused, clarification_answer, clarification_ask

    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)
    question = clarification_ask(report=report, user=cast.product_manager, rating_id=None, question="Why amber?")
    colleague = UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM])

    def answer(user, words):
        return lambda: clarification_answer(clarification=question, user=user, answer=words)

    outcomes = race(answer(cast.assessment_team, "Mine."), answer(colleague, "No, mine."))

    answered = [outcome for outcome in outcomes if isinstance(outcome, Clarification)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ClarificationRefused)]
    assert len(answered) == 1 and len(refused) == 1, outcomes
    now = Clarification.objects.get(pk=question.pk)
    assert (now.answer, now.answered_by_id) == (answered[0].answer, answered[0].answered_by_id)
    assert "answered this question on" in refused[0].reason
    assert OutboxEmail.objects.filter(kind="clarification_answered").count() == 1


# --- two reviews of one action -------------------------------------------------------------------------------------


@racing
def test_the_lead_and_the_team_reviewing_one_action_at_once_one_wins(fake_notify, attempt):
    from workflow.models import ActionUpdate, ActionUpdateKind
    from workflow.services.actions import action_record_progress

    cast = make_cast()
    report = report_in(ReportStatus.PUBLISHED, cast)
    action = ReportAction.objects.get(rating__report=report)
    action_record_progress(action=action, user=cast.product_manager, text="Done.", ready_for_review=True)
    action.refresh_from_db()
    lead, team = Client(raise_request_exception=False), Client(raise_request_exception=False)
    lead.force_login(cast.lead)
    team.force_login(cast.assessment_team)

    outcomes = race(
        lambda: lead.post(
            reverse("assessor:action_review", args=[report.pk, action.pk]),
            {"version": action.version, "decision": "accepted", "comment": ""},
        ),
        lambda: team.post(
            reverse("assessment_team:action_review", args=[report.pk, action.pk]),
            {"version": action.version, "decision": "more_needed", "comment": "Show the tests."},
        ),
    )

    codes = sorted(response.status_code for response in outcomes)
    assert codes == [200, 302], outcomes
    loser = next(response for response in outcomes if response.status_code == 200)
    assert "has not been saved" in text(loser)
    assert ActionUpdate.objects.filter(kind__in=ActionUpdateKind.reviews()).count() == 1
    assert OutboxEmail.objects.filter(kind="action_reviewed").count() == 3  # the PM, the DM and the SRO
