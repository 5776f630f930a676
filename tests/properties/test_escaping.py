"""Script and HTML typed into every free-text field come out as text: escaped on every page that shows them,
intact in the JSON exports and the API, well-formed in the Atom feed, neutralised in CSV cells a spreadsheet would
run as formulas, and plain text in GOV.UK Notify's personalisation.

One report goes through its whole life with hostile text typed into the real forms (names of people, services and
departments are typed in the admin, so they are set directly), and every page is read along the way.
"""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from cms.models import AssessmentType
from notify import kinds
from notify.models import OutboxEmail
from tests.cast import make_cast, rate, report_in
from tests.factories import UserFactory
from tests.notify_fixtures import running_fake_notify, sent
from workflow import roles
from workflow.models import (
    BookingRequest,
    Department,
    ReportAction,
    ReportActionStatus,
    ReportComment,
    ReportFormHelpTexts,
    ReportPage,
    Service,
)
from workflow.services import feedback, transitions
from workflow.services.reports import report_create
from workflow.tasks import send_scheduled_reminders
from workflow.transitions import ReportTransition

pytestmark = pytest.mark.django_db


def evil(tag: str) -> str:
    """Hostile text that names its field, so each page can be checked for the fields it should show."""
    return f"{tag} <script>alert('{tag}')</script>\"><img src=x onerror=alert('{tag}')>"


def shown(tag: str) -> str:
    """How a page shows evil(tag) when it escapes it once (Django's escape)."""
    return f"{tag} &lt;script&gt;alert(&#x27;{tag}&#x27;)&lt;/script&gt;&quot;&gt;&lt;img src=x"


RAW = ("<script>alert(", "<img src=x")


def assert_escaped(response, *tags):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    for raw in RAW:
        assert raw not in page, f"unescaped {raw!r} at …{page[max(0, page.find(raw) - 300) : page.find(raw) + 60]}…"
    for tag in tags:
        assert shown(tag) in page, f"{tag} is not shown, or not escaped exactly once"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


NAMES = {
    "lead": "LEAD",
    "researcher": "RESEARCHER",
    "assessment_team": "ASSESSMENTTEAMPERSON",
    "plus": "PLUSPERSON",
    "product_manager": "PRODUCTMANAGER",
    "delivery_manager": "DELIVERYMANAGER",
}


