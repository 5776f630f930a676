"""Every link in every email works where the email was made, and one public address (BASE_URL) drives them all.

The lifecycle test runs the service on a live server whose address is BASE_URL, drives one report through its
whole life (the daily emails by the daily job with the clock moved on), and follows every link of every email the
fake Notify server received, over real HTTP, as its recipient would: signed out first (a private page must send
them to the sign-in page, which leads back there), then signed in. The other tests check that the sitemap, the feed
and the API name BASE_URL whatever host a request came in on, and that `migrate` points the Wagtail Site at it.
"""

import datetime
import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from cms.public_address import set_default_site_address
from devtools import machines
from notify import kinds
from tests.cast import make_cast, rate, report_in
from tests.notify_fixtures import running_fake_notify, sent, template_id
from workflow import deadlines, questions
from workflow.models import FeedbackSurveyPage, PanelRole, Phase, ReportAction, ReportPage, ReportStatus
from workflow.services import challenges, transitions
from workflow.services.actions import action_record_progress, action_review
from workflow.services.booking import booking_accept, booking_reject, booking_request
from workflow.services.clarifications import clarification_answer, clarification_ask
from workflow.services.corrections import Correction, report_correct
from workflow.services.follow_ups import follow_up_decide, follow_up_request
from workflow.services.reports import report_create
from workflow.tasks import send_scheduled_reminders
from workflow.transitions import ReportTransition

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple"
ASSESSED_ON = datetime.date(2026, 10, 1)  # the cast's assessment date
KIND_OF_TEMPLATE = {template_id(key): key for key in kinds.KINDS}
# A link ends where the text around it (a space, a bracket, a quote) or its sentence's punctuation begins.
URL = re.compile(r"https?://[^\s<>()\[\]\"'\u200b]+")
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def links_in(email: dict) -> list[str]:
    texts = [email["subject"], email["body"]]
    for value in email["personalisation"].values():
        texts.extend(value if isinstance(value, list) else [value])
    found = {match.rstrip(".,;:!?") for text in texts if isinstance(text, str) for match in URL.findall(text)}
    return sorted(found)


def text_of(response) -> str:
    return html.unescape(response.text)


def csrf_token(response) -> str:
    match = CSRF_TOKEN.search(response.text)
    assert match, f"no form with a CSRF token at {response.url}"
    return match[1]


def browser() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # straight to the live server, never through a proxy named in the environment
    return session


def signed_in_user_id(session: requests.Session) -> str | None:
    key = session.cookies.get(settings.SESSION_COOKIE_NAME)
    return SessionStore(session_key=key).get("_auth_user_id") if key else None


class Readers:
    """Each recipient's browser (a requests session), signed in through the sign-in page the first time a link
    needs it, as a person who followed the link would be."""

    def __init__(self):
        self.sessions: dict[str, requests.Session] = {}

    def anonymous(self) -> requests.Session:
        return browser()

    def signed_in(self, address: str) -> requests.Session | None:
        return self.sessions.get(address.lower())

    def sign_in_at(self, sign_in_url: str, user, expected_next: str) -> requests.Session:
        """Signs `user` in on the sign-in page a link redirected to; returns the session, now on its way back."""
        session = browser()
        page = session.get(sign_in_url, timeout=30)
        assert page.status_code == 200, sign_in_url
        form = {
            "csrfmiddlewaretoken": csrf_token(page),
            "username": user.get_username(),
            "password": PASSWORD,
            "next": parse_qs(urlsplit(sign_in_url).query)["next"][0],
        }
        answer = session.post(
            urljoin(sign_in_url, resolve_url(settings.LOGIN_URL)), data=form, allow_redirects=False, timeout=30
        )
        assert answer.status_code == 302, answer.text
        assert answer.headers["Location"] == expected_next, "the sign-in page leads back to the link"
        assert signed_in_user_id(session) == str(user.pk)
        self.sessions[user.email.lower()] = session
        return session


