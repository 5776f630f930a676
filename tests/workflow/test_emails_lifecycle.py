"""Each status change emails the right people, through the outbox, the real client and the fake Notify."""

import pytest
from django.db import transaction
from django.urls import reverse

from notify import kinds
from notify.models import OutboxEmail, OutboxStatus
from tests.cast import make_cast, report_in, signed_in
from tests.notify_fixtures import addresses, running_fake_notify, sent, template_id
from workflow.emails import STATUS_CHANGE_EMAILS, queue_for_status_change, status_change_event
from workflow.models import ReportStatus
from workflow.services import transitions
from workflow.transitions import TRANSITIONS, ReportTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


def emails_of(user_list):
    return sorted(user.email for user in user_list)


def only(server, kind):
    [email] = sent(server, kind)
    return email


def assert_complete(email, kind):
    """Exactly the kind's personalisation, none of it blank."""
    assert set(email["personalisation"]) == set(kinds.KINDS[kind].personalisation)
    assert all(value not in ("", None, []) for value in email["personalisation"].values()), email["personalisation"]


def test_submitting_tells_the_service_assessment_team(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.SUBMIT, user=cast.lead)

    assert addresses(fake_notify, kinds.REPORT_SUBMITTED) == emails_of([cast.assessment_team])
    email = only(fake_notify, kinds.REPORT_SUBMITTED)
    assert_complete(email, kinds.REPORT_SUBMITTED)
    assert email["personalisation"]["service_name"] == cast.assessment.service.name
    assert email["personalisation"]["stage"] == "Alpha assessment"
    assert email["personalisation"]["assessment_date"] == "1 October 2026"
    assert email["personalisation"]["lead_assessor"] == cast.lead.get_full_name()
    assert email["personalisation"]["report_link"] == "http://testserver" + reverse(
        "assessment_team:report", args=[report.pk]
    )
    assert cast.assessment.service.name in email["subject"]
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts, str(row.notify_id), email["reference"]) == (
        OutboxStatus.SENT,
        1,
        email["id"],
        str(row.pk),
    )


def test_returning_tells_the_lead_assessor_with_the_comment(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.SUBMITTED, cast)

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(
            report=report,
            name=ReportTransition.RETURN,
            user=cast.assessment_team,
            comment="Point 6 needs <evidence> & detail.",
        )

    email = only(fake_notify, kinds.REPORT_RETURNED)
    assert email["email_address"] == cast.lead.email
    assert_complete(email, kinds.REPORT_RETURNED)
    assert email["personalisation"]["comment"] == "Point 6 needs <evidence> & detail."
    assert sent(fake_notify) == [email]


def test_sharing_tells_the_product_and_delivery_managers_and_sro_with_the_deadline(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report = report_in(ReportStatus.CHECKED, cast)

    with django_capture_on_commit_callbacks(execute=True):
        report = transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)

    assert addresses(fake_notify, kinds.REPORT_SHARED) == emails_of(
        [cast.product_manager, cast.delivery_manager, cast.sro]
    )
    for email in sent(fake_notify, kinds.REPORT_SHARED):
        assert_complete(email, kinds.REPORT_SHARED)
        due = report.response_due
        assert email["personalisation"]["response_deadline"] == f"{due.day} {due:%B %Y}"
        assert email["personalisation"]["report_link"] == "http://testserver" + reverse(
            "delivery:report", args=[report.pk]
        )
        assert str(report.response_due.year) in email["body"]
    assert len(sent(fake_notify)) == 3


def test_a_challenge_tells_the_plus_team_and_the_panel_with_the_reasons(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(
            report=report, name=ReportTransition.CHALLENGE, user=cast.delivery_manager, comment="Point 6 was green."
        )

    assert addresses(fake_notify, kinds.CHALLENGE_RECEIVED) == emails_of(
        [cast.plus, cast.lead, cast.researcher, cast.observer]
    )
    links = {}
    for email in sent(fake_notify, kinds.CHALLENGE_RECEIVED):
        assert_complete(email, kinds.CHALLENGE_RECEIVED)
        assert email["personalisation"]["reasons"] == "Point 6 was green."
        assert email["personalisation"]["challenged_by"] == cast.delivery_manager.get_full_name()
        links[email["email_address"]] = email["personalisation"]["report_link"]
    # Each to the report on their own pages.
    assert links[cast.plus.email] == "http://testserver" + reverse("plus:report", args=[report.pk])
    assert links[cast.lead.email] == "http://testserver" + reverse("assessor:report", args=[report.pk])


def test_resolving_a_challenge_tells_the_assessment_team_the_report_is_ready_to_check_again(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report = report_in(ReportStatus.CHALLENGED, cast)

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(
            report=report, name=ReportTransition.RESOLVE, user=cast.plus, comment="Point 6 now green."
        )

    assert addresses(fake_notify, kinds.REPORT_SUBMITTED) == emails_of([cast.assessment_team])


def test_publishing_tells_the_delivery_team_and_panel_with_the_public_link(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)

    with django_capture_on_commit_callbacks(execute=True):
        report = transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=cast.product_manager)

    assert addresses(fake_notify, kinds.REPORT_PUBLISHED) == emails_of(
        [cast.product_manager, cast.delivery_manager, cast.sro, cast.lead, cast.researcher, cast.observer]
    )
    email = sent(fake_notify, kinds.REPORT_PUBLISHED)[0]
    assert_complete(email, kinds.REPORT_PUBLISHED)
    assert email["personalisation"]["public_link"] == "http://testserver" + report.get_url_parts()[2]
    assert email["personalisation"]["overall_rating"] == "Amber"
    assert sent(fake_notify, kinds.REASSESSMENT_NEEDED) == []  # no red point


def test_a_red_point_tells_the_delivery_team_a_reassessment_is_needed(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast, letters="ggrggaggggrggg")

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=cast.product_manager)

    assert addresses(fake_notify, kinds.REASSESSMENT_NEEDED) == emails_of(
        [cast.product_manager, cast.delivery_manager, cast.sro]
    )
    email = sent(fake_notify, kinds.REASSESSMENT_NEEDED)[0]
    assert_complete(email, kinds.REASSESSMENT_NEEDED)
    assert email["personalisation"]["red_points"] == [
        "Point 3: Provide a joined-up experience across all channels",
        "Point 11: Choose the right tools and technology",
    ]
    # Not "3. Provide…": inside Notify's bullet list that would start a numbered list and show as "1.".
    assert "* Point 3: Provide a joined-up experience across all channels" in email["body"]


