"""The email outbox and the Notify template ids in the Wagtail admin."""

import uuid

import pytest
from django.urls import reverse

from notify import kinds
from notify.models import NotifyTemplates, OutboxEmail, OutboxStatus
from workflow import roles
from workflow.models import ReportStatus

from ..cast import make_cast, report_in
from ..factories import UserFactory
from ..notify_fixtures import running_fake_notify, sent, template_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


INDEX = "/admin/outbox/"


def outbox_email(status=OutboxStatus.SENT, address="sam@example.gov.uk", kind=kinds.REPORT_RETURNED, **fields):
    personalisation = {name: f"the {name}" for name in kinds.KINDS[kind].personalisation}
    return OutboxEmail.objects.create(
        kind=kind,
        template_id=template_id(kind),
        email_address=address,
        personalisation=personalisation,
        idempotency_key=f"test:{uuid.uuid4()}",
        status=status,
        **fields,
    )


@pytest.fixture
def assessment_team_client(client):
    client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    return client


def test_the_assessment_team_sees_each_emails_status_attempts_and_last_error(assessment_team_client):
    outbox_email(OutboxStatus.FAILED, "kim@example.gov.uk", attempts=10, last_error="Gave up after 10 attempts.")
    outbox_email(OutboxStatus.DELIVERED, "sam@example.gov.uk", attempts=1)

    response = assessment_team_client.get(INDEX)

    assert response.status_code == 200
    page = response.text
    assert "Report returned to the panel to kim@example.gov.uk" in page
    assert "Failed" in page and "Delivered" in page
    assert "Gave up after 10 attempts." in page
    assert "Resend" in page


def test_the_outbox_filters_by_status_and_searches_by_address(assessment_team_client):
    outbox_email(OutboxStatus.FAILED, "kim@example.gov.uk")
    outbox_email(OutboxStatus.SENT, "sam@example.gov.uk")
    outbox_email(OutboxStatus.SENT, "lee@example.gov.uk")

    failed = assessment_team_client.get(INDEX, {"status": "failed"}).text
    found = assessment_team_client.get(INDEX, {"q": "lee@"}).text

    assert "kim@example.gov.uk" in failed and "sam@example.gov.uk" not in failed
    assert "lee@example.gov.uk" in found and "kim@example.gov.uk" not in found


def test_the_inspect_view_shows_the_details_but_never_a_sign_in_link(assessment_team_client):
    email = outbox_email(OutboxStatus.FAILED, last_error="400 BadRequestError: Template not found")
    secret = outbox_email(kind=kinds.SIGN_IN_LINK)

    page = assessment_team_client.get(f"{INDEX}inspect/{email.pk}/").text
    secret_page = assessment_team_client.get(f"{INDEX}inspect/{secret.pk}/").text

    assert "400 BadRequestError: Template not found" in page
    assert f'href="{INDEX}resend/{email.pk}/"' in page
    assert "resend/" not in secret_page
    assert str(email.pk) in page
    assert "the comment" in page
    assert "the sign_in_link" not in secret_page
    assert "Not shown: it holds a sign-in link." in secret_page


def test_the_inspect_view_links_the_report_an_email_is_about(assessment_team_client):
    report = report_in(ReportStatus.SHARED, make_cast())
    about = outbox_email(subject=report, event="status-change:1")
    nothing = outbox_email(kind=kinds.SIGN_IN_LINK)

    page = assessment_team_client.get(f"{INDEX}inspect/{about.pk}/").text
    other = assessment_team_client.get(f"{INDEX}inspect/{nothing.pk}/").text

    assert f'<a href="/admin/assessment-reports/inspect/{report.pk}/">{report}</a>' in page
    assert "/admin/assessment-reports/inspect/" not in other