@pytest.fixture
def world(fake_notify, django_capture_on_commit_callbacks):
    """A report written, returned, challenged, resolved and published with hostile text in every field."""
    department = Department.objects.create(name=evil("DEPT"), slug="dept")
    service = Service.objects.create(
        name=evil("SERVICE"), department=department, description=evil("SVCDESC"), users=evil("SVCUSERS")
    )
    cast = make_cast(service=service, date=datetime.date(2026, 10, 1))
    for role, tag in NAMES.items():
        person = getattr(cast, role)
        person.first_name, person.last_name = evil(tag), "Smith"
        person.save()
    lead, assessment_team, plus = signed_in(cast.lead), signed_in(cast.assessment_team), signed_in(cast.plus)
    product_manager, delivery_manager = signed_in(cast.product_manager), signed_in(cast.delivery_manager)

    def ok(response):
        assert response.status_code == 302, response.content.decode()[:3000]
        return response

    def step(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return ok(client.post(url, data or {}))

    ok(lead.post(f"/assessor/assessments/{cast.assessment.pk}/start/"))
    report = ReportPage.objects.get(assessment=cast.assessment)
    base = f"/assessor/reports/{report.pk}"
    ok(lead.post(f"{base}/about/", {"version": 0, "service_description": evil("DESC"), "service_users": evil("USERS")}))
    for rating in report.ratings.order_by("number"):
        amber = rating.number == 6
        ok(
            signed_in(cast.researcher).post(
                f"{base}/points/{rating.number}/",
                {
                    "version": 0,
                    "rating": "amber" if amber else "green",
                    "done_well": evil("DONEWELL"),
                    "to_improve": evil("TOIMPROVE") if amber else "",
                    "then": "overview",
                },
            )
        )
    ok(lead.post(f"{base}/points/6/actions/add/", {"description": evil("ACTION"), "due_date": ""}))
    # Green where the points suggest amber: a reason that differs is kept, and shown to the checker and the team.
    ok(lead.post(f"{base}/overall/", {"version": 1, "overall_rating": "green", "reason": evil("REASON")}))
    step(lead, f"{base}/submit/")
    step(assessment_team, f"/assessment-team/reports/{report.pk}/return/", {"comment": evil("RETURNED")})
    step(lead, f"{base}/submit/")
    step(assessment_team, f"/assessment-team/reports/{report.pk}/check/")
    step(assessment_team, f"/assessment-team/reports/{report.pk}/share/")
    step(delivery_manager, f"/team/reports/{report.pk}/challenge/", {"reasons": evil("CHALLENGE")})
    clients = {
        "lead": lead,
        "assessment_team": assessment_team,
        "plus": plus,
        "pm": product_manager,
        "dm": delivery_manager,
    }
    return cast, ReportPage.objects.get(pk=report.pk), clients, step


def publish(world):
    cast, report, clients, step = world
    step(
        clients["plus"], f"/plus/reports/{report.pk}/", {"outcome": evil("OUTCOME"), "agreed_changes": evil("RESOLVED")}
    )
    step(clients["assessment_team"], f"/assessment-team/reports/{report.pk}/check/")
    step(clients["assessment_team"], f"/assessment-team/reports/{report.pk}/share/")
    step(clients["pm"], f"/team/reports/{report.pk}/accept/")
    return ReportPage.objects.get(pk=report.pk)


REPORT_TEXT = ("DESC", "USERS", "DONEWELL", "TOIMPROVE", "ACTION")


def test_the_assessors_pages(world):
    cast, report, clients, _ = world
    base = f"/assessor/reports/{report.pk}"
    lead = clients["lead"]
    action = ReportAction.objects.get(rating__report=report)
    assert_escaped(lead.get("/assessor/"), "SERVICE")
    # Challenged: the panel amends the report, so every page of the form is open.
    assert_escaped(lead.get(f"{base}/"), "SERVICE", "DESC", "USERS", "REASON")
    assert_escaped(lead.get(f"{base}/about/"), "DESC", "USERS")
    assert_escaped(lead.get(f"{base}/points/6/"), "DONEWELL", "TOIMPROVE", "ACTION")
    assert_escaped(lead.get(f"{base}/actions/{action.pk}/edit/"), "ACTION")
    assert_escaped(lead.get(f"{base}/actions/{action.pk}/remove/"), "ACTION")
    assert_escaped(lead.get(f"{base}/overall/"), "REASON")


def test_the_returned_comment_on_the_assessors_report(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in("submitted", cast)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(cast.assessment_team).post(
            f"/assessment-team/reports/{report.pk}/return/", {"comment": evil("RETURNED")}
        )
    assert_escaped(signed_in(cast.lead).get(f"/assessor/reports/{report.pk}/"), "RETURNED")


def test_a_stale_edit_shows_the_other_persons_text_escaped(world):
    cast, report, clients, _ = world
    response = clients["lead"].post(
        f"/assessor/reports/{report.pk}/about/", {"version": 0, "service_description": "Mine", "service_users": "Me"}
    )
    assert_escaped(response, "DESC", "USERS")


def test_the_delivery_teams_pages(world):
    cast, report, clients, _ = world
    assert_escaped(clients["dm"].get("/team/"), "SERVICE")
    assert_escaped(clients["dm"].get(f"/team/reports/{report.pk}/"), "SERVICE", *REPORT_TEXT, "CHALLENGE", "REASON")


def test_the_assessment_and_plus_teams_pages(world):
    cast, report, clients, _ = world
    assert_escaped(clients["assessment_team"].get("/assessment-team/"), "SERVICE")
    history = ("RETURNED", "CHALLENGE", "LEAD", "ASSESSMENTTEAMPERSON", "DELIVERYMANAGER")
    assert_escaped(
        clients["assessment_team"].get(f"/assessment-team/reports/{report.pk}/"),
        "SERVICE",
        *REPORT_TEXT,
        "REASON",
        *history,
    )
    assert_escaped(clients["plus"].get("/plus/"), "SERVICE", "CHALLENGE")
    assert_escaped(clients["plus"].get(f"/plus/reports/{report.pk}/"), "SERVICE", *REPORT_TEXT, "CHALLENGE")
    publish(world)
    history += ("RESOLVED", "PLUSPERSON", "PRODUCTMANAGER")
    assert_escaped(clients["assessment_team"].get(f"/assessment-team/reports/{report.pk}/"), *history)


def test_the_panels_comments(world):
    """Comments and replies, and their authors' names, are text on the panel's and the central teams' pages, and
    nowhere on the delivery team's."""
    cast, report, clients, _ = world
    base = f"/assessor/reports/{report.pk}"
    lead, researcher = clients["lead"], signed_in(cast.researcher)
    # Challenged: the panel amends the report, and comments on it.
    assert lead.post(f"{base}/comments/points/6/", {"text": evil("COMMENT")}).status_code == 302
    assert lead.post(f"{base}/comments/", {"text": evil("WHOLECOMMENT")}).status_code == 302
    thread = ReportComment.objects.get(report=report, point_number=6)
    assert researcher.post(f"{base}/comments/{thread.pk}/reply/", {"text": evil("REPLY")}).status_code == 302
    assert_escaped(lead.get(f"{base}/points/6/"), "COMMENT", "REPLY", "LEAD", "RESEARCHER")
    assert_escaped(lead.get(f"{base}/"), "WHOLECOMMENT", "LEAD")
    # Refused (too long): the typed text comes back escaped.
    response = lead.post(f"{base}/comments/", {"text": evil("REFUSED") + "x" * 2_000})
    assert_escaped(response, "REFUSED")
    everything = ("COMMENT", "WHOLECOMMENT", "REPLY")
    assert_escaped(clients["assessment_team"].get(f"/assessment-team/reports/{report.pk}/"), *everything)
    assert_escaped(clients["plus"].get(f"/plus/reports/{report.pk}/"), *everything)
    page = clients["dm"].get(f"/team/reports/{report.pk}/").content.decode()
    assert not any(shown(tag) in page or f"{tag} <script>" in page for tag in everything)


def test_unresolved_comments_listed_before_submitting_are_text():
    cast = make_cast()
    report = report_in("draft", cast)
    lead = signed_in(cast.lead)
    assert lead.post(f"/assessor/reports/{report.pk}/comments/", {"text": evil("UNRESOLVED")}).status_code == 302
    page = lead.get(f"/assessor/reports/{report.pk}/")
    assert 'id="unresolved-comments"' in page.content.decode()
    assert_escaped(page, "UNRESOLVED")


def test_the_wagtail_admin(world):
    cast, report, clients, _ = world
    assessment_team = clients["assessment_team"]
    assert_escaped(assessment_team.get("/admin/assessment-reports/"), "SERVICE")
    assert_escaped(
        assessment_team.get(f"/admin/assessment-reports/inspect/{report.pk}/"),
        "SERVICE",
        "DONEWELL",
        "TOIMPROVE",
        "REASON",
        "RETURNED",
        "CHALLENGE",
    )
    email = OutboxEmail.objects.filter(kind=kinds.CHALLENGE_RECEIVED).first()
    assert_escaped(assessment_team.get(f"/admin/outbox/inspect/{email.pk}/"), "CHALLENGE")
    assert_escaped(assessment_team.get("/admin/"))


def test_the_insights_open_actions_by_department_and_their_csv(world):
    # Issue 16: the department names a report's open actions are counted under, on the page and in its CSV.
    cast, report, clients, _ = world
    publish(world)
    assert_escaped(clients["assessment_team"].get("/admin/insights/"), "DEPT")
    response = clients["assessment_team"].get("/admin/insights/", {"csv": "open_by_department"})
    assert list(csv.reader(io.StringIO(response.content.decode())))[1] == [evil("DEPT"), "1", "0"]


def test_the_public_pages_exports_feed_and_api(world):
    report = publish(world)
    client = Client()
    assert_escaped(client.get("/reports/"), "SERVICE", "DEPT")
    assert_escaped(client.get("/reports/", {"q": "SERVICE"}), "SERVICE", "DEPT")
    # The search box and "matching …" echo what was searched for.
    assert_escaped(client.get("/reports/", {"q": evil("QUERY")[:200]}), "QUERY")
    assert_escaped(client.get(report.url), "SERVICE", "DEPT", *REPORT_TEXT)

    exported = json.loads(b"".join(client.get("/reports/export.json").streaming_content))
    [item] = exported
    assert item["service_name"] == evil("SERVICE") and item["department"] == evil("DEPT")
    point = next(p for p in item["points"] if p["number"] == 6)
    assert (point["done_well"], point["to_improve"]) == (evil("DONEWELL"), evil("TOIMPROVE"))
    assert point["actions"][0]["description"] == evil("ACTION")

    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/reports/export.csv").streaming_content).decode())))
    assert [(row["service_name"], row["department"]) for row in rows] == [(evil("SERVICE"), evil("DEPT"))]

    feed = ET.fromstring(client.get("/reports/feed/").content)  # noqa: S314 - our own feed
    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = feed.findall(f"{atom}entry")
    assert entry.find(f"{atom}title").text.startswith(evil("SERVICE"))
    assert entry.find(f"{atom}author/{atom}name").text == evil("DEPT")

    api = client.get(f"/api/v2/pages/{report.pk}/").json()
    assert api["title"] == evil("SERVICE") and api["service_description"] == evil("DESC")
    assert api["service"]["department"] == evil("DEPT")
    listing = client.get("/api/v2/pages/", {"type": "workflow.ReportPage", "fields": "*", "search": "SERVICE"})
    assert listing.json()["items"][0]["service_users"] == evil("USERS")


# --- spreadsheets -----------------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","Open")', "+1+1", "-1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(formula):
    department = Department.objects.create(name=formula, slug="formula")
    cast = make_cast(service=Service.objects.create(name=formula, department=department))
    report_in("published", cast)

    rows = list(csv.DictReader(io.StringIO(b"".join(Client().get("/reports/export.csv").streaming_content).decode())))

    # The cell starts with an apostrophe, which spreadsheets show as text, and keeps every character typed.
    assert [(row["service_name"], row["department"]) for row in rows] == [(f"'{formula}", f"'{formula}")]
    exported = json.loads(b"".join(Client().get("/reports/export.json").streaming_content))
    assert exported[0]["service_name"] == formula  # JSON is not a spreadsheet: it keeps the text as it is


def test_feedback_answers_exported_as_csv_are_neutralised():
    cast = make_cast()
    page = feedback.survey_page()
    invitation = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    answers = {
        f.clean_name: "Great" if f.field_type == "radio" else '=HYPERLINK("http://evil.example")'
        for f in page.get_form_fields()
    }
    Client().post(page.url, {**answers, "token": invitation.token})
    response = signed_in(cast.assessment_team).get(f"/admin/forms/submissions/{page.pk}/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert not any(cell.startswith("=") for row in rows[1:] for cell in row)


# --- other things people type -----------------------------------------------------------------------------------


def test_booking_requests_and_their_answers(world):
    cast, report, clients, _ = world
    pm = clients["pm"]
    service = cast.assessment.service
    publish(world)
    # Refused while the amber action is open: the refusal quotes the action.
    refused = pm.post("/bookings/new/", {"service": service.pk, "kind": "assessment", "phase": "alpha"})
    assert_escaped(refused, "ACTION")
    ReportAction.objects.filter(rating__report=report).update(status=ReportActionStatus.DONE)
    data = {"service": service.pk, "kind": "assessment", "phase": "private_beta"}
    assert (
        pm.post("/bookings/new/", data | {"preferred_dates": evil("DATES"), "notes": evil("NOTES")}).status_code == 302
    )
    booking = BookingRequest.objects.get()
    assert_escaped(pm.get("/bookings/"), "SERVICE")
    assessment_team = clients["assessment_team"]
    assert_escaped(assessment_team.get("/admin/bookings/"), "SERVICE")
    assert_escaped(assessment_team.get(f"/admin/bookings/inspect/{booking.pk}/"), "SERVICE", "DATES", "NOTES")
    assert_escaped(
        assessment_team.get(f"/admin/bookings/decide/{booking.pk}/"), "SERVICE", "DATES", "NOTES", "PRODUCTMANAGER"
    )
    assert assessment_team.post(
        f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": evil("NO")}
    ).status_code
    assert_escaped(pm.get("/bookings/"), "NO")


def test_feedback_answers_in_the_admin():
    cast = make_cast()
    page = feedback.survey_page()
    invitation = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    answers = {f.clean_name: "Great" if f.field_type == "radio" else evil("FEEDBACK") for f in page.get_form_fields()}
    assert Client().post(page.url, {**answers, "token": invitation.token}).status_code == 200
    assert_escaped(signed_in(cast.assessment_team).get(f"/admin/forms/submissions/{page.pk}/"), "FEEDBACK")


def test_a_refused_answer_is_shown_back_escaped():
    """What was typed goes back into the form, escaped, when the form is refused."""
    cast = make_cast()
    page = feedback.survey_page()
    invitation = feedback.invitation(assessment=cast.assessment, email="kim@example.gov.uk")
    answers = {f.clean_name: evil("TYPED") if f.field_type == "multiline" else "" for f in page.get_form_fields()}
    assert_escaped(Client().post(page.url, {**answers, "token": invitation.token}), "TYPED")
    assert_escaped(Client().post("/sign-in/link/", {"email": evil("EMAIL")}), "EMAIL")


def test_help_texts_the_assessment_team_edits_are_shown_as_text():
    cast = make_cast()
    texts = ReportFormHelpTexts.load()
    texts.rating_amber, texts.action = evil("HELPAMBER"), evil("HELPACTION")
    texts.save()
    # The questions' hints are the report form's, which the team edits in the admin too.
    form = AssessmentType.objects.get(slug="assessment").report_form
    hints = {"service_users": "HELPUSERS", "done_well": "HELPDONE"}
    for child in [*form.report_questions, *form.point_questions]:
        child.value["hint"] = evil(hints.get(child.value["stored_in"], "HINT"))
    form.save()
    report = report_in("draft", cast)
    lead = signed_in(cast.lead)
    assert_escaped(lead.get(f"/assessor/reports/{report.pk}/points/6/"), "HELPDONE", "HELPAMBER")
    assert_escaped(lead.get(f"/assessor/reports/{report.pk}/about/"), "HELPUSERS")
    assert_escaped(lead.get(f"/assessor/reports/{report.pk}/points/6/actions/add/"), "HELPACTION")


def test_a_report_forms_questions_and_their_answers_are_shown_as_text(fake_notify, django_capture_on_commit_callbacks):
    """The team types the questions in the admin and the panel the answers in the report form: both are text."""
    form = AssessmentType.objects.get(slug="assessment").report_form

    def asked(label, kind, options=""):
        return {
            "label": evil(label),
            "hint": evil(f"{label}HINT"),
            "kind": kind,
            "choices": options,
            "required": True,
            "published": True,
            "stored_in": "",
        }

    form.report_questions.append(("question", asked("QLABEL", "long_text")))
    form.point_questions.append(("question", asked("PLABEL", "choice", f"{evil('OPTION')}\nOther")))
    form.save()
    team = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    assert_escaped(team.get(f"/admin/snippets/cms/reportform/edit/{form.pk}/"))

    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment), "g" * 14)
    by_label = {q["label"]: q["id"] for q in report.questions["report"] + report.questions["point"]}
    report_answer, point_answer = f"answer_{by_label[evil('QLABEL')]}", f"answer_{by_label[evil('PLABEL')]}"
    lead, base = signed_in(cast.lead), f"/assessor/reports/{report.pk}"
    typed = {"version": 0, "service_description": "D", "service_users": "U", report_answer: evil("QANSWER")}
    assert lead.post(f"{base}/about/", typed).status_code == 302
    for rating in report.ratings.all():
        point = {"version": rating.version, "rating": "green", "done_well": "Good.", point_answer: evil("OPTION")}
        assert lead.post(f"{base}/points/{rating.number}/", {**point, "then": "overview"}).status_code == 302
    assert_escaped(lead.get(f"{base}/about/"), "QLABEL", "QLABELHINT", "QANSWER")
    assert_escaped(lead.get(f"{base}/points/3/"), "PLABEL", "PLABELHINT", "OPTION")
    assert_escaped(lead.get(f"{base}/"), "QLABEL", "QANSWER")
    # An answer that is not one of the options is refused without being shown back.
    assert_escaped(lead.post(f"{base}/points/3/", {**point, point_answer: evil("NOTANOPTION")}), "PLABEL")

    with django_capture_on_commit_callbacks(execute=True):
        for step, person in [
            ("submit", cast.lead),
            ("check", cast.assessment_team),
            ("share", cast.assessment_team),
        ]:
            report = transitions.report_transition(report=report, name=step, user=person)
    assert_escaped(signed_in(cast.product_manager).get(f"/team/reports/{report.pk}/"), "QLABEL", "QANSWER", "PLABEL")
    with django_capture_on_commit_callbacks(execute=True):
        report = transitions.report_transition(report=report, name="accept", user=cast.product_manager)
    client = Client()
    assert_escaped(client.get(report.url), "QLABEL", "QANSWER", "PLABEL", "OPTION")
    [item] = json.loads(b"".join(client.get("/reports/export.json").streaming_content))
    assert item["answers"][0]["question"] == evil("QLABEL") and item["answers"][0]["answer"] == evil("QANSWER")
    assert item["points"][0]["answers"][0]["answer"] == evil("OPTION")
    api = client.get(f"/api/v2/pages/{report.pk}/").json()
    assert api["answers"] == item["answers"]


@pytest.mark.parametrize("character", ["\x0b", "\x1b", "\ufffe"])
def test_the_atom_feed_stays_well_formed_with_characters_xml_cannot_hold(character):
    department = Department.objects.create(name=f"Vertical{character}tab", slug="tab")
    report_in(
        "published", make_cast(service=Service.objects.create(name=f"Form{character}feed", department=department))
    )
    response = Client().get("/reports/feed/")
    assert response.status_code == 200
    ET.fromstring(response.content)  # noqa: S314 - our own feed


# --- GOV.UK Notify ----------------------------------------------------------------------------------------------

# Notify puts personalisation into the template and then renders the whole as its Markdown (notifications-utils:
# mistune 0.8 with Notify's grammar). It escapes HTML itself, so HTML needs nothing from us; but a value could
# otherwise add a link with a hidden target, a heading, an inset (^), a list, a rule or a table, or swallow its
# own text as a link definition. These are the constructs Notify formats.
BLOCK_START = re.compile(r"^ *(?:[#^>*+\-•_=|:~`\[]|\d+[.)])")
INLINE_LINK = re.compile(r"\]\s*[(\[:]|\[\^")
# Notify removes these from list items before formatting (strip_and_remove_obscure_whitespace).
ZERO_WIDTH = re.compile("[\u180e\u200b\u200c\u200d\u2060\ufeff]")


def markdown_in(value) -> list[str]:
    """The Markdown constructs Notify would format in a personalisation value."""
    found = []
    if isinstance(value, list):
        for item in value:
            item = ZERO_WIDTH.sub("", str(item))
            if "\n" in item or "\r" in item:
                found.append(f"a line break in a list item: {item!r}")
            if re.search(r"(?<!\\)[\[\]]", item):
                found.append(f"an unescaped bracket in a list item: {item!r}")
        return found
    for line in re.split(r"\r\n|\r|\n", str(value)):
        if BLOCK_START.match(line):
            found.append(f"a line Notify would format: {line!r}")
    if INLINE_LINK.search(str(value)):
        found.append(f"a link: {value!r}")
    return found


MARKDOWN = (
    "[Sign in again](http://evil.example) and [also][1]\n"
    "# Your account is locked\n"
    "^ Official notice\n"
    "---\n"
    "1. Do this\n"
    "* Or this\n"
    "  - or this\n"
    "| a | b |\n"
    ":--|--\n"
    "Heading\n"
    "===\n"
    "[1]: http://evil.example\n"
    "```\n"
    "Ends with a link: [here](http://evil.example) <script>alert(1)</script> & more"
)


def visible(value: str) -> str:
    """What a reader sees of a value once Notify has formatted it: zero-width characters are invisible."""
    return ZERO_WIDTH.sub("", value)


def test_notify_personalisation_is_plain_text(fake_notify, django_capture_on_commit_callbacks):
    department = Department.objects.create(name=evil("DEPT"), slug="dept")
    service = Service.objects.create(name="[Click](http://evil.example) # Service", department=department)
    cast = make_cast(service=service, date=datetime.date(2026, 10, 1))
    cast.lead.first_name, cast.lead.last_name = "# Lee\n\n^ [Sign in](http://evil.example)", "1. Smith"
    cast.lead.save()
    cast.delivery_manager.first_name = "[Dee](http://evil.example)"
    cast.delivery_manager.save()

    report = rate(report_create(assessment=cast.assessment), "gggggagggggggg")
    ReportAction.objects.filter(rating__report=report).update(description=MARKDOWN)
    assessment_team, lead, dm = signed_in(cast.assessment_team), signed_in(cast.lead), signed_in(cast.delivery_manager)

    def step(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, data or {}).status_code == 302

    step(lead, f"/assessor/reports/{report.pk}/submit/")
    step(assessment_team, f"/assessment-team/reports/{report.pk}/return/", {"comment": MARKDOWN})
    step(lead, f"/assessor/reports/{report.pk}/submit/")
    step(assessment_team, f"/assessment-team/reports/{report.pk}/check/")
    step(assessment_team, f"/assessment-team/reports/{report.pk}/share/")
    step(dm, f"/team/reports/{report.pk}/challenge/", {"reasons": MARKDOWN})
    transitions.report_transition(report=report, name=ReportTransition.RESOLVE, user=cast.plus, comment="Agreed.")
    for name in ("check", "share"):
        transitions.report_transition(report=report, name=name, user=cast.assessment_team)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=cast.product_manager)
    due = ReportAction.objects.get(rating__report=report).due_date
    with django_capture_on_commit_callbacks(execute=True):
        send_scheduled_reminders(due - datetime.timedelta(days=14))

    emails = sent(fake_notify)
    for kind in (kinds.REPORT_SUBMITTED, kinds.REPORT_RETURNED, kinds.CHALLENGE_RECEIVED, kinds.AMBER_ACTIONS_DUE):
        assert sent(fake_notify, kind), kind
    problems = [
        f"{email['subject']} / {key}: {problem}"
        for email in emails
        for key, value in email["personalisation"].items()
        for problem in markdown_in(value)
    ]
    assert problems == []

    # Nothing typed is lost: neutralising adds only characters a reader does not see or Notify's escapes.
    assert visible(sent(fake_notify, kinds.REPORT_RETURNED)[0]["personalisation"]["comment"]) == MARKDOWN
    challenge = sent(fake_notify, kinds.CHALLENGE_RECEIVED)[0]
    assert visible(challenge["personalisation"]["reasons"]) == MARKDOWN
    assert visible(challenge["personalisation"]["challenged_by"]) == cast.delivery_manager.get_full_name()
    assert "[Click](http://evil.example) # Service" in visible(challenge["subject"])
    submitted = sent(fake_notify, kinds.REPORT_SUBMITTED)[0]["personalisation"]
    # A name is one line: its line breaks would start new paragraphs in the email.
    assert visible(submitted["lead_assessor"]) == "# Lee ^ [Sign in](http://evil.example) 1. Smith"
    [action] = sent(fake_notify, kinds.AMBER_ACTIONS_DUE)[0]["personalisation"]["actions"]
    assert re.sub(r"\\([\\\[\]])", r"\1", action) == "Point 6: " + " ".join(MARKDOWN.split())