class LinkChecker:
    """Follows the links of every email the fake Notify server has received since the last call."""

    def __init__(self, server):
        self.server = server
        self.checked = 0
        self.readers = Readers()
        self.kinds_seen: set[str] = set()
        self.links_followed: dict[str, int] = {}

    def __call__(self) -> None:
        emails = sent(self.server)[self.checked :]
        assert emails, "this step should have sent an email"
        self.checked += len(emails)
        for email in emails:
            kind = KIND_OF_TEMPLATE[email["template_id"]]
            self.kinds_seen.add(kind)
            links = links_in(email)
            assert links, f"{kind} has no link"
            for link in links:
                assert link.startswith(settings.BASE_URL + "/"), f"{kind}: {link} is not at BASE_URL"
                self.follow(kind, email, link)
                self.links_followed[kind] = self.links_followed.get(kind, 0) + 1

    def follow(self, kind: str, email: dict, link: str) -> None:
        user = get_user_model().objects.get(email__iexact=email["email_address"])
        if kind == kinds.SIGN_IN_LINK:
            return self.use_sign_in_link(link, user)
        parts = urlsplit(link)
        path = parts.path + (f"?{parts.query}" if parts.query else "")

        signed_out = self.readers.anonymous().get(link, allow_redirects=False, timeout=30)
        if signed_out.status_code == 200:  # a public page
            self.check_destination(kind, email, link, signed_out)
            sign_in = urljoin(link, resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": path}))
        else:
            assert signed_out.status_code == 302, f"{kind}: {link} answered {signed_out.status_code} signed out"
            sign_in = urljoin(link, signed_out.headers["Location"])
            # The admin's pages (a booking to answer) send people to the admin's sign-in page, which signs in alike.
            assert urlsplit(sign_in).path in (resolve_url(settings.LOGIN_URL), reverse("wagtailadmin_login")), (
                f"{kind}: {link} sent a signed-out reader to {sign_in}, not the sign-in page"
            )
            assert parse_qs(urlsplit(sign_in).query).get("next") == [path], f"{kind}: the sign-in page leads elsewhere"
        session = self.readers.signed_in(user.email) or self.readers.sign_in_at(sign_in, user, path)
        page = session.get(link, allow_redirects=False, timeout=30)
        assert page.status_code == 200, f"{kind}: {link} answered {page.status_code} to {user.email}"
        self.check_destination(kind, email, link, page)

    def check_destination(self, kind: str, email: dict, link: str, page) -> None:
        """The page is the one the email promised, not merely some page."""
        text = text_of(page)
        if kind == kinds.FEEDBACK_REQUEST:
            survey = FeedbackSurveyPage.objects.get()
            assert urlsplit(link).path == survey.get_url_parts()[2], "the survey link points at the survey page"
            assert survey.title in text
            assert "How was the assessment organised?" in text
        else:
            assert email["personalisation"]["service_name"] in text, f"{kind}: {link} is not about the service"

    def use_sign_in_link(self, link: str, user) -> None:
        session = self.readers.anonymous()
        opened = session.get(link, allow_redirects=False, timeout=30)
        assert opened.status_code == 200
        assert "Continue to sign in" in opened.text, "the link is still good when it arrives"
        answer = session.post(link, data={"csrfmiddlewaretoken": csrf_token(opened)}, allow_redirects=False, timeout=30)
        assert answer.status_code == 302
        assert answer.headers["Location"] == settings.LOGIN_REDIRECT_URL
        assert signed_in_user_id(session) == str(user.pk), "the link signs in the person it was sent to"
        dashboard = session.get(urljoin(link, answer.headers["Location"]), timeout=30)
        assert dashboard.status_code == 200


@pytest.fixture
def fake_notify(settings, live_server):
    settings.BASE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    with running_fake_notify(settings) as server:
        yield server


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_link_in_every_email_of_a_lifecycle_works(live_server, fake_notify):
    follow_new_links = LinkChecker(fake_notify)
    cast = make_cast()
    # Point 6 amber (an action falls due after publishing), point 11 red (a reassessment is needed).
    report = rate(report_create(assessment=cast.assessment), "gggggaggggrggg")

    def daily_job(day: datetime.date) -> None:
        send_scheduled_reminders(day)
        follow_new_links()

    daily_job(ASSESSED_ON + datetime.timedelta(days=1))  # feedback requests

    report = transitions.report_transition(report=report, name=ReportTransition.SUBMIT, user=cast.lead)
    follow_new_links()
    report = transitions.report_transition(
        report=report, name=ReportTransition.RETURN, user=cast.assessment_team, comment="Point 6 needs more evidence."
    )
    follow_new_links()
    report = transitions.report_transition(report=report, name=ReportTransition.SUBMIT, user=cast.lead)
    follow_new_links()

    daily_job(deadlines.missed_from(deadlines.share_due(ASSESSED_ON, 7)))  # not shared by its share-by date

    report = transitions.report_transition(report=report, name=ReportTransition.CHECK, user=cast.assessment_team)
    report = transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)
    follow_new_links()

    # The product manager has no password to hand, and asks for a sign-in link.
    anonymous = browser()
    form = anonymous.get(f"{live_server.url}/sign-in/link/", timeout=30)
    asked = anonymous.post(
        f"{live_server.url}/sign-in/link/",
        data={"csrfmiddlewaretoken": csrf_token(form), "email": cast.product_manager.email},
        allow_redirects=False,
        timeout=30,
    )
    assert asked.status_code == 302
    follow_new_links()

    daily_job(report.response_reminder_on)
    daily_job(report.response_due + datetime.timedelta(days=1))  # response overdue

    report = transitions.report_transition(
        report=report, name=ReportTransition.CHALLENGE, user=cast.delivery_manager, comment="Point 6 was met."
    )
    follow_new_links()
    # The challenge meeting: invited from the panel and the team, then moved an hour later.
    starts = timezone.now() + datetime.timedelta(days=7)
    invited = [cast.lead.pk, cast.delivery_manager.pk]
    meeting = challenges.meeting_arrange(
        report=report, user=cast.plus, starts_at=starts, place="Room 4", attendee_ids=invited
    )
    follow_new_links()
    challenges.meeting_change(
        report=report,
        user=cast.plus,
        version=meeting.version,
        starts_at=starts + datetime.timedelta(hours=1),
        place="Room 4",
        attendee_ids=invited,
    )
    follow_new_links()
    report = transitions.report_transition(
        report=report, name=ReportTransition.RESOLVE, user=cast.plus, comment="Point 6 stays."
    )
    follow_new_links()
    report = transitions.report_transition(report=report, name=ReportTransition.CHECK, user=cast.assessment_team)
    report = transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)
    follow_new_links()
    # A question about a point before accepting, and its answer.
    question = clarification_ask(
        report=report, user=cast.product_manager, rating_id=report.ratings.get(number=6).pk, question="Why amber?"
    )
    follow_new_links()
    clarification_answer(clarification=question, user=cast.assessment_team, answer="The panel wants a test.")
    follow_new_links()
    report = transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=cast.product_manager)
    assert report.status == ReportStatus.PUBLISHED
    follow_new_links()  # published, and a reassessment needed

    # Follow-up support: the team asks the panel, the lead arranges it.
    follow_up = follow_up_request(
        report=report,
        user=cast.product_manager,
        support="workshop",
        actions=list(ReportAction.objects.filter(rating__report=report)),
        details="Help with point 6.",
    )
    follow_new_links()
    follow_up_decide(request=follow_up, user=cast.lead, arranged=True, outcome="Monday at 10am, on a call.")
    follow_new_links()

    # The team's work on its actions: point 6's is sent back for more (it stays open, and falls due below); point
    # 11's is accepted, which closes it.
    amber, red = (report.ratings.get(number=number).actions.get() for number in (6, 11))
    action_record_progress(
        action=amber, user=cast.product_manager, text="A third round of research.", ready_for_review=True
    )
    follow_new_links()
    action_review(action=amber, user=cast.lead, accepted=False, comment="Show the results, please.")
    follow_new_links()
    action_record_progress(action=red, user=cast.delivery_manager, text="Fixed and tested.", ready_for_review=True)
    follow_new_links()
    action_review(action=red, user=cast.assessment_team, accepted=True, comment="")
    follow_new_links()

    # Booking another service's assessment: a request rejected, then one accepted, which seats its panel.
    booked = make_cast()
    service = booked.assessment.service
    asked = booking_request(service=service, user=booked.product_manager, phase=Phase.PUBLIC_BETA)
    follow_new_links()
    booking_reject(booking=asked, user=booked.assessment_team, reason="No panel is free in May.")
    follow_new_links()
    asked = booking_request(service=service, user=booked.delivery_manager, phase=Phase.PUBLIC_BETA)
    follow_new_links()
    booking_accept(
        booking=asked,
        user=booked.assessment_team,
        date=ASSESSED_ON + datetime.timedelta(days=60),
        panel=[(booked.lead, PanelRole.LEAD), (booked.researcher, PanelRole.DESIGN)],
    )
    follow_new_links()

    due = report.ratings.get(number=6).actions.get().due_date
    daily_job(due - datetime.timedelta(days=14))
    daily_job(due + datetime.timedelta(days=1))

    # After publishing: a correction, then the withdrawal; both link to the public page, which stays.
    point_6 = report.ratings.get(number=6)
    report_correct(
        report=report,
        user=cast.assessment_team,
        note="Corrected point 6.",
        correction=Correction(
            report_version=ReportPage.objects.get(pk=report.pk).version,
            points={point_6.pk: (point_6.version, questions.by_column(report, "point", to_improve="Corrected."))},
        ),
    )
    follow_new_links()
    transitions.report_transition(
        report=report, name=ReportTransition.WITHDRAW, user=cast.assessment_team, comment="Wrong service."
    )
    follow_new_links()

    # A confidential assessment's report is accepted and not published: its people are sent to it on their own pages.
    confidential = make_cast(confidential=True)
    unpublished = report_in(ReportStatus.SHARED, confidential)
    follow_new_links()
    unpublished = transitions.report_transition(
        report=unpublished, name=ReportTransition.ACCEPT, user=confidential.product_manager
    )
    assert unpublished.status == ReportStatus.ACCEPTED
    follow_new_links()

    assert follow_new_links.kinds_seen == set(kinds.KINDS), "every kind of email was sent and its links followed"
    assert set(follow_new_links.links_followed) == set(kinds.KINDS)
    # Read again later, once the report is published, each link still leads where it did (the sign-in link,
    # used up, aside).
    for email in sent(fake_notify):
        if KIND_OF_TEMPLATE[email["template_id"]] != kinds.SIGN_IN_LINK:
            session = follow_new_links.readers.signed_in(email["email_address"])
            for link in links_in(email):
                response = session.get(link, allow_redirects=False, timeout=30)
                if KIND_OF_TEMPLATE[email["template_id"]] == kinds.BOOKING_RECEIVED and response.status_code == 302:
                    # A booking answered since: its decision page leads to the booking, with the answer given.
                    assert "/admin/bookings/inspect/" in response.headers["Location"], link
                    response = session.get(urljoin(link, response.headers["Location"]), timeout=30)
                assert response.status_code == 200, link


