"""The policy figures are the service assessment team's settings (Settings > Policy figures in the Wagtail admin).

A change applies to every clock started after it, and never moves a deadline already running: an assessment keeps
the figure it was booked with, a report the response figures it was shared with, and its amber actions the figures
it was accepted with. Pages, hints, guidance and the emails' descriptions say the figures in force. Bad input is
refused with a message and changes nothing; nobody but the team and superusers may open the setting."""

import dataclasses
import datetime
import html
import re
from urllib.parse import urlsplit

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import GuidancePage
from notify import kinds
from tests.cast import make_cast, rate, report_in
from workflow import deadlines, emails, selectors
from workflow.models import Assessment, Phase, PolicyFigures, Rating, ReportAction, ReportStatus
from workflow.services.booking import booking_request

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def settings_url() -> str:
    return f"/admin/settings/workflow/policyfigures/{PolicyFigures.load().pk}/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    """The words of a page, without tags, on one line."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode()))).replace("’", "'")


def the_form(**changes) -> dict[str, str]:
    """The settings form as the page shows it now, with `changes` typed in."""
    return {**{name: str(value) for name, value in dataclasses.asdict(deadlines.in_force()).items()}, **changes}


def change_figures(team_member, **changes) -> None:
    response = signed_in(team_member).post(settings_url(), the_form(**changes))
    assert response.status_code == 302, text(response)[:3000]
    assert dataclasses.asdict(deadlines.in_force()) == {**dataclasses.asdict(deadlines.DEFAULTS), **changes}


@pytest.fixture
def cast():
    return make_cast(date=TODAY)


def book(cast, day: datetime.date) -> Assessment:
    """The delivery team asks for an assessment, and the service assessment team books it in the admin."""
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)
    response = signed_in(cast.assessment_team).post(
        f"/admin/bookings/decide/{booking.pk}/",
        {
            "decision": "accept",
            "date_day": day.day,
            "date_month": day.month,
            "date_year": day.year,
            "panel_lead": cast.lead.pk,
        },
    )
    assert response.status_code == 302, text(response)[:3000]
    booking.refresh_from_db()
    return booking.assessment


def kinds_and_keys(day: datetime.date) -> set[tuple[str, str]]:
    return {(email.kind, email.idempotency_key.split(":")[2]) for email in emails.scheduled_emails(day)}


# --- deadlines already running keep their figures ---------------------------------------------------------------


def test_an_assessment_booked_before_a_change_keeps_its_share_by_date_and_one_booked_after_gets_the_new_one(cast):
    held = TODAY - datetime.timedelta(days=8)
    before = book(cast, held)
    change_figures(cast.assessment_team, share_within_days=10)
    after = book(cast, held)

    assert (before.share_within_days, before.share_due) == (7, held + datetime.timedelta(days=7))
    assert (after.share_within_days, after.share_due) == (10, held + datetime.timedelta(days=10))

    # Eight days on, the one booked before is late everywhere that says so; the one booked after is not.
    assert list(selectors.late_assessments()) == [Assessment.objects.get(pk=before.pk)]
    dashboard = text(signed_in(cast.assessment_team).get(reverse("assessment_team:dashboard")))
    assert "Late, still with the panel (1)" in dashboard
    assert f"{before.share_due.day} {before.share_due:%B %Y} Overdue" in dashboard
    lead_dashboard = text(signed_in(cast.lead).get(reverse("assessor:dashboard")))
    assert f"{before.share_due.day} {before.share_due:%B %Y} Overdue" in lead_dashboard
    assert f"{after.share_due.day} {after.share_due:%B %Y} " in lead_dashboard
    assert f"{after.share_due.day} {after.share_due:%B %Y} Overdue" not in lead_dashboard
    assert (kinds.REPORT_NOT_SHARED, str(before.pk)) in kinds_and_keys(TODAY)
    assert (kinds.REPORT_NOT_SHARED, str(after.pk)) not in kinds_and_keys(TODAY)
    assert (kinds.REPORT_NOT_SHARED, str(after.pk)) in kinds_and_keys(held + datetime.timedelta(days=11))


def test_a_rescheduled_assessment_keeps_the_figure_it_was_booked_with(cast):
    booked = book(cast, TODAY)
    change_figures(cast.assessment_team, share_within_days=3)
    later = TODAY + datetime.timedelta(days=40)
    response = signed_in(cast.assessment_team).post(
        f"/admin/assessments/edit/{booked.pk}/",
        {"service": booked.service_id, "type": booked.type_id, "phase": booked.phase, "date": later.isoformat()},
    )
    assert response.status_code == 302, text(response)[:3000]
    booked.refresh_from_db()
    assert (booked.date, booked.share_due) == (later, later + datetime.timedelta(days=7))