def test_names_with_html_reach_notify_as_text(fake_notify, django_capture_on_commit_callbacks):
    """Notify escapes HTML in personalisation itself: we send the text as typed, not escaped twice."""
    department = Department.objects.create(name="D", slug="d")
    cast = make_cast(service=Service.objects.create(name=evil("SERVICE"), department=department))
    report = report_in("draft", cast)
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in(cast.lead).post(f"/assessor/reports/{report.pk}/submit/").status_code == 302
    [email] = sent(fake_notify, kinds.REPORT_SUBMITTED)
    assert email["personalisation"]["service_name"] == evil("SERVICE")
    assert "&lt;" not in email["subject"]


# --- the challenge meeting and its outcome --------------------------------------------------------------------


def test_the_challenge_meeting_and_outcome_are_text_on_pages_and_in_emails(
    fake_notify, django_capture_on_commit_callbacks
):
    cast = make_cast()
    cast.lead.first_name = evil("MEETINGLEAD")
    cast.lead.save()
    report = report_in("challenged", cast)
    plus, team = signed_in(cast.plus), signed_in(cast.product_manager)
    year = datetime.date.today().year + 1

    def step(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]

    meeting = {
        "date_day": "3",
        "date_month": "12",
        "date_year": str(year),
        "time": "2:30pm",
        "attendees": [str(cast.lead.pk), str(cast.product_manager.pk)],
        "version": "0",
    }
    step(plus, f"/plus/reports/{report.pk}/meeting/", {**meeting, "place": evil("PLACE")})
    assert_escaped(plus.get(f"/plus/reports/{report.pk}/"), "PLACE", "MEETINGLEAD")
    assert_escaped(plus.get(f"/plus/reports/{report.pk}/meeting/"), "PLACE")
    assert_escaped(team.get(f"/team/reports/{report.pk}/"), "PLACE", "MEETINGLEAD")
    step(plus, f"/plus/reports/{report.pk}/meeting/", {**meeting, "place": MARKDOWN, "time": "3pm"})
    step(
        plus,
        f"/plus/reports/{report.pk}/",
        {"outcome": evil("OUTCOME"), "agreed_changes": MARKDOWN, "from_status": "challenged"},
    )
    for name in ("check", "share"):
        transitions.report_transition(report=report, name=name, user=cast.assessment_team)
    assert_escaped(team.get(f"/team/reports/{report.pk}/"), "OUTCOME", "MEETINGLEAD")
    assert_escaped(plus.get(f"/plus/reports/{report.pk}/"), "OUTCOME")

    invitation = sent(fake_notify, kinds.MEETING_INVITATION)[0]["personalisation"]
    assert invitation["meeting_place"] == evil("PLACE")  # Notify escapes HTML itself
    changed = sent(fake_notify, kinds.MEETING_CHANGED)[0]["personalisation"]
    resolved = sent(fake_notify, kinds.CHALLENGE_RESOLVED)[0]["personalisation"]
    assert resolved["outcome"] == evil("OUTCOME")
    # A place is one line: its line breaks would start new paragraphs in the email.
    assert visible(changed["meeting_place"]) == " ".join(MARKDOWN.split())
    assert visible(resolved["agreed_changes"]) == MARKDOWN
    problems = [
        (key, problem)
        for personalisation in (invitation, changed, resolved)
        for key, value in personalisation.items()
        for problem in markdown_in(value)
    ]
    assert problems == []