# --- the public side names BASE_URL, whatever host the request came in on ----------------------------------------

PUBLIC = "https://reports.example.gov.uk"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(settings):
    settings.BASE_URL = settings.WAGTAILADMIN_BASE_URL = PUBLIC
    return report_in(ReportStatus.PUBLISHED, make_cast())


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


@pytest.mark.django_db
def test_the_sitemap_names_base_url(client, published):
    def locations_in(path):
        sitemap = ET.fromstring(body(client.get(path, HTTP_HOST="localhost")))  # noqa: S314 - our own
        return [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]

    # The index names its pages at BASE_URL, and each page its addresses.
    pages = locations_in("/sitemap.xml")
    assert pages == [f"{PUBLIC}/sitemap-pages.xml"]
    locations = locations_in(urlsplit(pages[0]).path)
    assert f"{PUBLIC}{published.get_url_parts()[2]}" in locations
    assert f"{PUBLIC}/reports/" in locations
    assert all(location.startswith(PUBLIC + "/") for location in locations), locations


@pytest.mark.django_db
def test_the_feed_names_base_url(client, published):
    feed = ET.fromstring(client.get("/reports/feed/", HTTP_HOST="localhost").content)  # noqa: S314 - our own
    links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert f"{PUBLIC}/reports/" in links
    assert f"{PUBLIC}/reports/feed/" in links
    assert f"{PUBLIC}{published.get_url_parts()[2]}" in links
    assert all(link.startswith(PUBLIC + "/") for link in links), links
    assert feed.find(f"{ATOM}id").text == f"{PUBLIC}/reports/"


