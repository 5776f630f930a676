"""The admin's insights period and the booking's assessment date: GOV.UK's day, month and year boxes in the admin's
styles, never the browser's date picker; old links with an ISO date still work; mistakes are told in the admin's
own error style; and each page is named in the admin's header rather than "Home"."""

import datetime
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.cast import make_cast, report_in, signed_in
from workflow.models import Assessment, BookingRequest, BookingStatus, Phase, ReportStatus
from workflow.services.booking import booking_request

pytestmark = pytest.mark.django_db

OWN_FILES = [
    "workflow/admin/insights.py",
    "workflow/admin/booking.py",
    "templates/workflow/admin/insights.html",
    "templates/workflow/admin/insights_chart.html",
    "templates/workflow/admin/insights_table.html",
    "templates/workflow/admin/insights_follow_through.html",
    "templates/workflow/admin/insights_open_table.html",
    "templates/workflow/admin/insights_pairs_chart.html",
    "templates/workflow/admin/booking_decide.html",
    "templates/workflow/admin/form_fields.html",
]


@pytest.fixture
def cast():
    return make_cast(date=datetime.date(2026, 3, 2))


def boxes(html: str, name: str) -> dict[str, str | None]:
    """The value in each of a date's three boxes (None when empty)."""
    found = {}
    for part in ("day", "month", "year"):
        tag = re.search(rf'<input type="text" name="{name}_{part}"[^>]*>', html)
        assert tag, f"{name}_{part}"
        value = re.search(r'value="([^"]*)"', tag.group(0))
        found[part] = value.group(1) if value else None
    return found


def period_sentence(html: str) -> str:
    return re.search(r"<p>Assessments from (.*?):", html).group(1)


def test_no_date_picker_in_the_admins_date_fields():
    for name in OWN_FILES:
        text = (Path(settings.BASE_DIR) / name).read_text(encoding="utf-8")
        assert 'type="date"' not in text and '"type": "date"' not in text, name
        assert "forms.DateInput" not in text, name


def test_the_period_is_three_boxes_each_for_from_and_to_in_a_fieldset(cast):
    html = signed_in(cast.assessment_team).get("/admin/insights/").content.decode()

    assert 'type="date"' not in html
    today = timezone.localdate()
    assert boxes(html, "end") == {"day": str(today.day), "month": str(today.month), "year": str(today.year)}
    assert boxes(html, "start")["year"] is not None
    assert re.search(r'<legend class="w-field__label">From<', html)
    assert re.search(r'<legend class="w-field__label">To<', html)
    for part in ("Day", "Month", "Year"):
        assert html.count(f">{part}</label>") == 2


def test_the_boxes_choose_the_period_and_its_reports(cast):
    report_in(ReportStatus.SHARED, cast)  # assessed 2 March 2026
    client = signed_in(cast.assessment_team)
    query = {"start_day": "1", "start_month": "3", "start_year": "2026", "end_day": "31", "end_month": "3"}

    march = client.get("/admin/insights/", {**query, "end_year": "2026"}).content.decode()
    april = client.get(
        "/admin/insights/", {**query, "start_month": "4", "end_month": "4", "end_day": "30", "end_year": "2026"}
    )

    assert period_sentence(march) == "1 March 2026 to 31 March 2026"
    assert "1 report shared with delivery teams" in march
    assert "0 reports shared with delivery teams" in april.content.decode()
    assert boxes(march, "start") == {"day": "1", "month": "3", "year": "2026"}