# --- follow-up support and bookings ------------------------------------------------------------------------------


def test_follow_up_support_pages(world, fake_notify):
    cast, report, clients, step = world
    report = publish(world)
    pm, lead, team = clients["pm"], clients["lead"], clients["assessment_team"]
    action = ReportAction.objects.get(rating__report=report)

    assert_escaped(pm.get(f"/team/reports/{report.pk}/follow-up/"), "ACTION")
    refused = pm.post(
        f"/team/reports/{report.pk}/follow-up/",
        {"support": "call", "actions": action.pk, "details": evil("LONG") + "x" * 2_000},
    )
    assert_escaped(refused, "LONG", "ACTION")
    step(
        pm,
        f"/team/reports/{report.pk}/follow-up/",
        {"support": "call", "actions": action.pk, "details": evil("FOLLOWUP")},
    )
    follow_up = report.follow_up_requests.get()
    assert_escaped(lead.get(f"/assessor/reports/{report.pk}/"), "FOLLOWUP", "ACTION", "PRODUCTMANAGER")
    assert_escaped(team.get(f"/assessment-team/reports/{report.pk}/"), "FOLLOWUP", "ACTION", "PRODUCTMANAGER")
    refused = lead.post(
        f"/assessor/reports/{report.pk}/follow-ups/{follow_up.pk}/",
        {"decision": "declined", "outcome": evil("NOPE") + "x" * 2_000},
    )
    assert_escaped(refused, "NOPE", "FOLLOWUP")
    step(
        lead,
        f"/assessor/reports/{report.pk}/follow-ups/{follow_up.pk}/",
        {"decision": "arranged", "outcome": evil("OUTCOME")},
    )
    assert_escaped(pm.get(f"/team/reports/{report.pk}/"), "LEAD", "RESEARCHER", "FOLLOWUP", "OUTCOME", "ACTION", "LEAD")

    # Notify escapes HTML itself: the text goes as typed.
    [requested, *_] = sent(fake_notify, kinds.FOLLOW_UP_REQUESTED)
    assert requested["personalisation"]["details"] == evil("FOLLOWUP")
    assert requested["personalisation"]["actions"] == [
        f"Point 6: {evil('ACTION')}".replace("[", "\\[").replace("]", "\\]")
    ]
    [answered] = sent(fake_notify, kinds.FOLLOW_UP_ANSWERED)
    assert evil("OUTCOME") in answered["personalisation"]["outcome"]


