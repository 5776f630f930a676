"""Clarification without a challenge: the product or delivery manager asks about a point or the whole shared report,
the service assessment team answers, and the response clock stands still while the question is open.

Dates are the services' `now`: a report shared on Monday 14 December 2026 is due on Wednesday 30 December (25 and 28
December are bank holidays), and the team is reminded on 23 December."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notify import kinds
from tests.cast import make_cast, report_in, signed_in
from tests.notify_fixtures import running_fake_notify, sent
from workflow import emails, selectors
from workflow.models import Clarification, ReportPage, ReportStatus
from workflow.services import transitions
from workflow.services.clarifications import (
    ANSWER_LIMIT,
    QUESTION_LIMIT,
    ClarificationRefused,
    clarification_answer,
    clarification_ask,
)

pytestmark = pytest.mark.django_db

SHARED_ON = datetime.date(2026, 12, 14)
DUE = datetime.date(2026, 12, 30)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def shared(cast):
    report = report_in(ReportStatus.SHARED, cast)
    ReportPage.objects.filter(pk=report.pk).update(shared_at=at(SHARED_ON), response_due=DUE)
    return ReportPage.objects.get(pk=report.pk)


def ask(report, user, on, rating_id=None, question="What does point 6 need?"):
    return clarification_ask(report=report, user=user, rating_id=rating_id, question=question, now=at(on))


def answer(question, user, on, text="The panel wants a usability test."):
    return clarification_answer(clarification=question, user=user, answer=text, now=at(on))


def due_of(report) -> datetime.date:
    return ReportPage.objects.get(pk=report.pk).response_due


def kinds_of(new_emails) -> list[str]:
    return sorted(email.kind for email in new_emails)


# --- the clock ---------------------------------------------------------------------------------------------------


def test_the_deadline_moves_by_the_working_days_the_question_was_open(cast, shared):
    # Thursday 17 to Tuesday 22 December: Friday 18, Monday 21 and Tuesday 22 are working days, the weekend is not.
    question = ask(shared, cast.product_manager, datetime.date(2026, 12, 17))
    deadline = selectors.response_deadline(shared, today=datetime.date(2026, 12, 21))
    assert deadline.stopped_on == datetime.date(2026, 12, 17) and not deadline.overdue
    answered = answer(question, cast.assessment_team, datetime.date(2026, 12, 22))
    assert answered.working_days_added == 3
    # 30 December + 3 working days, over the 1 January bank holiday and a weekend.
    assert due_of(shared) == datetime.date(2027, 1, 5)
    assert selectors.response_deadline(ReportPage.objects.get(pk=shared.pk), today=DUE).stopped_on is None
    # The report's history says why its deadline moved.
    record = ReportPage.history.filter(id=shared.pk).order_by("-history_date").first()
    assert record.response_due == datetime.date(2027, 1, 5) and record.history_user == cast.assessment_team
    assert "3 working days later" in record.history_change_reason


def test_bank_holidays_and_weekends_open_add_nothing(cast, shared):
    # Wednesday 23 to Tuesday 29 December: only 24 and 29 December are working days.
    question = ask(shared, cast.delivery_manager, datetime.date(2026, 12, 23))
    assert answer(question, cast.assessment_team, datetime.date(2026, 12, 29)).working_days_added == 2
    assert due_of(shared) == datetime.date(2027, 1, 4)


def test_asked_and_answered_the_same_day_moves_nothing(cast, shared):
    question = ask(shared, cast.product_manager, datetime.date(2026, 12, 17))
    assert answer(question, cast.assessment_team, datetime.date(2026, 12, 17)).working_days_added == 0
    assert due_of(shared) == DUE


def test_overlapping_questions_stop_the_clock_once_from_the_first(cast, shared):
    first = ask(shared, cast.product_manager, datetime.date(2026, 12, 15))
    second = ask(shared, cast.delivery_manager, datetime.date(2026, 12, 17), question="And the whole report?")
    # Answering the first leaves the clock stopped by the second, which joined the stop the first began.
    assert answer(first, cast.assessment_team, datetime.date(2026, 12, 16)).working_days_added == 0
    assert due_of(shared) == DUE
    assert selectors.response_deadline(shared, today=datetime.date(2026, 12, 17)).stopped_on == datetime.date(
        2026, 12, 15
    )
    # 15 December to 22 December: 16, 17, 18, 21, 22.
    assert answer(second, cast.assessment_team, datetime.date(2026, 12, 22)).working_days_added == 5
    assert due_of(shared) == datetime.date(2027, 1, 7)


def test_a_deadline_already_missed_when_asked_stays_missed(cast, shared):
    question = ask(shared, cast.product_manager, datetime.date(2027, 1, 4))
    deadline = selectors.response_deadline(shared, today=datetime.date(2027, 1, 6))
    assert deadline.stopped_on == datetime.date(2027, 1, 4) and deadline.overdue
    assert list(selectors.responses_overdue(datetime.date(2027, 1, 6))) == [shared]
    answer(question, cast.assessment_team, datetime.date(2027, 1, 5))
    # A question asked late gives no more time: the deadline stays where it was.
    assert due_of(shared) == datetime.date(2026, 12, 30)


def test_while_stopped_the_report_is_not_counted_overdue(cast, shared):
    ask(shared, cast.product_manager, datetime.date(2026, 12, 29))
    assert list(selectors.responses_overdue(datetime.date(2027, 1, 6))) == []
    deadline = selectors.response_deadline(shared, today=datetime.date(2027, 1, 6))
    assert not deadline.overdue and not deadline.due_today


# --- the reminder and overdue emails -------------------------------------------------------------------------------


def test_no_reminder_or_overdue_email_while_the_clock_is_stopped(cast, shared):
    ask(shared, cast.product_manager, datetime.date(2026, 12, 17))
    assert emails.scheduled_emails(today=datetime.date(2026, 12, 23)) == []  # the reminder day
    assert emails.scheduled_emails(today=datetime.date(2026, 12, 31)) == []  # the first overdue day


def test_after_the_answer_the_reminder_and_overdue_emails_follow_the_moved_deadline(cast, shared):
    # Without the question, the reminder would go on 23 December.
    question = ask(shared, cast.product_manager, datetime.date(2026, 12, 17))
    answer(question, cast.assessment_team, datetime.date(2026, 12, 22))
    assert emails.scheduled_emails(today=datetime.date(2026, 12, 23)) == []
    # Due on 5 January now: not overdue on the old deadline's first overdue day.
    assert kinds.RESPONSE_OVERDUE not in kinds_of(emails.scheduled_emails(today=datetime.date(2026, 12, 31)))
    reminders = emails.scheduled_emails(today=datetime.date(2026, 12, 30))  # 3 working days before 5 January
    assert kinds_of(reminders) == [kinds.RESPONSE_REMINDER] * 2
    assert {email.personalisation["response_deadline"] for email in reminders} == {"5 January 2027"}
    assert kinds.RESPONSE_OVERDUE not in kinds_of(emails.scheduled_emails(today=datetime.date(2027, 1, 5)))
    overdue = emails.scheduled_emails(today=datetime.date(2027, 1, 6))
    assert kinds_of(overdue) == [kinds.RESPONSE_OVERDUE]
    assert overdue[0].personalisation["response_deadline"] == "5 January 2027"


def test_a_reminder_already_sent_goes_again_for_the_moved_deadline(cast, shared):
    first = emails.scheduled_emails(today=datetime.date(2026, 12, 23))
    assert kinds_of(first) == [kinds.RESPONSE_REMINDER] * 2
    question = ask(shared, cast.product_manager, datetime.date(2026, 12, 23))
    answer(question, cast.assessment_team, datetime.date(2026, 12, 29))  # moved to 4 January
    again = emails.scheduled_emails(today=datetime.date(2026, 12, 29))  # 3 working days before 4 January
    assert {email.personalisation["response_deadline"] for email in again} == {"4 January 2027"}
    assert {email.idempotency_key for email in again}.isdisjoint({email.idempotency_key for email in first})


# --- through the pages, with the emails ----------------------------------------------------------------------------


def test_the_product_manager_asks_about_a_point_and_the_team_answers(
    cast, fake_notify, django_capture_on_commit_callbacks
):
    report = report_in(ReportStatus.SHARED, cast)
    point_6 = report.ratings.get(number=6)
    pm = signed_in(cast.product_manager)
    page = pm.get(reverse("delivery:report", args=[report.pk])).text
    ask_url = reverse("delivery:ask_question", args=[report.pk])
    assert "Ask a question about the report" in page and ask_url in page
    form = pm.get(ask_url).text
    assert "The whole report" in form and f'value="{point_6.pk}"' in form and f"Point 6: {point_6.title}" in form

    with django_capture_on_commit_callbacks(execute=True):
        response = pm.post(ask_url, {"about": str(point_6.pk), "question": "What evidence would make point 6 green?"})
    assert response.status_code == 302 and response["Location"] == reverse("delivery:report", args=[report.pk])
    question = Clarification.objects.get()
    assert (question.rating, question.asked_by, question.is_open) == (point_6, cast.product_manager, True)

    [asked] = sent(fake_notify, kinds.CLARIFICATION_ASKED)
    assert asked["email_address"] == cast.assessment_team.email
    assert asked["personalisation"]["about"] == f"point 6: {point_6.title}"
    assert asked["personalisation"]["asked_by"] == cast.product_manager.get_full_name()
    assert asked["personalisation"]["question"] == "What evidence would make point 6 green?"
    team = signed_in(cast.assessment_team)
    link = asked["personalisation"]["report_link"].removeprefix("http://testserver")
    assert link == reverse("assessment_team:report", args=[report.pk])
    team_page = team.get(link)
    assert team_page.status_code == 200
    answer_url = reverse("assessment_team:answer_question", args=[report.pk, question.pk])
    assert "What evidence would make point 6 green?" in team_page.text and answer_url in team_page.text

    today = timezone.localdate()
    stopped = f"Question open since {today.day} {today:%B}: response clock stopped"
    assert stopped in pm.get(reverse("delivery:report", args=[report.pk])).text
    assert stopped in pm.get(reverse("delivery:dashboard")).text
    assert stopped in team.get(reverse("assessment_team:dashboard")).text
    admin = signed_in(cast.superuser).get(reverse("admin_reports:inspect", args=[report.pk])).text
    assert f"question open since {today.day} {today:%B}: response clock stopped" in admin

    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(answer_url, {"answer": "A usability test with disabled users."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.answer, question.answered_by, question.working_days_added) == (
        "A usability test with disabled users.",
        cast.assessment_team,
        0,
    )
    [answered] = sent(fake_notify, kinds.CLARIFICATION_ANSWERED)
    assert answered["email_address"] == cast.product_manager.email
    report.refresh_from_db()
    assert (
        answered["personalisation"]["what_next"]
        == f"Accept or challenge the report by {emails.long_date(report.response_due)}."
    )
    assert answered["personalisation"]["answer"] == "A usability test with disabled users."
    link = answered["personalisation"]["report_link"].removeprefix("http://testserver")
    assert link == reverse("delivery:report", args=[report.pk])
    page = pm.get(link)
    assert page.status_code == 200
    assert "A usability test with disabled users." in page.text and stopped not in page.text
    assert answer_url not in team.get(reverse("assessment_team:report", args=[report.pk])).text


def test_a_question_about_the_whole_report(cast, fake_notify, django_capture_on_commit_callbacks):
    report = report_in(ReportStatus.SHARED, cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(cast.delivery_manager).post(
            reverse("delivery:ask_question", args=[report.pk]), {"about": "whole", "question": "Why amber overall?"}
        )
    assert response.status_code == 302
    assert Clarification.objects.get().rating is None
    assert sent(fake_notify, kinds.CLARIFICATION_ASKED)[0]["personalisation"]["about"] == "the whole report"


def test_the_sro_and_the_panel_read_the_questions_and_answers_but_do_not_ask_or_answer(cast):
    report = report_in(ReportStatus.SHARED, cast)
    question = clarification_ask(report=report, user=cast.product_manager, rating_id=None, question="Quuxquestion?")
    clarification_answer(clarification=question, user=cast.assessment_team, answer="Quuxanswer.")
    sro = signed_in(cast.sro)
    page = sro.get(reverse("delivery:report", args=[report.pk])).text
    assert "Quuxquestion?" in page and "Quuxanswer." in page
    assert reverse("delivery:ask_question", args=[report.pk]) not in page
    assert sro.get(reverse("delivery:ask_question", args=[report.pk])).status_code == 404
    for member in (cast.lead, cast.observer):
        page = signed_in(member).get(reverse("assessor:report", args=[report.pk])).text
        assert "Quuxquestion?" in page and "Quuxanswer." in page and "answer_question" not in page
    with pytest.raises(ClarificationRefused):
        clarification_answer(clarification=question, user=cast.assessment_team, answer="Again.")


# --- refusals ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.CHALLENGED, ReportStatus.PUBLISHED])
def test_only_while_shared(cast, status):
    report = report_in(status, cast)
    pm = signed_in(cast.product_manager)
    url = reverse("delivery:ask_question", args=[report.pk])
    response = pm.post(url, {"about": "whole", "question": "Typed while it moved on."})
    assert Clarification.objects.count() == 0
    if status == ReportStatus.SUBMITTED:  # not shared: the team does not know it exists
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert "Your question has not been sent." in response.text and "Typed while it moved on." in response.text
    assert pm.get(url).status_code == 302
    assert url not in pm.get(reverse("delivery:report", args=[report.pk])).text


def test_people_who_may_not_ask(cast):
    report = report_in(ReportStatus.SHARED, cast)
    url = reverse("delivery:ask_question", args=[report.pk])
    data = {"about": "whole", "question": "Why?"}
    assert signed_in(cast.sro).post(url, data).status_code == 404
    assert signed_in(cast.other_service_product_manager).post(url, data).status_code == 404
    assert signed_in(cast.lead).post(url, data).status_code == 404
    assert signed_in(cast.assessment_team).post(url, data).status_code == 404
    with pytest.raises(PermissionDenied):
        clarification_ask(report=report, user=cast.sro, rating_id=None, question="Why?")
    assert Clarification.objects.count() == 0


def test_another_reports_point_is_refused_and_the_text_kept(cast):
    report = report_in(ReportStatus.SHARED, cast)
    other_cast = make_cast()
    elsewhere = report_in(ReportStatus.DRAFT, other_cast).ratings.get(number=6)
    response = signed_in(cast.product_manager).post(
        reverse("delivery:ask_question", args=[report.pk]), {"about": str(elsewhere.pk), "question": "Kept text."}
    )
    assert response.status_code == 200
    assert "Select the point your question is about, or the whole report" in response.text
    assert "Kept text." in response.text
    with pytest.raises(ValidationError, match="Select the point"):
        clarification_ask(report=report, user=cast.product_manager, rating_id=elsewhere.pk, question="Why?")
    assert Clarification.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Enter your question"), ("q" * (QUESTION_LIMIT + 1), f"{QUESTION_LIMIT:,} characters or fewer")],
)
def test_an_empty_or_too_long_question_is_refused_and_kept(cast, text, message):
    report = report_in(ReportStatus.SHARED, cast)
    response = signed_in(cast.product_manager).post(
        reverse("delivery:ask_question", args=[report.pk]), {"about": "whole", "question": text}
    )
    assert response.status_code == 200 and message in response.text and "govuk-error-summary" in response.text
    if text.strip():
        assert text in response.text
    assert Clarification.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Enter the answer"), ("a" * (ANSWER_LIMIT + 1), f"{ANSWER_LIMIT:,} characters or fewer")],
)
def test_an_empty_or_too_long_answer_is_refused_and_kept(cast, text, message):
    report = report_in(ReportStatus.SHARED, cast)
    question = clarification_ask(report=report, user=cast.product_manager, rating_id=None, question="Why?")
    response = signed_in(cast.assessment_team).post(
        reverse("assessment_team:answer_question", args=[report.pk, question.pk]), {"answer": text}
    )
    assert response.status_code == 200 and message in response.text and "govuk-error-summary" in response.text
    assert f'href="#answer-{question.pk}-answer"' in response.text
    assert text in response.text
    question.refresh_from_db()
    assert question.is_open


def test_a_second_answer_to_the_same_question_is_refused(cast, shared):
    question = ask(shared, cast.product_manager, datetime.date(2026, 12, 17))
    team = signed_in(cast.assessment_team)
    url = reverse("assessment_team:answer_question", args=[shared.pk, question.pk])
    # Both opened the page while the question was open; the first to send wins.
    assert team.post(url, {"answer": "First answer."}).status_code == 302
    response = signed_in(cast.superuser).post(url, {"answer": "Second answer, typed at once."})
    assert response.status_code == 200
    assert f"{cast.assessment_team.get_full_name()} answered this question on" in response.text
    assert "Second answer, typed at once." in response.text
    question.refresh_from_db()
    assert question.answer == "First answer." and question.answered_by == cast.assessment_team


def test_people_who_may_not_answer(cast):
    report = report_in(ReportStatus.SHARED, cast)
    question = clarification_ask(report=report, user=cast.product_manager, rating_id=None, question="Why?")
    url = reverse("assessment_team:answer_question", args=[report.pk, question.pk])
    for person, expected in [
        (cast.product_manager, 404),
        (cast.plus, 404),
        (cast.lead, 404),
        (cast.other_service_product_manager, 404),
    ]:
        assert signed_in(person).post(url, {"answer": "Mine."}).status_code == expected, person
    # A question of another report, through this report's address: not found.
    other = make_cast()
    other_report = report_in(ReportStatus.SHARED, other)
    elsewhere = clarification_ask(report=other_report, user=other.product_manager, rating_id=None, question="Hm?")
    wrong = reverse("assessment_team:answer_question", args=[report.pk, elsewhere.pk])
    assert signed_in(cast.assessment_team).post(wrong, {"answer": "Mine."}).status_code == 404
    assert Clarification.objects.filter(answered_at__isnull=False).count() == 0


def test_answering_after_the_report_was_accepted_moves_nothing(cast, shared):
    question = ask(shared, cast.product_manager, datetime.date(2026, 12, 17))
    transitions.report_transition(report=shared, name="accept", user=cast.product_manager)
    answered = answer(question, cast.assessment_team, datetime.date(2026, 12, 22))
    assert answered.working_days_added is None and due_of(shared) == DUE


def test_a_question_left_open_through_a_challenge_holds_up_no_later_deadline(
    cast, shared, fake_notify, django_capture_on_commit_callbacks
):
    """A question about the report as first shared does not stop the clock of the report shared again after a
    challenge; answered then, it says so, and its link leads to a page the person can open."""
    question = ask(shared, cast.product_manager, datetime.date(2026, 12, 17))
    transitions.report_transition(report=shared, name="challenge", user=cast.product_manager, comment="Point 6.")
    ReportPage.objects.filter(pk=shared.pk).update(status=ReportStatus.CHECKED)
    transitions.report_transition(report=ReportPage.objects.get(pk=shared.pk), name="share", user=cast.assessment_team)
    ReportPage.objects.filter(pk=shared.pk).update(shared_at=at(datetime.date(2026, 12, 21)))
    report = ReportPage.objects.get(pk=shared.pk)

    assert selectors.response_clock_stopped_on(report) is None
    assert not selectors.response_deadline(report).stopped_on
    ask(report, cast.product_manager, datetime.date(2026, 12, 22))
    assert selectors.response_clock_stopped_on(report) == datetime.date(2026, 12, 22)

    transitions.report_transition(report=report, name="challenge", user=cast.product_manager, comment="Still 6.")
    with django_capture_on_commit_callbacks(execute=True):
        answer(question, cast.assessment_team, datetime.date(2026, 12, 23))
    [email] = sent(fake_notify, kinds.CLARIFICATION_ANSWERED)
    assert email["personalisation"]["what_next"] == (
        "The report is no longer waiting for your response, so this answer changes no deadline."
    )
    link = email["personalisation"]["report_link"].removeprefix("http://testserver")
    assert signed_in(cast.product_manager).get(link).status_code == 200