def test_resending_a_failed_email_sends_it(assessment_team_client, fake_notify, django_capture_on_commit_callbacks):
    email = outbox_email(OutboxStatus.FAILED, attempts=4, last_error="Gave up after 4 attempts.")
    resend_url = f"{INDEX}resend/{email.pk}/"

    assert "Yes, resend it" in assessment_team_client.get(resend_url).text
    with django_capture_on_commit_callbacks(execute=True):
        response = assessment_team_client.post(resend_url)

    assert response.status_code == 302
    assert response["Location"] == f"{INDEX}inspect/{email.pk}/"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)
    [notification] = sent(fake_notify)
    assert notification["reference"] == str(email.pk)


def test_resending_an_undelivered_email_sends_a_new_copy_once(
    assessment_team_client, fake_notify, django_capture_on_commit_callbacks
):
    email = outbox_email(OutboxStatus.PERMANENT_FAILURE, notify_id=uuid.uuid4())

    with django_capture_on_commit_callbacks(execute=True):
        assessment_team_client.post(f"{INDEX}resend/{email.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        assessment_team_client.post(f"{INDEX}resend/{email.pk}/")

    copy = OutboxEmail.objects.get(resent_from=email)
    assert copy.status == OutboxStatus.SENT
    assert [n["reference"] for n in sent(fake_notify)] == [str(copy.pk)]
    email.refresh_from_db()
    assert email.status == OutboxStatus.PERMANENT_FAILURE


def test_sent_emails_and_sign_in_links_cannot_be_resent(assessment_team_client, fake_notify):
    sent_email = outbox_email(OutboxStatus.SENT)
    sign_in = outbox_email(OutboxStatus.FAILED, kind=kinds.SIGN_IN_LINK)

    assessment_team_client.post(f"{INDEX}resend/{sent_email.pk}/")
    assessment_team_client.post(f"{INDEX}resend/{sign_in.pk}/")

    assert sent(fake_notify) == []
    assert OutboxEmail.objects.count() == 2
    sign_in.refresh_from_db()
    assert sign_in.status == OutboxStatus.FAILED


def test_nobody_adds_edits_or_deletes_outbox_rows(client):
    email = outbox_email(OutboxStatus.FAILED)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(INDEX).status_code == 200
    for url in (f"{INDEX}new/", f"{INDEX}edit/{email.pk}/", f"{INDEX}delete/{email.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/admin/" in response["Location"]
    assert OutboxEmail.objects.count() == 1


def test_the_admin_dashboard_tells_the_assessment_team_about_failed_emails(assessment_team_client):
    assert "could not be sent" not in assessment_team_client.get("/admin/").text

    outbox_email(OutboxStatus.FAILED)
    outbox_email(OutboxStatus.FAILED)
    outbox_email(OutboxStatus.PERMANENT_FAILURE)
    page = assessment_team_client.get("/admin/").text

    assert "Emails that could not be sent or delivered" in page
    assert "Failed: 2 emails" in page
    assert "Permanent failure: 1 email" in page


def test_the_assessment_team_sets_template_ids_and_they_apply_to_emails_queued_afterwards(
    assessment_team_client, fake_notify
):
    page = assessment_team_client.get(reverse("wagtailsettings:edit", args=["notify", "notifytemplates"]), follow=True)
    assert page.status_code == 200
    assert "((response_deadline))" in page.text  # each field says what its template is given
    assert 'name="feedback_survey_url"' not in page.text  # the survey link is not set here
    url = page.redirect_chain[-1][0]
    new_id = str(uuid.uuid4())

    response = assessment_team_client.post(
        url, {"report_returned": new_id, "feedback_survey_url": "https://survey.example.com/"}
    )

    assert response.status_code == 302
    settings_row = NotifyTemplates.current()
    assert settings_row.template_id(kinds.REPORT_RETURNED) == new_id
    assert settings_row.template_id(kinds.REPORT_SHARED) == template_id(kinds.REPORT_SHARED)  # blank: default
    # The feedback email links to the survey page, not to a link set here: a posted survey link is ignored.
    assert not hasattr(settings_row, "feedback_survey_url")
