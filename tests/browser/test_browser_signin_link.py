"""The emailed sign-in link in a real Chromium, as a person uses it: ask for a link, open the email on the fake
Notify server's page, follow the link in it, press "Sign in", and arrive signed in. (The CSRF check once refused
that last press in every real browser: the page's referrer policy made Chromium send `Origin: null`.)"""

import pytest

from tests.factories import UserFactory
from tests.notify_fixtures import running_fake_notify
from workflow import roles

from .test_browser_pages import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def fake_notify(settings, live_server):
    settings.BASE_URL = live_server.url
    with running_fake_notify(settings) as server:
        yield server


def test_a_link_opened_from_the_email_signs_the_person_in(page, live_server, fake_notify):
    person = UserFactory(email="pat.williams@example.gov.uk", groups=[roles.DELIVERY_TEAM_MEMBERS])

    page.goto(f"{live_server.url}/sign-in/link/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_role("button", name="Send me a link").click()
    assert "/sign-in/link/sent/" in page.url

    # The email, as the person reads it.
    page.goto(fake_notify.base_url + "/")
    link = page.locator("article").first.get_by_role("link")
    assert link.count() == 1
    assert link.get_attribute("href").startswith(f"{live_server.url}/sign-in/link/")
    link.click()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign in").click()

    assert page.url == f"{live_server.url}/dashboard/" or "/team/" in page.url
    assert page.locator("h1").count() == 1
    assert "Origin checking failed" not in page.content()
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert "sessionid" in cookies
    # Signed in: the delivery team's own page opens without a sign-in step.
    response = page.goto(f"{live_server.url}/team/")
    assert response.status == 200
    assert "/sign-in/" not in page.url