def test_follow_up_and_booking_personalisation_is_plain_text(fake_notify, django_capture_on_commit_callbacks):
    department = Department.objects.create(name="D", slug="d")
    cast = make_cast(
        service=Service.objects.create(name="[Click](http://evil.example) # Service", department=department)
    )
    cast.lead.first_name = "# Lee\n\n^ [Sign in](http://evil.example)"
    cast.lead.save()
    report = rate(report_create(assessment=cast.assessment), "gggggagggggggg")
    pm, lead, team = signed_in(cast.product_manager), signed_in(cast.lead), signed_in(cast.assessment_team)
    ReportAction.objects.filter(rating__report=report).update(description=MARKDOWN)
    for name, user in (("submit", cast.lead), ("check", cast.assessment_team), ("share", cast.assessment_team)):
        transitions.report_transition(report=report, name=name, user=user)
    transitions.report_transition(report=report, name=ReportTransition.ACCEPT, user=cast.product_manager)
    action = ReportAction.objects.get(rating__report=report)

    def step(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, data).status_code == 302

    step(pm, f"/team/reports/{report.pk}/follow-up/", {"support": "call", "actions": action.pk, "details": MARKDOWN})
    follow_up = report.follow_up_requests.get()
    step(
        lead, f"/assessor/reports/{report.pk}/follow-ups/{follow_up.pk}/", {"decision": "declined", "outcome": MARKDOWN}
    )
    ReportAction.objects.update(status=ReportActionStatus.DONE)  # open amber actions would refuse the booking
    step(
        pm,
        "/bookings/new/",
        {"service": cast.assessment.service.pk, "kind": "assessment", "phase": "live", "preferred_dates": MARKDOWN},
    )
    booking = BookingRequest.objects.get()
    step(team, f"/admin/bookings/decide/{booking.pk}/", {"decision": "reject", "reason": MARKDOWN})

    kinds_sent = (kinds.FOLLOW_UP_REQUESTED, kinds.FOLLOW_UP_ANSWERED, kinds.BOOKING_RECEIVED, kinds.BOOKING_REJECTED)
    for kind in kinds_sent:
        assert sent(fake_notify, kind), kind
    problems = [
        f"{email['subject']} / {key}: {problem}"
        for kind in kinds_sent
        for email in sent(fake_notify, kind)
        for key, value in email["personalisation"].items()
        for problem in markdown_in(value)
    ]
    assert problems == []
    # Nothing typed is lost: the reader sees it all.
    assert visible(sent(fake_notify, kinds.FOLLOW_UP_REQUESTED)[0]["personalisation"]["details"]) == MARKDOWN
    assert visible(sent(fake_notify, kinds.BOOKING_REJECTED)[0]["personalisation"]["reason"]) == MARKDOWN
    assert MARKDOWN in visible(sent(fake_notify, kinds.FOLLOW_UP_ANSWERED)[0]["personalisation"]["outcome"])