def test_the_outbox_rows_are_written_in_the_transitions_transaction(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)

    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transitions.report_transition(report=report, name=ReportTransition.SUBMIT, user=cast.lead)
        assert OutboxEmail.objects.filter(kind=kinds.REPORT_SUBMITTED).count() == 1  # written, not yet sent
        raise RuntimeError("something after the transition failed")

    assert OutboxEmail.objects.count() == 0
    assert sent(fake_notify) == []


def test_a_refused_transition_writes_no_email(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)

    with pytest.raises(transitions.TransitionRefused), django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)

    assert OutboxEmail.objects.count() == 0


def test_a_status_change_handled_twice_sends_its_emails_once(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.CHECKED, cast)

    with django_capture_on_commit_callbacks(execute=True):
        report = transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)
    change = report.status_changes.last()
    with django_capture_on_commit_callbacks(execute=True):
        queue_for_status_change(change.pk)

    assert len(sent(fake_notify, kinds.REPORT_SHARED)) == 3
    assert OutboxEmail.objects.filter(event=status_change_event(change)).count() == 3


def test_people_without_an_email_address_or_inactive_get_nothing(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    cast.sro.email = ""
    cast.sro.save()
    cast.delivery_manager.is_active = False
    cast.delivery_manager.save()
    report = report_in(ReportStatus.CHECKED, cast)

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)

    assert addresses(fake_notify, kinds.REPORT_SHARED) == [cast.product_manager.email]


def test_without_a_template_id_the_email_is_failed_for_the_assessment_team_to_see(
    fake_notify, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_TEMPLATE_IDS = {}
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.SUBMIT, user=cast.lead)

    row = OutboxEmail.objects.get()
    assert row.status == OutboxStatus.FAILED
    assert "No Notify template id is set for “Report ready to check”" in row.last_error
    assert sent(fake_notify) == []


def test_every_email_a_transition_declares_is_a_catalogued_kind_the_workflow_writes():
    """The transition table says which emails a status change sends; each must be a Notify template (a kind) and
    have a writer, so that declaring an email in the table is all it takes, and a typo fails here, not in use."""
    declared = {kind for spec in TRANSITIONS.values() for kind in spec.emails}
    assert declared <= set(kinds.KINDS)
    assert declared == set(STATUS_CHANGE_EMAILS)


def test_a_transition_that_declares_no_email_sends_none(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in(ReportStatus.SUBMITTED, cast)
    before = set(OutboxEmail.objects.values_list("pk", flat=True))  # from getting the report to its status

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.CHECK, user=cast.assessment_team)

    assert not OutboxEmail.objects.exclude(pk__in=before).exists()


def test_accepting_a_report_that_is_published_sends_only_publishings_emails(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    report = report_in(ReportStatus.SHARED, cast)
    before = set(OutboxEmail.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=cast.product_manager)

    # Accepting wrote no email in its transaction, so its emails were worked out again after commit, with the report
    # published by then: still none of its own.
    assert {row.kind for row in OutboxEmail.objects.exclude(pk__in=before)} == {kinds.REPORT_PUBLISHED}
    assert sent(fake_notify, kinds.REPORT_ACCEPTED_UNPUBLISHED) == []


def test_accepting_a_confidential_report_tells_the_delivery_team_panel_and_assessment_team_where_to_read_it(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast(confidential=True)
    report = report_in(ReportStatus.SHARED, cast)
    before = len(sent(fake_notify))

    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=cast.product_manager)

    assert [email["template_id"] for email in sent(fake_notify)[before:]] == [
        template_id(kinds.REPORT_ACCEPTED_UNPUBLISHED)
    ] * 7
    links = {
        "delivery:report": [cast.product_manager, cast.delivery_manager, cast.sro],
        "assessor:report": [cast.lead, cast.researcher, cast.observer],
        "assessment_team:report": [cast.assessment_team],
    }
    assert addresses(fake_notify, kinds.REPORT_ACCEPTED_UNPUBLISHED) == emails_of(
        [person for people in links.values() for person in people]
    )
    received = {email["email_address"]: email for email in sent(fake_notify, kinds.REPORT_ACCEPTED_UNPUBLISHED)}
    for page, people in links.items():
        for person in people:
            email = received[person.email]
            assert_complete(email, kinds.REPORT_ACCEPTED_UNPUBLISHED)
            assert email["personalisation"]["overall_rating"] == "Amber"
            link = email["personalisation"]["report_link"]
            assert link == "http://testserver" + reverse(page, args=[report.pk])
            assert signed_in(person).get(link).status_code == 200, (person.email, link)
    assert "so its report is never published" in received[cast.product_manager.email]["body"]
