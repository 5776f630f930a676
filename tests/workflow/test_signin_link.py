"""Sign-in links by email: one use, 15 minutes, and no way to learn who has an account."""

import datetime
import time

import pytest
import sesame.tokens_v2
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.utils import timezone

from notify import kinds
from notify.models import OutboxEmail, OutboxStatus
from tests.factories import UserFactory
from tests.notify_fixtures import running_fake_notify, sent
from workflow import emails, roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


FORM = "/sign-in/link/"
SENT = "/sign-in/link/sent/"


@pytest.fixture
def person():
    return UserFactory(email="Pat.Williams@Example.gov.uk", groups=[roles.DELIVERY_TEAM_MEMBERS])


def ask_for_link(client, address, capture):
    with capture(execute=True):
        return client.post(FORM, {"email": address})


def link_from(server) -> str:
    [email] = sent(server, kinds.SIGN_IN_LINK)
    return email["personalisation"]["sign_in_link"]


def path_of(link: str) -> str:
    assert link.startswith("http://testserver/sign-in/link/")
    return link.removeprefix("http://testserver")


def test_the_form_asks_for_an_email_address(client):
    page = client.get(FORM)

    assert page.status_code == 200
    assert 'type="email"' in page.text
    assert 'autocomplete="email"' in page.text
    assert "Get a sign-in link" in page.text


def test_an_invalid_address_is_an_error_on_the_form(client):
    page = client.post(FORM, {"email": "not an address"})

    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "Enter an email address in the correct format, like name@example.com" in page.text
    assert client.post(FORM, {"email": ""}).text.count("Enter your email address") >= 1


def test_a_known_address_gets_a_link_that_signs_in_once(
    client, person, fake_notify, django_capture_on_commit_callbacks
):
    response = ask_for_link(client, "pat.williams@example.gov.uk", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == SENT
    [email] = sent(fake_notify, kinds.SIGN_IN_LINK)
    assert email["email_address"] == person.email
    assert email["personalisation"]["expires_in"] == "15 minutes"
    assert email["personalisation"]["name"] == person.get_full_name()
    link = path_of(link_from(fake_notify))

    landing = client.get(link)
    assert landing.status_code == 200
    assert "Sign in" in landing.text
    assert landing["Referrer-Policy"] == "same-origin"
    assert "_auth_user_id" not in client.session  # opening the link (an email scanner, say) does not use it

    signed_in = client.post(link)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/dashboard/"
    assert client.session["_auth_user_id"] == str(person.pk)

    client.logout()
    again = client.post(link)
    assert "This sign-in link has expired" in again.text
    assert "_auth_user_id" not in client.session
    assert "This sign-in link has expired" in client.get(link).text


def test_the_link_expires_after_15_minutes(
    client, person, fake_notify, monkeypatch, django_capture_on_commit_callbacks
):
    ask_for_link(client, person.email, django_capture_on_commit_callbacks)
    link = path_of(link_from(fake_notify))
    issued = time.time()

    class Clock:
        offset = 0

        @classmethod
        def time(cls):
            return issued + cls.offset

    monkeypatch.setattr(sesame.tokens_v2, "time", Clock)
    Clock.offset = 15 * 60 + 2
    assert "This sign-in link has expired" in client.post(link).text
    assert "_auth_user_id" not in client.session

    Clock.offset = 15 * 60 - 30
    assert client.post(link).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, fake_notify, django_capture_on_commit_callbacks):
    response = ask_for_link(client, "nobody@example.gov.uk", django_capture_on_commit_callbacks)

    assert (response.status_code, response["Location"]) == (302, SENT)
    assert "If there is an account for that address" in client.get(SENT).text
    assert OutboxEmail.objects.count() == 0
    assert sent(fake_notify) == []


def test_an_inactive_account_gets_no_link(client, person, fake_notify, django_capture_on_commit_callbacks):
    person.is_active = False
    person.save()

    ask_for_link(client, person.email, django_capture_on_commit_callbacks)

    assert sent(fake_notify) == []


def test_asking_again_and_again_sends_one_email_a_minute(
    client, person, fake_notify, monkeypatch, django_capture_on_commit_callbacks
):
    # All five within one minute, however slowly the machine runs them: the rule counts calendar minutes.
    monkeypatch.setattr(emails, "timezone", StoppedClock())
    for _ in range(5):
        ask_for_link(client, person.email, django_capture_on_commit_callbacks)

    assert len(sent(fake_notify, kinds.SIGN_IN_LINK)) == 1


def test_the_link_is_not_kept_once_sent(client, person, fake_notify, django_capture_on_commit_callbacks):
    ask_for_link(client, person.email, django_capture_on_commit_callbacks)

    email = OutboxEmail.objects.get(kind=kinds.SIGN_IN_LINK)
    assert email.status == OutboxStatus.SENT
    assert email.personalisation["sign_in_link"] == "(removed once sent)"


def test_a_made_up_token_does_not_sign_in(client, person):
    assert "This sign-in link has expired" in client.post("/sign-in/link/AAAAAAAAAAAAAAAAAAAAAAAAAAAA/").text
    assert "_auth_user_id" not in client.session