# --- after publishing: the change note and the withdrawal reason ------------------------------------------------


def test_a_correction_and_a_withdrawal_are_shown_as_text_everywhere(world, fake_notify):
    from tests.workflow.test_corrections import form_data

    cast, report, clients, step = world
    report = publish(world)
    team = clients["assessment_team"]
    url = f"/assessment-team/reports/{report.pk}/correct/"
    assert_escaped(team.get(url), "SERVICE", *REPORT_TEXT)
    step(team, url, form_data(team, report, **{"point-6-to_improve": evil("CORRECTED"), "note": evil("CHANGENOTE")}))
    client = Client()
    assert_escaped(client.get(report.url), "SERVICE", "CORRECTED", "CHANGENOTE")
    assert_escaped(team.get(f"/assessment-team/reports/{report.pk}/"), "CHANGENOTE", "ASSESSMENTTEAMPERSON")
    feed = ET.fromstring(client.get("/reports/feed/").content)  # noqa: S314 - our own feed
    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = feed.findall(f"{atom}entry")
    assert entry.find(f"{atom}title").text.startswith("Updated: " + evil("SERVICE"))
    [item] = json.loads(b"".join(client.get("/reports/export.json").streaming_content))
    assert next(p for p in item["points"] if p["number"] == 6)["to_improve"] == evil("CORRECTED")
    api = client.get(f"/api/v2/pages/{report.pk}/").json()
    assert next(p for p in api["points"] if p["number"] == 6)["to_improve"] == evil("CORRECTED")
    [email, *_] = sent(fake_notify, kinds.REPORT_CORRECTED)
    assert email["personalisation"]["change_note"] == evil("CHANGENOTE")

    step(team, f"/assessment-team/reports/{report.pk}/withdraw/", {"reason": evil("WITHDRAWN")})
    assert_escaped(client.get(report.url), "SERVICE", "WITHDRAWN", "CHANGENOTE")
    assert_escaped(team.get(f"/assessment-team/reports/{report.pk}/"), "WITHDRAWN")
    [email, *_] = sent(fake_notify, kinds.REPORT_WITHDRAWN)
    assert email["personalisation"]["reason"] == evil("WITHDRAWN")