def test_a_report_shared_before_a_change_keeps_its_response_deadline_and_one_shared_after_uses_the_new_figures(cast):
    before = report_in(ReportStatus.SHARED, cast)
    change_figures(cast.assessment_team, respond_within_working_days=15, response_reminder_working_days_before=5)
    after = report_in(ReportStatus.SHARED, make_cast(date=TODAY))
    shared_on = timezone.localdate(before.shared_at)
    assert timezone.localdate(after.shared_at) == shared_on

    before.refresh_from_db()
    assert before.response_due == deadlines.add_working_days(shared_on, 10)
    assert before.response_reminder_on == deadlines.add_working_days(before.response_due, -3)
    assert after.response_due == deadlines.add_working_days(shared_on, 15)
    assert after.response_reminder_on == deadlines.add_working_days(after.response_due, -5)

    # The delivery team's dashboard counts down to each report's own deadline.
    rows = {row.report.pk: row.deadline for row in selectors.reports_for_delivery_team(cast.product_manager)}
    assert rows[before.pk].working_days_left == 10
    # Each reminder goes on its own report's day.
    assert (kinds.RESPONSE_REMINDER, str(before.pk)) in kinds_and_keys(before.response_reminder_on)
    assert (kinds.RESPONSE_REMINDER, str(after.pk)) not in kinds_and_keys(before.response_reminder_on)
    assert (kinds.RESPONSE_REMINDER, str(after.pk)) in kinds_and_keys(after.response_reminder_on)


def test_amber_actions_of_a_report_accepted_before_a_change_keep_their_due_date_and_reminder(cast):
    before = report_in(ReportStatus.PUBLISHED, cast, letters="gggggagggggggg")
    change_figures(cast.assessment_team, amber_actions_within_months=6, amber_actions_reminder_days_before=30)
    after = report_in(ReportStatus.PUBLISHED, make_cast(date=TODAY), letters="gggggagggggggg")
    accepted_on = timezone.localdate(before.accepted_at)

    old, new = (
        ReportAction.objects.get(rating__report=report, rating__rating=Rating.AMBER) for report in (before, after)
    )
    assert old.due_date == accepted_on + relativedelta(months=3)
    assert new.due_date == timezone.localdate(after.accepted_at) + relativedelta(months=6)

    # 20 days before each is due: only the new figure's reminder (30 days before) has come.
    for action, reminded in ((old, False), (new, True)):
        day = action.due_date - datetime.timedelta(days=20)
        assert (action in selectors.amber_actions_due_soon(day)) is reminded
        assert ((kinds.AMBER_ACTIONS_DUE, str(action.rating.report_id)) in kinds_and_keys(day)) is reminded
    # The old figure's reminder comes 14 days before.
    day = old.due_date - datetime.timedelta(days=14)
    assert old in selectors.amber_actions_due_soon(day)
    assert (kinds.AMBER_ACTIONS_DUE, str(before.pk)) in kinds_and_keys(day)


# --- pages, hints, guidance and emails say the figures in force -------------------------------------------------


def test_guidance_says_the_figures_in_force(client, cast):
    delivery_guidance = "/guidance/service-assessments/"
    assessors_guidance = "/guidance/writing-an-assessment-report/"
    assert "up to 7 days after the assessment" in text(client.get(delivery_guidance))
    assert "We'll email you 14 days before they're due" in text(client.get(delivery_guidance))

    change_figures(
        cast.assessment_team, share_within_days=5, amber_actions_within_months=4, amber_actions_reminder_days_before=21
    )

    delivery = text(client.get(delivery_guidance))
    for said in (
        "up to 5 days after the assessment",
        "within 4 months of accepting the report",
        "Amber actions are due 4 months after you accept the report. We'll email you 21 days before",
        "has 10 working days to accept or challenge it",
    ):
        assert said in delivery, said
    assert "within 5 days of the assessment" in text(client.get(assessors_guidance))
    assert "{" not in delivery
    # The API gives the same words.
    body = str(client.get(f"/api/v2/pages/{GuidancePage.objects.get(slug='service-assessments').pk}/").json()["body"])
    assert "up to 5 days after the assessment" in body and "{SHARE_WITHIN_DAYS}" not in body