def test_staff_can_still_sign_in_with_a_password(client):
    get_user_model().objects.create_user("staff", "staff@example.gov.uk", "a-long-staff-password", is_staff=True)

    response = client.post("/sign-in/", {"username": "staff", "password": "a-long-staff-password"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


# --- asking too often ---------------------------------------------------------------------------------------


class StoppedClock:
    """django.utils.timezone as workflow.emails sees it, stopped in the middle of a minute."""

    def __init__(self):
        self.at = timezone.now().replace(second=30, microsecond=0)

    def now(self):
        return self.at

    def __getattr__(self, name):
        return getattr(timezone, name)


class MinuteByMinute:
    """django.utils.timezone as workflow.emails sees it, an hour from now and a minute later each time it is asked,
    so that each request for a link is in a minute of its own and not held back by the one-email-a-minute rule."""

    def __init__(self):
        self.at = timezone.now()

    def now(self):
        self.at += datetime.timedelta(minutes=1)
        return self.at

    def __getattr__(self, name):
        return getattr(timezone, name)


@pytest.fixture
def minute_by_minute(monkeypatch):
    monkeypatch.setattr(emails, "timezone", MinuteByMinute())


LOCKED_OUT = "You cannot sign in at the moment"


def test_the_sixth_request_for_one_address_within_an_hour_is_refused_and_sends_nothing(
    client, person, fake_notify, minute_by_minute, django_capture_on_commit_callbacks
):
    for _ in range(5):
        response = ask_for_link(client, person.email, django_capture_on_commit_callbacks)
        assert (response.status_code, response["Location"]) == (302, SENT)
    assert len(sent(fake_notify, kinds.SIGN_IN_LINK)) == 5

    # The same address however it is typed.
    sixth = ask_for_link(client, " PAT.WILLIAMS@example.gov.uk", django_capture_on_commit_callbacks)

    assert sixth.status_code == 429
    assert LOCKED_OUT in sixth.text
    assert "Too many sign-in links have been asked for" in sixth.text
    assert "get a sign-in link by email</a> instead" not in sixth.text  # the page that just refused
    assert len(sent(fake_notify, kinds.SIGN_IN_LINK)) == 5
    assert OutboxEmail.objects.filter(kind=kinds.SIGN_IN_LINK).count() == 5

    # Another address from the same client, and the same address from another client, are not held back.
    other = UserFactory(email="sam.jones@example.gov.uk")
    assert ask_for_link(client, other.email, django_capture_on_commit_callbacks).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        elsewhere = client.post(FORM, {"email": person.email}, REMOTE_ADDR="192.0.2.44")
    assert elsewhere.status_code == 302
    assert [email["email_address"] for email in sent(fake_notify, kinds.SIGN_IN_LINK)[5:]] == [
        other.email,
        person.email,
    ]


def test_an_address_with_no_account_is_held_back_alike_so_the_limit_tells_nobody_who_has_one(client):
    for _ in range(5):
        assert client.post(FORM, {"email": "nobody@example.gov.uk"}).status_code == 302
    assert client.post(FORM, {"email": "nobody@example.gov.uk"}).status_code == 429


def test_an_hour_later_the_address_may_ask_again(
    client, person, fake_notify, minute_by_minute, django_capture_on_commit_callbacks
):
    for _ in range(5):
        ask_for_link(client, person.email, django_capture_on_commit_callbacks)
    assert ask_for_link(client, person.email, django_capture_on_commit_callbacks).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=1, seconds=1))

    assert ask_for_link(client, person.email, django_capture_on_commit_callbacks).status_code == 302
    assert len(sent(fake_notify, kinds.SIGN_IN_LINK)) == 6


@pytest.fixture
def named_by_email():
    """Someone whose username is their email address, as the team may create accounts."""
    user = UserFactory(username="kim.lee@example.gov.uk", email="kim.lee@example.gov.uk", is_staff=True)
    user.set_password("a-long-staff-password")
    user.save()
    return user


def test_asking_for_links_does_not_lock_out_a_password_whose_username_is_the_same_address(client, named_by_email):
    for _ in range(5):
        client.post(FORM, {"email": named_by_email.email})
    assert client.post(FORM, {"email": named_by_email.email}).status_code == 429

    response = client.post("/sign-in/", {"username": named_by_email.username, "password": "a-long-staff-password"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(named_by_email.pk)


def test_a_password_lockout_still_lets_the_person_get_a_sign_in_link(client, named_by_email):
    # The lockout page offers a sign-in link instead; asking for one must work.
    for _ in range(5):
        client.post("/sign-in/", {"username": named_by_email.username, "password": "wrong-password"})
    assert (
        client.post("/sign-in/", {"username": named_by_email.username, "password": "a-long-staff-password"}).status_code
        == 429
    )

    assert client.post(FORM, {"email": named_by_email.email}).status_code == 302


def test_the_longest_address_allowed_is_counted_too(client):
    # 254 characters: with the key's prefix, longer than django-axes stores (PostgreSQL would refuse it).
    address = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".uk"
    assert len(address) == 254
    for _ in range(5):
        assert client.post(FORM, {"email": address}).status_code == 302
    assert client.post(FORM, {"email": address}).status_code == 429
