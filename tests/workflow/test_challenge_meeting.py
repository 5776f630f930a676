"""The challenge meeting, through HTTP and the fake Notify: the Service Assessment Plus team arranges it and each
person invited gets an email with a link that works for them; a change of time emails everyone again; what cannot be
arranged is refused with what was typed kept; before resolving, the Plus team reads what the panel changed since the
challenge; resolving stores what was decided and emails the delivery team; the delivery team's dashboard and report
page say where the challenge stands and show the whole thread."""

import datetime
import html
import zoneinfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notify import kinds
from tests.cast import make_cast, report_in, signed_in
from tests.factories import UserFactory
from tests.notify_fixtures import addresses, running_fake_notify, sent
from workflow import roles
from workflow.models import (
    ChallengeMeeting,
    ChallengeOutcome,
    Rating,
    ReportAction,
    ReportStatus,
)
from workflow.services import challenges, transitions
from workflow.services.transitions import TransitionRefused

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def challenged(cast):
    return report_in(ReportStatus.CHALLENGED, cast)


def text(response) -> str:
    return html.unescape(response.content.decode())


def next_year() -> int:
    return timezone.localdate().year + 1


def meeting_data(cast, *, day=3, month=12, time="2:30pm", place="Room 4, 10 Downing Street", people=None, version=0):
    people = people if people is not None else [cast.lead, cast.researcher, cast.product_manager]
    return {
        "date_day": str(day),
        "date_month": str(month),
        "date_year": str(next_year()),
        "time": time,
        "place": place,
        "attendees": [str(person.pk) for person in people],
        "version": str(version),
    }


def arrange(client, report, data, capture):
    with capture(execute=True):
        return client.post(reverse("plus:meeting", args=[report.pk]), data)