@pytest.mark.django_db
def test_the_api_names_base_url(client, published):
    listing = client.get("/api/v2/pages/?type=workflow.ReportPage", HTTP_HOST="localhost").json()
    [item] = listing["items"]
    assert item["meta"]["html_url"] == f"{PUBLIC}{published.get_url_parts()[2]}"
    assert item["meta"]["detail_url"] == f"{PUBLIC}/api/v2/pages/{published.pk}/"
    detail = client.get(f"/api/v2/pages/{published.pk}/", HTTP_HOST="localhost").json()
    assert detail["meta"]["html_url"] == item["meta"]["html_url"]
    found = client.get(f"/api/v2/pages/find/?html_path={published.get_url_parts()[2]}", HTTP_HOST="localhost")
    assert found.status_code == 302
    assert found["Location"].startswith(f"{PUBLIC}/api/v2/pages/{published.pk}/")


# --- migrate sets the Wagtail Site from BASE_URL --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_test_database_was_migrated_with_the_site_at_base_url():
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("testserver", 80)
    assert site.root_url == settings.BASE_URL


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("base_url", "hostname", "port"),
    [
        ("https://reports.example.gov.uk", "reports.example.gov.uk", 443),
        ("http://127.0.0.1:8100", "127.0.0.1", 8100),
        ("http://reports.internal/", "reports.internal", 80),
    ],
)
def test_the_default_site_follows_base_url(settings, django_assert_num_queries, base_url, hostname, port):
    root_page = Site.objects.get(is_default_site=True).root_page_id
    home_url = Page.objects.get(pk=root_page).specific.full_url
    settings.BASE_URL = base_url.rstrip("/")

    set_default_site_address()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == (hostname, port, root_page)
    assert Page.objects.get(pk=root_page).specific.full_url == settings.BASE_URL + urlsplit(home_url).path
    with django_assert_num_queries(1):
        set_default_site_address()  # once right, it only looks