def test_a_figure_typed_by_name_in_the_page_editor_shows_as_it_stands(client, cast):
    page = GuidancePage.objects.get(slug="service-assessments")
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": streamfield(
                [
                    ("heading", {"text": "Share within {SHARE_WITHIN_DAYS} days", "size": "l"}),
                    (
                        "paragraph",
                        rich_text(
                            "<p>Shared <b>{SHARE_WITHIN_DAYS}</b> days after; answered in "
                            "{RESPOND_WITHIN_WORKING_DAYS} working days; {share_within_days} and {NO_SUCH_FIGURE} "
                            "show as typed.</p>"
                        ),
                    ),
                    ("warning_text", "<script>alert(1)</script> {AMBER_ACTIONS_WITHIN_MONTHS} months"),
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = signed_in(cast.assessment_team).post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, text(response)[:3000]
    change_figures(cast.assessment_team, share_within_days=9)

    public = client.get("/guidance/service-assessments/").content.decode()
    assert '<h2 class="govuk-heading-l">Share within 9 days</h2>' in public
    assert "Shared <b>9</b> days after; answered in 10 working days; {share_within_days} and {NO_SUCH_FIGURE}" in public
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 3 months" in public and "<script>alert" not in public


def test_the_report_form_hints_and_pages_say_the_figures_in_force(cast):
    draft = report_in(ReportStatus.DRAFT, cast)
    change_figures(cast.assessment_team, amber_actions_within_months=5, share_within_days=6)

    rate(draft, "gggggagggggggg")
    lead = signed_in(cast.lead)
    point = text(lead.get(f"/assessor/reports/{draft.pk}/points/6/"))
    assert "the team must address the actions within 5 months" in point  # the amber rating's hint
    action = text(lead.get(f"/assessor/reports/{draft.pk}/points/6/actions/add/"))
    assert "Actions on amber points are due 5 months after the team accepts the report" in action  # the due date's
    assert "shared with the delivery team within 6 days of the assessment" in text(
        signed_in(cast.lead).get(reverse("assessor:dashboard"))
    )


def test_the_emails_descriptions_in_the_admin_say_the_figures_in_force(cast):
    change_figures(cast.assessment_team, response_reminder_working_days_before=4, amber_actions_reminder_days_before=20)
    templates = signed_in(cast.assessment_team).get("/admin/settings/notify/notifytemplates/", follow=True)
    page = text(templates)
    assert "4 working days before the response deadline of a shared report" in page
    assert "20 days before open amber actions are due" in page
    assert "when daily schedule: the day after the share-by date (7 days after the assessment)" in page


# --- bad input, and who may change the figures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("share_within_days", "0", "Enter a whole number of days from 1 to 60"),
        ("share_within_days", "-7", "Enter a whole number of days from 1 to 60"),
        ("share_within_days", "61", "Enter a whole number of days from 1 to 60"),
        ("share_within_days", "seven", "Enter a whole number"),
        ("share_within_days", "", "This field is required"),
        ("respond_within_working_days", "99999999999999999999", "Enter a whole number of working days from 1 to 60"),
        ("amber_actions_within_months", "2.5", "Enter a whole number"),
        ("amber_actions_within_months", "25", "Enter a whole number of months from 1 to 24"),
        # Reminders that would come before their clock starts.
        ("response_reminder_working_days_before", "10", "Enter fewer working days than the delivery team has"),
        ("amber_actions_reminder_days_before", "60", None),  # allowed: 3 months are longer
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(cast, field, typed, message):
    client = signed_in(cast.assessment_team)
    response = client.post(settings_url(), the_form(**{field: typed}))
    if message is None:
        assert response.status_code == 302
        assert getattr(deadlines.in_force(), field) == int(typed)
        return
    assert response.status_code == 200
    assert message in text(response)
    assert deadlines.in_force() == deadlines.DEFAULTS


def test_a_reminder_longer_than_the_months_it_counts_back_from_is_refused(cast):
    response = signed_in(cast.assessment_team).post(
        settings_url(), the_form(amber_actions_within_months=1, amber_actions_reminder_days_before=28)
    )
    assert response.status_code == 200
    assert "Enter fewer than 28 days, so the reminder comes after the report is accepted" in text(response)
    assert deadlines.in_force() == deadlines.DEFAULTS


@pytest.mark.parametrize(
    ("who", "sent_to"),
    [
        ("plus", "/admin/"),  # Wagtail's "Sorry, you do not have permission"
        ("lead", "/admin/login/"),
        ("product_manager", "/admin/login/"),
        ("assessor_not_on_panel", "/admin/login/"),
    ],
)
def test_nobody_but_the_team_opens_or_changes_the_figures(cast, who, sent_to):
    client = signed_in(getattr(cast, who))
    for response in (client.get(settings_url()), client.post(settings_url(), the_form(share_within_days="30"))):
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == sent_to
    assert deadlines.in_force() == deadlines.DEFAULTS
    if who == "plus":
        assert "Policy figures" not in client.get("/admin/").content.decode()


def test_the_team_and_superusers_find_the_figures_under_settings(cast):
    for user in (cast.assessment_team, cast.superuser):
        client = signed_in(user)
        assert "Policy figures" in client.get("/admin/").content.decode()
        page = client.get(settings_url())
        assert page.status_code == 200
        assert "A change applies to assessments booked after it" in text(page)