def test_arranging_invites_each_person_with_a_link_that_works_for_them(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    plus = signed_in(cast.plus)
    assert "Arrange the meeting" in text(plus.get(reverse("plus:meeting", args=[challenged.pk])))

    response = arrange(plus, challenged, meeting_data(cast), django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == reverse("plus:report", args=[challenged.pk])
    meeting = ChallengeMeeting.objects.get()
    assert meeting.challenge == challenged.status_changes.get(transition="challenge")
    assert timezone.localtime(meeting.starts_at, LONDON).replace(tzinfo=None) == datetime.datetime(
        next_year(), 12, 3, 14, 30
    )
    assert addresses(fake_notify, kinds.MEETING_INVITATION) == sorted(
        [cast.lead.email, cast.researcher.email, cast.product_manager.email]
    )
    for email in sent(fake_notify, kinds.MEETING_INVITATION):
        personalisation = email["personalisation"]
        assert personalisation["meeting_time"] == f"3 December {next_year()} at 2:30pm"
        assert personalisation["meeting_place"] == "Room 4, 10 Downing Street"
        assert f"{cast.lead.get_full_name()}, Lead assessor" in personalisation["attendees"]
        assert f"{cast.product_manager.get_full_name()}, Product manager" in personalisation["attendees"]
        recipient = {user.email: user for user in (cast.lead, cast.researcher, cast.product_manager)}[
            email["email_address"]
        ]
        link = personalisation["report_link"].removeprefix("http://testserver")
        audience = "delivery" if recipient == cast.product_manager else "assessor"
        assert link == reverse(f"{audience}:report", args=[challenged.pk])
        assert signed_in(recipient).get(link).status_code == 200

    page = text(plus.get(reverse("plus:report", args=[challenged.pk])))
    assert f"3 December {next_year()} at 2:30pm" in page
    assert "Change the meeting" in page


def test_changing_the_time_emails_everyone_invited_before_or_now(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    plus = signed_in(cast.plus)
    arrange(plus, challenged, meeting_data(cast), django_capture_on_commit_callbacks)
    form = text(plus.get(reverse("plus:meeting", args=[challenged.pk])))
    assert 'value="14:30"' in form and "Room 4, 10 Downing Street" in form

    people = [cast.lead, cast.product_manager, cast.delivery_manager]  # researcher off, delivery manager on
    response = arrange(
        plus, challenged, meeting_data(cast, time="10am", people=people), django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    meeting = ChallengeMeeting.objects.get()
    assert meeting.version == 1
    assert timezone.localtime(meeting.starts_at, LONDON).hour == 10
    assert addresses(fake_notify, kinds.MEETING_CHANGED) == sorted(
        [cast.lead.email, cast.researcher.email, cast.product_manager.email, cast.delivery_manager.email]
    )
    changed = sent(fake_notify, kinds.MEETING_CHANGED)[0]["personalisation"]
    assert changed["meeting_time"] == f"3 December {next_year()} at 10am"
    assert not any(cast.researcher.get_full_name() in person for person in changed["attendees"])


def test_saving_the_meeting_unchanged_emails_nobody_again(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    plus = signed_in(cast.plus)
    arrange(plus, challenged, meeting_data(cast), django_capture_on_commit_callbacks)
    arrange(plus, challenged, meeting_data(cast), django_capture_on_commit_callbacks)
    assert sent(fake_notify, kinds.MEETING_CHANGED) == []
    assert ChallengeMeeting.objects.get().version == 0


def test_a_change_made_on_a_stale_page_is_refused_and_keeps_what_was_typed(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    plus, colleague = signed_in(cast.plus), signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM]))
    arrange(plus, challenged, meeting_data(cast), django_capture_on_commit_callbacks)
    arrange(colleague, challenged, meeting_data(cast, time="11am"), django_capture_on_commit_callbacks)

    response = arrange(
        plus, challenged, meeting_data(cast, time="4pm", place="Room 9"), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    page = text(response)
    assert "Someone else changed the meeting while you were looking at it" in page
    assert 'value="4pm"' in page and 'value="Room 9"' in page
    meeting = ChallengeMeeting.objects.get()
    assert (timezone.localtime(meeting.starts_at, LONDON).hour, meeting.place) == (11, "Room 4, 10 Downing Street")
    # Sent again after reading the meeting as it is now, it counts.
    assert 'name="version" value="1"' in page
    arrange(
        plus, challenged, meeting_data(cast, time="4pm", place="Room 9", version=1), django_capture_on_commit_callbacks
    )
    assert ChallengeMeeting.objects.get().place == "Room 9"


@pytest.mark.parametrize(
    "changes, message, kept",
    [
        ({"place": ""}, "Enter where the meeting is, or the link to the call", 'value="2:30pm"'),
        ({"place": "x" * 501}, "Where the meeting is must be 500 characters or fewer", "x" * 501),
        ({"time": "half past"}, "Enter a time like 2:30pm or 14:30", 'value="half past"'),
        ({"time": "2"}, "Enter a time like 2:30pm or 14:30", "Room 4, 10 Downing Street"),
        ({"date_day": "31", "date_month": "2"}, "Date of the meeting must be a real date", 'value="2:30pm"'),
        ({"date_year": "2020"}, "The meeting must be in the future", 'value="2:30pm"'),
        ({"attendees": []}, "Select the people to invite", "Room 4, 10 Downing Street"),
    ],
)
def test_what_cannot_be_arranged_is_refused_with_what_was_typed_kept(
    fake_notify, cast, challenged, changes, message, kept, django_capture_on_commit_callbacks
):
    data = {**meeting_data(cast), **changes}
    response = arrange(signed_in(cast.plus), challenged, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and message in page
    assert kept in page
    assert not ChallengeMeeting.objects.exists()
    assert sent(fake_notify) == []


def test_people_from_another_report_or_service_cannot_be_invited(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    stranger_assessor = make_cast().lead  # on another assessment's panel
    for outsider in (cast.other_service_product_manager, stranger_assessor, cast.assessor_not_on_panel, cast.plus):
        data = meeting_data(cast, people=[cast.lead, outsider])
        response = arrange(signed_in(cast.plus), challenged, data, django_capture_on_commit_callbacks)
        assert response.status_code == 200
        assert "Select people from the report's panel and the service's delivery team only" in text(response)
    # The service refuses them too, whatever the form offers.
    with pytest.raises(challenges.MeetingRefused):
        challenges.meeting_arrange(
            report=challenged,
            user=cast.plus,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            place="Room 1",
            attendee_ids=[cast.other_service_product_manager.pk],
        )
    assert not ChallengeMeeting.objects.exists()
    assert sent(fake_notify) == []


def test_only_a_challenged_report_has_a_meeting_and_only_the_plus_team_arranges_it(fake_notify, cast):
    shared = report_in(ReportStatus.SHARED, cast)
    response = signed_in(cast.plus).post(reverse("plus:meeting", args=[shared.pk]), meeting_data(cast), follow=True)
    assert "so it has no meeting to arrange" in text(response)
    with pytest.raises(challenges.MeetingRefused):
        challenges.meeting_arrange(
            report=shared,
            user=cast.plus,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            place="Room 1",
            attendee_ids=[cast.lead.pk],
        )
    challenged = transitions.report_transition(
        report=shared, name="challenge", user=cast.product_manager, comment="We disagree."
    )
    for who in (cast.assessment_team, cast.lead, cast.product_manager):
        assert signed_in(who).post(reverse("plus:meeting", args=[challenged.pk]), meeting_data(cast)).status_code == 404
    assert (
        signed_in(cast.other_service_product_manager).get(reverse("plus:meeting", args=[challenged.pk])).status_code
        == 404
    )
    assert not ChallengeMeeting.objects.exists()


def test_before_resolving_the_plus_team_sees_what_the_panel_changed(cast, challenged):
    point_6 = challenged.ratings.get(number=6)
    action = point_6.actions.get()
    # The panel amends the report during the challenge: point 6 green, its action removed; point 3's wording.
    point_6.rating, point_6.to_improve = Rating.GREEN, ""
    point_6.save()
    action.delete()
    point_3 = challenged.ratings.get(number=3)
    ReportAction.objects.create(rating=point_3, description="Test with <assistive> technology.")
    point_3.done_well = "Much better research."
    point_3.save()

    page = text(signed_in(cast.plus).get(reverse("plus:report", args=[challenged.pk])))

    section = page[page.index("What the panel changed since the challenge") :]
    assert "Point 6." in section and "Amber" in section and "Green" in section
    assert "Action removed" in section and "Fix point 6." in section
    assert "Action added" in section and "Test with <assistive> technology." in section
    assert "Much better research." in section and "Good work on point 3." in section
    assert (
        "&lt;assistive&gt;" in signed_in(cast.plus).get(reverse("plus:report", args=[challenged.pk])).content.decode()
    )


def test_the_diff_shows_an_action_reworded_and_the_overall_result_changed(cast, challenged):
    action = ReportAction.objects.get(rating__report=challenged)
    action.description = "Fix point 6 with the March research."
    action.save()
    challenged.overall_rating = Rating.GREEN
    challenged.save()

    page = text(signed_in(cast.plus).get(reverse("plus:report", args=[challenged.pk])))

    section = page[page.index("What the panel changed since the challenge") :]
    assert "Action changed" in section
    assert section.index("Fix point 6.") < section.index("Fix point 6 with the March research.")
    assert "Overall result" in section


def test_the_diff_says_when_nothing_changed(cast, challenged):
    page = text(signed_in(cast.plus).get(reverse("plus:report", args=[challenged.pk])))
    assert "The panel has not changed the report since the team challenged it." in page


def resolve(client, report, capture, **data):
    with capture(execute=True):
        return client.post(
            reverse("plus:report", args=[report.pk]),
            {
                "outcome": "The panel keeps point 6 amber.",
                "agreed_changes": "Add the March research.",
                "from_status": "challenged",
                **data,
            },
        )


def test_resolving_stores_the_outcome_and_emails_the_delivery_team(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    response = resolve(signed_in(cast.plus), challenged, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == reverse("plus:dashboard")
    outcome = ChallengeOutcome.objects.get()
    assert (outcome.outcome, outcome.agreed_changes, outcome.recorded_by) == (
        "The panel keeps point 6 amber.",
        "Add the March research.",
        cast.plus,
    )
    assert outcome.challenge == challenged.status_changes.get(transition="challenge")
    assert addresses(fake_notify, kinds.CHALLENGE_RESOLVED) == sorted(
        [cast.product_manager.email, cast.delivery_manager.email, cast.sro.email]
    )
    email = sent(fake_notify, kinds.CHALLENGE_RESOLVED)[0]["personalisation"]
    assert (email["outcome"], email["agreed_changes"]) == ("The panel keeps point 6 amber.", "Add the March research.")
    # Their dashboard, which lists the report while it is checked again (its page opens once shared again).
    assert email["report_link"] == "http://testserver" + reverse("delivery:dashboard")
    assert "Challenge resolved: being checked again" in text(signed_in(cast.sro).get(reverse("delivery:dashboard")))
    assert addresses(fake_notify, kinds.REPORT_SUBMITTED) == [cast.assessment_team.email]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"outcome": ""}, "Enter what the panel and the team decided"),
        ({"outcome": "x" * 5001}, "What was decided must be 5,000 characters or fewer"),
        ({"agreed_changes": " "}, "Enter the changes agreed with the panel and the team"),
    ],
)
def test_resolving_without_an_outcome_is_refused_with_what_was_typed_kept(
    fake_notify, cast, challenged, data, message, django_capture_on_commit_callbacks
):
    response = resolve(signed_in(cast.plus), challenged, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Add the March research." in page or "The panel keeps point 6 amber." in page
    assert not ChallengeOutcome.objects.exists()
    assert challenged.status_changes.last().transition == "challenge"
    assert sent(fake_notify) == []


def test_a_second_resolve_is_refused_and_stores_nothing(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    colleague = UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM])
    resolve(signed_in(cast.plus), challenged, django_capture_on_commit_callbacks)
    response = resolve(signed_in(colleague), challenged, django_capture_on_commit_callbacks, outcome="Other words.")
    assert response.status_code == 302
    assert ChallengeOutcome.objects.get().outcome == "The panel keeps point 6 amber."
    assert list(challenged.status_changes.values_list("transition", flat=True)).count("resolve") == 1
    assert len(sent(fake_notify, kinds.CHALLENGE_RESOLVED)) == 3
    # And through the service, a stale resolve leaves no outcome behind.
    with pytest.raises(TransitionRefused), transaction.atomic():
        challenges.challenge_resolve(
            report=challenged, user=colleague, outcome="Again", agreed_changes="Again", expected_status="challenged"
        )
    assert ChallengeOutcome.objects.count() == 1


def test_the_delivery_team_sees_where_the_challenge_stands_and_the_whole_thread(
    fake_notify, cast, challenged, django_capture_on_commit_callbacks
):
    team = signed_in(cast.product_manager)
    dashboard = reverse("delivery:dashboard")
    assert "Challenged: meeting not yet arranged" in text(team.get(dashboard))

    plus = signed_in(cast.plus)
    arrange(
        plus, challenged, meeting_data(cast, place="https://meet.example/<call>"), django_capture_on_commit_callbacks
    )
    assert "Challenged: meeting on 3 December" in text(team.get(dashboard))
    page = text(team.get(reverse("delivery:report", args=[challenged.pk])))
    assert "Challenged: meeting on 3 December" in page
    assert "We disagree with point 6." in page and "https://meet.example/<call>" in page
    assert f"{cast.lead.get_full_name()}, Lead assessor" in page

    plus_dashboard = text(plus.get(reverse("plus:dashboard")))
    assert f"3 December {next_year()} at 2:30pm" in plus_dashboard

    resolve(plus, challenged, django_capture_on_commit_callbacks)
    listed = text(team.get(dashboard))
    assert "Challenge resolved: being checked again" in listed
    # Listed, but not open while the service assessment team checks it.
    assert reverse("delivery:report", args=[challenged.pk]) not in listed

    checker = signed_in(cast.assessment_team)
    checker.post(reverse("assessment_team:check", args=[challenged.pk]))
    checker.post(reverse("assessment_team:share", args=[challenged.pk]))
    page = text(team.get(reverse("delivery:report", args=[challenged.pk])))
    thread = page[page.index("The challenge") :]
    order = [
        "We disagree with point 6.",
        "https://meet.example/<call>",
        "The panel keeps point 6 amber.",
        "Add the March research.",
    ]
    assert [thread.index(words) for words in order] == sorted(thread.index(words) for words in order)


def test_meeting_time_words():
    from workflow.emails import meeting_time

    def at(hour, minute):
        return datetime.datetime(2026, 12, 3, hour, minute, tzinfo=LONDON)

    assert meeting_time(at(14, 30)) == "3 December 2026 at 2:30pm"
    assert meeting_time(at(9, 0)) == "3 December 2026 at 9am"
    assert meeting_time(at(12, 0)) == "3 December 2026 at midday"
    assert meeting_time(datetime.datetime(2026, 7, 1, 13, 0, tzinfo=datetime.UTC)) == "1 July 2026 at 2pm"


def test_resolving_a_second_challenge_never_emails_the_first_ones_outcome(
    fake_notify, django_capture_on_commit_callbacks
):
    from workflow.services.challenges import challenge_resolve

    cast = make_cast()
    report = report_in(ReportStatus.CHALLENGED, cast)
    challenge_resolve(
        report=report, user=cast.plus, outcome="FIRST OUTCOME", agreed_changes="first", expected_status="challenged"
    )
    for name, user in (("check", cast.assessment_team), ("share", cast.assessment_team)):
        report = transitions.report_transition(report=report, name=name, user=user)
    report = transitions.report_transition(report=report, name="challenge", user=cast.product_manager, comment="Again.")
    with django_capture_on_commit_callbacks(execute=True):
        challenge_resolve(
            report=report,
            user=cast.plus,
            outcome="SECOND OUTCOME",
            agreed_changes="second",
            expected_status="challenged",
        )

    outcomes = {email["personalisation"]["outcome"] for email in sent(fake_notify, kinds.CHALLENGE_RESOLVED)}
    assert outcomes == {"SECOND OUTCOME"}
