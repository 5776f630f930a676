"""The feedback survey: a form page the team edits, with three default questions, answered once per link, each
answer tied to its assessment and exported as CSV."""

import csv
import io
import uuid

import pytest
from django.test import Client

from tests.cast import make_cast
from workflow.models import FeedbackInvitation, FeedbackSubmission, FeedbackSurveyPage
from workflow.services import feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def page():
    return feedback.survey_page()


def answers(page, **overrides):
    fields = list(page.get_form_fields())
    data = {}
    for field in fields:
        data[field.clean_name] = "Great" if field.field_type == "radio" else "Well run."
    data.update(overrides)
    return data


def path_of(link: str) -> str:
    return link[link.index("/", len("https://")) :]


def test_the_survey_is_made_once_with_the_three_default_questions(page):
    assert feedback.survey_page().pk == page.pk
    assert FeedbackSurveyPage.objects.count() == 1
    radios = [field for field in page.get_form_fields() if field.field_type == "radio"]
    assert [field.label for field in radios] == [
        "How was the assessment organised?",
        "How was the assessment on the day?",
        "How was using this service?",
    ]
    assert all(field.choices.splitlines() == ["Great", "Ok", "Not good"] for field in radios)
    comments = [field for field in page.get_form_fields() if field.field_type == "multiline"]
    assert len(comments) == 3 and not any(field.required for field in comments)


def test_a_link_works_once_and_ties_the_answer_to_its_assessment(cast, page):
    link = feedback.invitation_link(assessment=cast.assessment, email="Kim@Example.gov.uk")
    assert feedback.invitation_link(assessment=cast.assessment, email="kim@example.gov.uk") == link
    url = path_of(link)
    token = url.split("token=")[1]
    client = Client()

    form = client.get(url)
    assert form.status_code == 200 and "How was the assessment organised?" in form.text

    sent = client.post(url.split("?")[0], {**answers(page), "token": token})
    assert sent.status_code == 200 and "Feedback sent" in sent.text
    submission = FeedbackSubmission.objects.get()
    assert submission.assessment == cast.assessment
    assert FeedbackInvitation.objects.get().used_at is not None

    again = client.get(url)
    assert again.status_code == 410 and "This link has already been used" in again.text
    resent = client.post(url.split("?")[0], {**answers(page), "token": token})
    assert "This link has already been used" in resent.text
    assert FeedbackSubmission.objects.count() == 1


def test_without_a_valid_link_there_is_no_form(page):
    client = Client()
    for query in ("", f"?token={uuid.uuid4()}", "?token=nonsense"):
        response = client.get(page.url + query)
        assert response.status_code == 404 and "This link does not work" in response.text
    assert client.post(page.url, answers(page)).status_code == 404
    assert not FeedbackSubmission.objects.exists()


def test_comments_are_optional_and_at_most_500_characters(cast, page):
    invitation = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    comment = next(field for field in page.get_form_fields() if field.field_type == "multiline")
    client = Client()

    too_long = client.post(page.url, {**answers(page, **{comment.clean_name: "x" * 501}), "token": invitation.token})
    assert too_long.status_code == 200 and "500 characters or fewer" in too_long.text
    assert FeedbackInvitation.objects.get().used_at is None

    blank = client.post(page.url, {**answers(page, **{comment.clean_name: ""}), "token": invitation.token})
    assert "Feedback sent" in blank.text


def test_an_answer_is_needed_to_each_question(cast, page):
    invitation = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    radio = next(field for field in page.get_form_fields() if field.field_type == "radio")
    response = Client().post(page.url, {**answers(page, **{radio.clean_name: ""}), "token": invitation.token})
    assert "Select an answer to “How was the assessment organised?”" in response.text


def test_answers_export_as_csv_with_the_assessment(cast, page):
    invitation = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    Client().post(page.url, {**answers(page), "token": invitation.token})
    assessment_team = Client()
    assessment_team.force_login(cast.assessment_team)

    response = assessment_team.get(f"/admin/forms/submissions/{page.pk}/", {"export": "csv"})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Assessment", "Submission date"]
    assert rows[1][0] == str(cast.assessment)
    assert "Great" in rows[1]


def test_the_assessment_team_sees_who_was_asked_and_who_answered(cast, page):
    used = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    feedback.invitation(assessment=cast.assessment, email="sam@example.gov.uk")
    Client().post(page.url, {**answers(page), "token": used.token})
    assessment_team = Client()
    assessment_team.force_login(cast.assessment_team)

    listing = assessment_team.get("/admin/feedback_invitations/")

    assert listing.status_code == 200
    assert "kim@example.gov.uk" in listing.text and "sam@example.gov.uk" in listing.text
    assert "/admin/feedback_invitations/new/" not in listing.text
    assert assessment_team.get(f"/admin/feedback_invitations/edit/{used.pk}/").status_code in (302, 403)
    lead = Client()
    lead.force_login(cast.lead)
    assert lead.get("/admin/feedback_invitations/").status_code == 302
