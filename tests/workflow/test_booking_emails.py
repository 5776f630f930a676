"""The emails of booking an assessment and seating its panel, through the booking pages and the admin, the real
client and the fake Notify: who gets each, what it says, and that every link opens for the person it was sent to."""

import datetime
from urllib.parse import urlsplit

import pytest

from notify import kinds
from notify.models import OutboxEmail
from tests.cast import make_cast, signed_in
from tests.notify_fixtures import addresses, running_fake_notify, sent
from workflow import emails
from workflow.models import BookingRequest, PanelMember, PanelRole, Phase
from workflow.services.booking import booking_accept, booking_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


@pytest.fixture
def cast():
    return make_cast(date=datetime.date(2026, 6, 1))


def opens_for(link, user, *shows):
    """An email's link, opened by its recipient: the page itself (no redirect), showing what the email promised."""
    response = signed_in(user).get(urlsplit(link).path)
    for text in shows:
        assert text in response.content.decode(), text
    return response.status_code


def complete(email, kind):
    assert set(email["personalisation"]) == set(kinds.KINDS[kind].personalisation)
    assert all(value not in ("", None, []) for value in email["personalisation"].values()), email["personalisation"]
    return email["personalisation"]


def ask(cast, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(cast.product_manager).post(
            "/bookings/new/",
            {"service": cast.assessment.service.pk, "kind": "assessment", "phase": "public_beta", **fields},
        )
    assert response.status_code == 302
    return BookingRequest.objects.get()


def accept(cast, booking, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(cast.assessment_team).post(
            f"/admin/bookings/decide/{booking.pk}/",
            {
                "decision": "accept",
                "date": "2026-12-01",
                "panel_lead": cast.lead.pk,
                "panel_design": cast.researcher.pk,
            },
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    return booking


def test_a_request_tells_the_service_assessment_team(cast, fake_notify, django_capture_on_commit_callbacks):
    booking = ask(cast, django_capture_on_commit_callbacks, preferred_dates="Any <Tuesday> in May")

    assert addresses(fake_notify, kinds.BOOKING_RECEIVED) == [cast.assessment_team.email]
    [email] = sent(fake_notify, kinds.BOOKING_RECEIVED)
    personalisation = complete(email, kinds.BOOKING_RECEIVED)
    assert personalisation["requested_by"] == cast.product_manager.get_full_name()
    assert personalisation["service_name"] == cast.assessment.service.name
    assert personalisation["stage"] == "Public beta assessment"
    assert personalisation["preferred_dates"] == "Any <Tuesday> in May"
    assert urlsplit(personalisation["booking_link"]).path == f"/admin/bookings/decide/{booking.pk}/"
    assert opens_for(personalisation["booking_link"], cast.assessment_team) == 200


def test_no_preferred_dates_says_none_given(cast, fake_notify, django_capture_on_commit_callbacks):
    ask(cast, django_capture_on_commit_callbacks, preferred_dates="  ")
    [email] = sent(fake_notify, kinds.BOOKING_RECEIVED)
    assert email["personalisation"]["preferred_dates"] == "None given"


def test_accepting_tells_the_team_the_date_and_panel_and_each_panel_member(
    cast, fake_notify, django_capture_on_commit_callbacks
):
    booking = ask(cast, django_capture_on_commit_callbacks)
    booking = accept(cast, booking, django_capture_on_commit_callbacks)

    # The product manager asked and is on the team: one email each.
    team = [cast.product_manager, cast.delivery_manager, cast.sro]
    assert addresses(fake_notify, kinds.BOOKING_ACCEPTED) == sorted(person.email for person in team)
    for email in sent(fake_notify, kinds.BOOKING_ACCEPTED):
        personalisation = complete(email, kinds.BOOKING_ACCEPTED)
        assert personalisation["assessment_date"] == "1 December 2026"
        assert personalisation["panel"] == [
            f"{cast.lead.get_full_name()}, Lead assessor",
            f"{cast.researcher.get_full_name()}, Design assessor",
        ]
        recipient = next(person for person in team if person.email == email["email_address"])
        assert urlsplit(personalisation["dashboard_link"]).path == "/bookings/"
        assert (
            opens_for(personalisation["dashboard_link"], recipient, cast.assessment.service.name, "1 December 2026")
            == 200
        )

    assert addresses(fake_notify, kinds.PANEL_APPOINTED) == sorted([cast.lead.email, cast.researcher.email])
    for email in sent(fake_notify, kinds.PANEL_APPOINTED):
        personalisation = complete(email, kinds.PANEL_APPOINTED)
        person = cast.lead if email["email_address"] == cast.lead.email else cast.researcher
        assert personalisation["panel_role"] == ("lead assessor" if person == cast.lead else "design assessor")
        assert personalisation["assessment_date"] == "1 December 2026"
        assert personalisation["stage"] == "Public beta assessment"
        # The new assessment is on the dashboard the link leads to.
        assert urlsplit(personalisation["dashboard_link"]).path == "/assessor/"
        assert (
            opens_for(personalisation["dashboard_link"], person, cast.assessment.service.name, "1 December 2026") == 200
        )


def test_rejecting_tells_the_team_the_reason(cast, fake_notify, django_capture_on_commit_callbacks):
    booking = ask(cast, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(cast.assessment_team).post(
            f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": "No panel in <May> & June."}
        )

    team = [cast.product_manager, cast.delivery_manager, cast.sro]
    assert addresses(fake_notify, kinds.BOOKING_REJECTED) == sorted(person.email for person in team)
    for email in sent(fake_notify, kinds.BOOKING_REJECTED):
        personalisation = complete(email, kinds.BOOKING_REJECTED)
        assert personalisation["reason"] == "No panel in <May> & June."
        recipient = next(person for person in team if person.email == email["email_address"])
        shown = "No panel in &lt;May&gt; &amp; June."
        assert opens_for(personalisation["dashboard_link"], recipient, cast.assessment.service.name, shown) == 200
    assert not sent(fake_notify, kinds.PANEL_APPOINTED)


def test_a_seat_given_in_the_admin_emails_its_person_once(cast, fake_notify, django_capture_on_commit_callbacks):
    team = signed_in(cast.assessment_team)
    newcomer = cast.assessor_not_on_panel
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(
            "/admin/panel_members/new/",
            {"assessment": cast.assessment.pk, "user": newcomer.pk, "role": PanelRole.TECHNICAL},
        )
    assert response.status_code == 302, response.content[:500]
    seat = PanelMember.objects.get(user=newcomer)
    [email] = sent(fake_notify, kinds.PANEL_APPOINTED)
    assert email["email_address"] == newcomer.email
    assert complete(email, kinds.PANEL_APPOINTED)["panel_role"] == "technical assessor"
    assert opens_for(email["personalisation"]["dashboard_link"], newcomer, cast.assessment.service.name) == 200

    # Saving the seat again (another role) is the same appointment: no second email.
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(
            f"/admin/panel_members/edit/{seat.pk}/",
            {"assessment": cast.assessment.pk, "user": newcomer.pk, "role": PanelRole.DESIGN},
        )
    assert response.status_code == 302
    assert len(sent(fake_notify, kinds.PANEL_APPOINTED)) == 1


def test_the_demos_past_sends_no_booking_or_panel_email(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), emails.none_for_past_events():
        booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PUBLIC_BETA)
        booking_accept(
            booking=booking, user=cast.assessment_team, date=datetime.date(2026, 12, 1), panel=[(cast.lead, "lead")]
        )
    assert not OutboxEmail.objects.filter(
        kind__in=[kinds.BOOKING_RECEIVED, kinds.BOOKING_ACCEPTED, kinds.PANEL_APPOINTED]
    ).exists()


def test_a_refused_seat_sends_nothing(cast, django_capture_on_commit_callbacks):
    # Someone on the service's delivery team cannot sit on its panel: the form refuses, and nobody is emailed.
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(cast.superuser).post(
            "/admin/panel_members/new/",
            {"assessment": cast.assessment.pk, "user": cast.product_manager.pk, "role": PanelRole.TECHNICAL},
        )
    assert response.status_code == 200
    assert not OutboxEmail.objects.filter(kind=kinds.PANEL_APPOINTED).exists()