def test_a_change_note_and_a_withdrawal_reason_reach_notify_as_plain_text(
    fake_notify, django_capture_on_commit_callbacks
):
    from tests.workflow.test_corrections import form_data

    cast = make_cast()
    report = report_in("published", cast)
    team = signed_in(cast.assessment_team)
    data = form_data(team, report, **{"point-6-to_improve": "Changed.", "note": MARKDOWN})
    with django_capture_on_commit_callbacks(execute=True):
        assert team.post(f"/assessment-team/reports/{report.pk}/correct/", data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(f"/assessment-team/reports/{report.pk}/withdraw/", {"reason": MARKDOWN})
        assert response.status_code == 302
    for kind, key in [(kinds.REPORT_CORRECTED, "change_note"), (kinds.REPORT_WITHDRAWN, "reason")]:
        emails = sent(fake_notify, kind)
        assert emails, kind
        for email in emails:
            assert markdown_in(email["personalisation"][key]) == [], kind
            assert visible(email["personalisation"][key]) == MARKDOWN


# --- questions about a shared report (clarification without a challenge) -------------------------------------------


def test_questions_and_answers_are_text_on_every_page_and_in_notify(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    for person, tag in ((cast.product_manager, "PRODUCTMANAGER"), (cast.assessment_team, "ASSESSMENTTEAMPERSON")):
        person.first_name, person.last_name = evil(tag), "Smith"
        person.save()
    report = report_in("shared", cast)
    pm, team = signed_in(cast.product_manager), signed_in(cast.assessment_team)
    with django_capture_on_commit_callbacks(execute=True):
        response = pm.post(f"/team/reports/{report.pk}/question/", {"about": "whole", "question": evil("QUESTION")})
        assert response.status_code == 302
    from workflow.models import Clarification

    question = Clarification.objects.get()
    # Refused (too long): the typed text comes back escaped, on both forms.
    assert_escaped(
        pm.post(f"/team/reports/{report.pk}/question/", {"about": "whole", "question": evil("REFUSED") + "x" * 2_000}),
        "REFUSED",
    )
    answer_url = f"/assessment-team/reports/{report.pk}/questions/{question.pk}/answer/"
    assert_escaped(team.post(answer_url, {"answer": evil("REFUSEDANSWER") + "x" * 5_000}), "REFUSEDANSWER")
    with django_capture_on_commit_callbacks(execute=True):
        assert team.post(answer_url, {"answer": evil("ANSWER") + "\n" + MARKDOWN}).status_code == 302

    everything = ("QUESTION", "ANSWER", "PRODUCTMANAGER", "ASSESSMENTTEAMPERSON")
    assert_escaped(pm.get(f"/team/reports/{report.pk}/"), *everything)
    assert_escaped(signed_in(cast.sro).get(f"/team/reports/{report.pk}/"), *everything)
    assert_escaped(team.get(f"/assessment-team/reports/{report.pk}/"), *everything)
    assert_escaped(signed_in(cast.lead).get(f"/assessor/reports/{report.pk}/"), *everything)

    asked = sent(fake_notify, kinds.CLARIFICATION_ASKED)[0]["personalisation"]
    answered = sent(fake_notify, kinds.CLARIFICATION_ANSWERED)[0]["personalisation"]
    assert visible(asked["question"]) == evil("QUESTION")
    assert visible(asked["asked_by"]) == cast.product_manager.get_full_name()
    assert visible(answered["answer"]) == evil("ANSWER") + "\n" + MARKDOWN
    problems = [
        f"{key}: {problem}"
        for personalisation in (asked, answered)
        for key, value in personalisation.items()
        for problem in markdown_in(value)
    ]
    assert problems == []


# --- a follow-up's panel reads the earlier actions and the team's evidence (issue 16) -------------------------


def test_the_earlier_actions_and_evidence_a_follow_ups_panel_reads_are_text(world):
    cast, report, clients, _ = world
    publish(world)
    # Recorded directly: the delivery team's evidence form is tested on its own.
    ReportAction.objects.filter(rating__report=report).update(evidence=evil("EVIDENCE"))
    review_cast = make_cast(
        service=cast.assessment.service,
        type=AssessmentType.objects.get(slug="amber-evidence-review"),
        follows=cast.assessment,
        date=datetime.date(2026, 12, 1),
    )
    review = report_create(assessment=review_cast.assessment)
    panel = signed_in(review_cast.lead)
    assert_escaped(panel.get(f"/assessor/reports/{review.pk}/"), "ACTION", "EVIDENCE")
    assert_escaped(panel.get(f"/assessor/reports/{review.pk}/points/6/"), "ACTION", "EVIDENCE")


# --- the service's record and the booking rules' refusals ---


def test_the_services_record_and_a_refused_booking_show_the_words_as_text(world):
    cast, _, clients, _ = world
    publish(world)
    url = f"/services/{cast.assessment.service_id}/"
    for name in ("pm", "lead", "assessment_team", "plus"):
        # The action is named in the open actions and in what must happen before the next booking.
        assert_escaped(clients[name].get(url), "SERVICE", "DEPT", "ACTION")
    refused = clients["pm"].post(
        "/bookings/new/", {"service": cast.assessment.service_id, "kind": "assessment", "phase": "private_beta"}
    )
    assert_escaped(refused, "SERVICE", "ACTION")


# --- the delivery team's work on its actions, and their review ----------------------------------------------------

HOSTILE_LINK = 'https://evil.example/"onmouseover="alert(1) javascript:alert(2) www.example.com/<b>'


def test_action_progress_and_reviews_are_text_on_every_page_and_in_notify(world, fake_notify):
    cast, report, clients, step = world
    report = publish(world)
    pm, lead, team = clients["pm"], clients["lead"], clients["assessment_team"]
    action = ReportAction.objects.get(rating__report=report)
    record = f"/team/reports/{report.pk}/actions/{action.pk}/"

    assert_escaped(pm.get(record), "ACTION")
    refused = pm.post(record, {"text": evil("LONG") + "x" * 5_000})
    assert_escaped(refused, "LONG", "ACTION")
    step(pm, record, {"text": evil("PROGRESS") + " " + HOSTILE_LINK})
    step(pm, record, {"text": evil("EVIDENCE"), "ready_for_review": "on"})
    for client, page in ((pm, f"/team/reports/{report.pk}/"), (lead, f"/assessor/reports/{report.pk}/")):
        response = client.get(page)
        assert_escaped(response, "PROGRESS", "EVIDENCE", "ACTION", "PRODUCTMANAGER")
        text = response.content.decode()
        # The address becomes a link that ends where the address does; nothing else becomes one.
        assert '<a href="https://evil.example/" rel="nofollow">https://evil.example/</a>&quot;onmouseover=' in text
        assert 'href="javascript' not in text and "<b>" not in text
    review = f"/assessor/reports/{report.pk}/actions/{action.pk}/review/"
    action.refresh_from_db()
    refused = lead.post(
        review, {"version": action.version, "decision": "more_needed", "comment": evil("NOPE") + "x" * 5_000}
    )
    assert_escaped(refused, "NOPE", "EVIDENCE", "ACTION")
    step(lead, review, {"version": action.version, "decision": "more_needed", "comment": evil("MORE")})
    assert_escaped(pm.get(f"/team/reports/{report.pk}/"), "MORE", "EVIDENCE", "LEAD")
    assert_escaped(team.get(f"/assessment-team/reports/{report.pk}/"), "MORE", "EVIDENCE", "LEAD")
    assert_escaped(team.get("/admin/audit/?what=action_update"), "MORE")

    # Notify escapes HTML itself: the text goes as typed.
    [ready, *_] = sent(fake_notify, kinds.ACTION_READY_FOR_REVIEW)
    assert evil("EVIDENCE") in ready["personalisation"]["progress"]
    assert ready["personalisation"]["action"] == evil("ACTION")
    [reviewed, *_] = sent(fake_notify, kinds.ACTION_REVIEWED)
    assert reviewed["personalisation"]["comment"] == evil("MORE")


def test_action_personalisation_is_plain_text(fake_notify, django_capture_on_commit_callbacks):
    cast = make_cast()
    report = report_in("published", cast)
    action = ReportAction.objects.get(rating__report=report)
    ReportAction.objects.filter(pk=action.pk).update(description=MARKDOWN)
    pm, lead = signed_in(cast.product_manager), signed_in(cast.lead)

    def step(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
            assert response.status_code == 302, response.content.decode()[:2000]

    step(pm, f"/team/reports/{report.pk}/actions/{action.pk}/", {"text": MARKDOWN, "ready_for_review": "on"})
    action.refresh_from_db()
    step(
        lead,
        f"/assessor/reports/{report.pk}/actions/{action.pk}/review/",
        {"version": action.version, "decision": "more_needed", "comment": MARKDOWN},
    )
    kinds_sent = (kinds.ACTION_READY_FOR_REVIEW, kinds.ACTION_REVIEWED)
    problems = [
        f"{email['subject']} / {key}: {problem}"
        for kind in kinds_sent
        for email in sent(fake_notify, kind)
        for key, value in email["personalisation"].items()
        for problem in markdown_in(value)
    ]
    assert all(sent(fake_notify, kind) for kind in kinds_sent)
    assert problems == []
    assert visible(sent(fake_notify, kinds.ACTION_READY_FOR_REVIEW)[0]["personalisation"]["progress"]) == MARKDOWN
    assert visible(sent(fake_notify, kinds.ACTION_REVIEWED)[0]["personalisation"]["comment"]) == MARKDOWN