@pytest.mark.django_db
def test_the_default_site_is_left_alone_when_another_site_has_that_address(settings):
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="reports.example.gov.uk", port=443, root_page_id=default.root_page_id)
    settings.BASE_URL = "https://reports.example.gov.uk"

    set_default_site_address()

    default.refresh_from_db()
    assert (default.hostname, default.port) == ("testserver", 80)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"BASE_URL", "PORT"}}
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


SHOW_ADDRESSES = """
import json
from django.conf import settings
from wagtail.models import Site
site = Site.objects.get(is_default_site=True)
print(json.dumps({
    "base_url": settings.BASE_URL,
    "admin_base_url": settings.WAGTAILADMIN_BASE_URL,
    "site": [site.hostname, site.port, site.root_page.specific.__class__.__name__],
    "home": site.root_page.specific.full_url,
}))
"""


def test_make_run_with_port_migrates_the_site_and_links_to_that_port(tmp_path):
    local = {"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    # A copy of a migrated database (migrating from nothing is a minute's work the suite's own database already does):
    # the address is set by every migrate, including these, which have nothing left to migrate.
    machines.migrated(local["DATABASE_URL"])

    for port in ("8100", "8200"):
        migrated = manage("migrate", "--noinput", **local, PORT=port)
        assert migrated.returncode == 0, migrated.stderr
        shown = manage("shell", "--no-imports", "-c", SHOW_ADDRESSES, **local, PORT=port)
        assert shown.returncode == 0, shown.stderr
        seen = json.loads(shown.stdout.strip().splitlines()[-1])
        assert seen == {
            "base_url": f"http://127.0.0.1:{port}",
            "admin_base_url": f"http://127.0.0.1:{port}",
            "site": ["127.0.0.1", int(port), "HomePage"],
            "home": f"http://127.0.0.1:{port}/",
        }