def test_an_old_link_with_iso_dates_still_works_and_fills_the_boxes(cast):
    report_in(ReportStatus.SHARED, cast)
    client = signed_in(cast.assessment_team)

    html = client.get("/admin/insights/", {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()

    assert period_sentence(html) == "1 March 2026 to 31 March 2026"
    assert "1 report shared" in html
    assert boxes(html, "end") == {"day": "31", "month": "3", "year": "2026"}
    csv = client.get("/admin/insights/", {"start": "2026-03-01", "end": "2026-03-31", "csv": "phases"})
    assert csv.content.decode().splitlines()[1] == "Alpha,0,1,0,1"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start_day": "31", "start_month": "2", "start_year": "2026"}, "Start date must be a real date"),
        ({"start_day": "1", "start_month": "", "start_year": "2026"}, "Start date must include a month"),
        ({"start_day": "1", "start_month": "3", "start_year": "26"}, "Year must include 4 numbers"),
        ({"start": "2026-02-30"}, "Start date must be a real date"),
        ({"start_day": "", "start_month": "", "start_year": ""}, "Enter the start date"),
    ],
)
def test_a_wrong_date_is_told_in_the_admins_error_style_and_keeps_what_was_typed(cast, query, message):
    end = {"end_day": "31", "end_month": "3", "end_year": "2026"}

    response = signed_in(cast.assessment_team).get("/admin/insights/", {**query, **end})

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert re.search(rf'<p class="error-message">\s*{re.escape(message)}', html)
    assert "w-field--error" in html
    assert boxes(html, "end") == {"day": "31", "month": "3", "year": "2026"}
    if "start_month" in query:
        assert boxes(html, "start")["day"] == (query["start_day"] or None)


def test_a_period_that_ends_before_it_starts_is_refused_in_the_admins_style(cast):
    html = (
        signed_in(cast.assessment_team)
        .get("/admin/insights/", {"start": "2026-03-31", "end": "2026-03-01"})
        .content.decode()
    )
    assert re.search(r'<li class="error">The start of the period must be before its end.</li>', html)


def test_the_insights_page_has_its_own_title_in_the_admin_header(cast):
    html = signed_in(cast.assessment_team).get("/admin/insights/").content.decode()

    assert re.search(r"<title>\s*Insights", html)
    assert re.search(r'<h1 class="w-sr-only">\s*Insights\s*</h1>', html)
    breadcrumbs = re.search(r"<nav[^>]*aria-label=\"Breadcrumb\".*?</nav>", html, re.S).group(0)
    assert [unescape(item).strip() for item in re.findall(r">\s*([^<>]+?)\s*<", breadcrumbs) if item.strip()][-1] == (
        "Insights"
    )


# The booking's assessment date


@pytest.fixture
def booking(cast):
    return booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)


def test_the_assessment_date_is_three_boxes_and_the_page_is_named_in_the_header(cast, booking):
    html = signed_in(cast.assessment_team).get(f"/admin/bookings/decide/{booking.pk}/").content.decode()

    assert 'type="date"' not in html
    assert boxes(html, "date") == {"day": None, "month": None, "year": None}
    assert re.search(r'<legend class="w-field__label">Assessment date<', html)
    breadcrumbs = re.search(r"<nav[^>]*aria-label=\"Breadcrumb\".*?</nav>", html, re.S).group(0)
    assert "Booking requests" in breadcrumbs and "Answer the booking request" in breadcrumbs


def test_accepting_with_the_date_in_boxes_books_that_date(cast, booking):
    response = signed_in(cast.assessment_team).post(
        f"/admin/bookings/decide/{booking.pk}/",
        {"decision": "accept", "date_day": "1", "date_month": "12", "date_year": "2026", "panel_lead": cast.lead.pk},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED
    assert booking.assessment.date == datetime.date(2026, 12, 1)


def test_an_old_form_posting_an_iso_date_still_works(cast, booking):
    signed_in(cast.assessment_team).post(
        f"/admin/bookings/decide/{booking.pk}/",
        {"decision": "accept", "date": "2026-12-01", "panel_lead": cast.lead.pk},
    )
    booking.refresh_from_db()
    assert booking.assessment.date == datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ({"date_day": "30", "date_month": "2", "date_year": "2027"}, "Assessment date must be a real date"),
        ({"date_day": "1", "date_month": "12", "date_year": ""}, "Assessment date must include a year"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the assessment date"),
    ],
)
def test_a_wrong_assessment_date_is_told_once_and_nothing_is_booked(cast, booking, date, message):
    assessments = Assessment.objects.count()

    response = signed_in(cast.assessment_team).post(
        f"/admin/bookings/decide/{booking.pk}/", {"decision": "accept", **date, "panel_lead": cast.lead.pk}
    )

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert len(re.findall(rf'<p class="error-message">\s*{re.escape(message)}', html)) == 1
    assert boxes(html, "date")["day"] == (date["date_day"] or None)
    assert BookingRequest.objects.get(pk=booking.pk).status == BookingStatus.REQUESTED
    assert Assessment.objects.count() == assessments
