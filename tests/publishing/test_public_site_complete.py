"""The public site has no loose ends: the footer's and the phase banner's links work (and vanish rather than break
when their page is unpublished), a report page opens with its ratings, the reports list searches, names itself
consistently, offers only departments with something to show and takes dates as GOV.UK asks, stages read right
everywhere, and the feedback survey exists from the first migrate."""

import csv
import datetime
import html
import importlib
import io
import json
import re

import pytest
from django.core.cache import cache
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.models import Page, PageViewRestriction

from cms.models import GuidancePage
from publishing.models import ReportIndexPage
from tests.cast import make_cast, report_in
from tests.factories import DepartmentFactory, ServiceFactory, UserFactory
from workflow import roles
from workflow.models import (
    FeedbackInvitation,
    FeedbackSurveyPage,
    Phase,
    PointRating,
    Rating,
    ReportPage,
    ReportStatus,
)
from workflow.services import feedback

pytestmark = pytest.mark.django_db

SURVEY_MIGRATION = importlib.import_module("workflow.migrations.0007_feedback_survey_page")
FOOTER_LINKS = {
    "/accessibility-statement/": "Accessibility statement",
    "/privacy-notice/": "Privacy",
    "/cookies/": "Cookies",
}


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def published(letters="gggggggggggggg", **assessment_fields) -> ReportPage:
    return report_in(ReportStatus.PUBLISHED, make_cast(**assessment_fields), letters)


@pytest.fixture
def reports():
    """Three published reports of two departments, a month apart; the last is an alpha reassessment."""
    education, transport = DepartmentFactory(name="Education"), DepartmentFactory(name="Transport")
    licence = published(
        "rggggagggggggg",
        service=ServiceFactory(name="Apply for a licence", department=education),
        phase=Phase.ALPHA,
        date=datetime.date(2026, 1, 10),
    )
    test = published(
        service=ServiceFactory(name="Book a test", department=transport),
        phase=Phase.PUBLIC_BETA,
        date=datetime.date(2026, 2, 10),
    )
    reassessment = published(
        "g",
        service=licence.assessment.service,
        phase=Phase.ALPHA,
        date=datetime.date(2026, 3, 10),
        follows=licence.assessment,
    )
    return {"licence": licence, "test": test, "reassessment": reassessment}


def listed(client, query=""):
    response = client.get("/reports/" + query)
    assert response.status_code == 200
    return response, [report.pk for report in response.context["reports"]]


def footer_of(page_html: str) -> str:
    return page_html.split('<footer class="govuk-template__footer">', 1)[1]


def footer_links(page_html: str) -> dict[str, str]:
    return dict(re.findall(r'<a class="govuk-footer__link" href="(/[^"]*)">([^<]+)</a>', footer_of(page_html)))


def banner_link(page_html: str) -> str | None:
    banner = page_html.split('<div class="govuk-phase-banner', 1)[1].split("</div>", 1)[0]
    found = re.search(r'<a class="govuk-link" href="([^"]+)">give your feedback</a>', banner)
    return found and found.group(1)


# --- the footer and the phase banner ---------------------------------------------------------------------------


def test_every_public_page_links_to_the_footer_pages_and_each_answers(client, reports):
    for url in ["/", "/reports/", reports["licence"].url, "/guidance/", "/guidance/service-assessments/"]:
        page_html = client.get(url).text
        assert footer_links(page_html) == FOOTER_LINKS, url
        assert banner_link(page_html) == "/feedback/", url
    for url, words in FOOTER_LINKS.items():
        response = client.get(url)
        assert response.status_code == 200
        assert words in response.text


def test_the_phase_banner_links_to_a_feedback_page_any_visitor_can_use(client):
    response = client.get(banner_link(client.get("/").text))
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "Give feedback on this service" in text
    assert "feedback survey" in text  # how people who took part give feedback on their assessment
    assert "email" in text  # and everyone else
    # The survey itself needs a personal link, so it is not what the banner sends people to; without one, it says so
    # and points to the feedback page.
    survey = client.get("/assessment-feedback/")
    assert survey.status_code == 404
    assert '<a class="govuk-link" href="/feedback/">give feedback on this service</a>' in survey.text


def test_a_footer_page_unpublished_drops_out_of_cached_pages_rather_than_break(client, reports):
    assert "/cookies/" in footer_links(client.get("/reports/").text)
    cached = client.get("/reports/")
    assert cached["X-Page-Cache"] == "hit"

    GuidancePage.objects.get(url_path="/home/cookies/").unpublish()
    GuidancePage.objects.get(url_path="/home/feedback/").unpublish()

    for url in ["/reports/", reports["licence"].url, "/"]:
        page_html = client.get(url).text
        assert footer_links(page_html) == {
            "/accessibility-statement/": "Accessibility statement",
            "/privacy-notice/": "Privacy",
        }, url
        assert banner_link(page_html) is None
        assert "This is a new service." in page_html
    assert client.get("/cookies/").status_code == 404


def test_a_footer_page_moved_or_made_private_leaves_cached_pages_with_no_dead_link(client, reports):
    assert set(footer_links(client.get("/reports/").text)) == set(FOOTER_LINKS)
    assert client.get("/reports/")["X-Page-Cache"] == "hit"

    cookies = GuidancePage.objects.get(url_path="/home/cookies/")
    cookies.move(GuidancePage.objects.get(url_path="/home/guidance/"), pos="last-child")
    PageViewRestriction.objects.create(
        page=GuidancePage.objects.get(url_path="/home/privacy-notice/"),
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )

    links = footer_links(client.get("/reports/").text)
    assert links == {"/accessibility-statement/": "Accessibility statement"}
    for url in links:
        assert client.get(url).status_code == 200


def test_the_error_pages_render_without_the_database_and_without_footer_links(client, settings):
    from django.template.loader import render_to_string

    for name in ["500.html", "503.html"]:
        page_html = render_to_string(name)
        assert footer_links(page_html) == {}
        assert banner_link(page_html) is None


# --- the report page's summary of ratings ----------------------------------------------------------------------

ROW = re.compile(
    r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="#point-(\d+)">(\d+)\. ([^<]+)</a></th>'
    r'\s*<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--\w+ app-rag-tag">(\w+)</strong></td>'
)


def summary_rows(page_html: str) -> list[tuple[int, str, str]]:
    rows = []
    for anchor, number, title, rating in ROW.findall(page_html):
        assert anchor == number
        rows.append((int(number), html.unescape(title), rating))
    return rows


def test_a_report_page_opens_with_every_point_and_its_rating_each_linking_to_its_section(client, reports):
    report = reports["licence"]
    page_html = client.get(report.url).text
    expected = [
        (rating.number, rating.title, Rating(rating.rating).label)
        for rating in PointRating.objects.filter(report=report).order_by("number")
    ]
    assert len(expected) == 14
    assert summary_rows(page_html) == expected
    assert [row[2] for row in summary_rows(page_html)][:6] == ["Red", "Green", "Green", "Green", "Green", "Amber"]

    table_at = page_html.index('class="govuk-table app-ratings-summary"')
    assert table_at < page_html.index("Service description")
    for number, _, _ in expected:
        # Each link's target is there, once, after the summary.
        assert page_html.count(f'id="point-{number}"') == 1
        assert page_html.index(f'id="point-{number}"') > table_at


def test_a_reassessments_summary_lists_only_the_points_it_rated(client, reports):
    page_html = client.get(reports["reassessment"].url).text
    assert summary_rows(page_html) == [(1, PointRating.objects.get(report=reports["licence"], number=1).title, "Green")]
    assert 'id="point-1"' in page_html


# --- the reports list ------------------------------------------------------------------------------------------


def title_and_h1(page_html: str) -> tuple[str, str]:
    title = html.unescape(re.search(r"<title>([^<]*)</title>", page_html).group(1))
    h1 = html.unescape(re.search(r'<h1 class="govuk-heading-xl">([^<]*)</h1>', page_html).group(1))
    return title, h1


def test_the_reports_list_has_a_search_button_beside_the_search_box(client, reports):
    page_html = client.get("/reports/").text
    form = page_html.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert re.search(
        r'<div class="govuk-input__wrapper">\s*<input class="govuk-input[^"]*" type="search" name="q"[^>]*>\s*'
        r'<button type="submit" class="govuk-button[^"]*" data-module="govuk-button">Search</button>',
        form,
    )
    response, pks = listed(client, "?q=licence")
    assert set(pks) == {reports["licence"].pk, reports["reassessment"].pk}


def test_the_reports_lists_browser_title_and_heading_agree(client, reports, monkeypatch):
    index = ReportIndexPage.objects.get()
    title, h1 = title_and_h1(client.get("/reports/").text)
    assert h1 == index.title
    assert title == f"{index.title} – GOV.UK"  # the heading is the service's name: not said twice

    title, h1 = title_and_h1(client.get("/reports/?result=purple").text)
    assert title == f"Error: {h1} – GOV.UK"

    monkeypatch.setattr(ReportIndexPage, "page_size", 1)
    title, h1 = title_and_h1(client.get("/reports/?page=2").text)
    assert title == f"{h1} (page 2 of 3) – GOV.UK"

    index.title = "Published reports"
    index.save_revision().publish()
    title, h1 = title_and_h1(client.get("/reports/").text)
    assert (title, h1) == ("Published reports – Service assessment reports – GOV.UK", "Published reports")


def department_options(page_html: str) -> list[str]:
    select = page_html.split('name="department"', 1)[1].split("</select>", 1)[0]
    return [html.unescape(name) for name in re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]+)</option>", select)]


def test_the_department_filter_offers_only_departments_with_published_reports(client, reports):
    drafts_only = DepartmentFactory(name="Department of Drafts")
    report_in(ReportStatus.DRAFT, make_cast(service=ServiceFactory(department=drafts_only)))
    report_in(ReportStatus.SHARED, make_cast(service=ServiceFactory(department=DepartmentFactory(name="Shared"))))
    ServiceFactory(department=DepartmentFactory(name="No reports at all"))

    with_published = sorted(
        {
            report.assessment.service.department.name
            for report in ReportPage.objects.live().filter(status=ReportStatus.PUBLISHED)
        }
    )
    assert with_published == ["Education", "Transport"]
    assert department_options(client.get("/reports/").text) == ["All departments", *with_published]

    # Publishing a report of another department adds it (the cached list is cleared on publish).
    published(service=ServiceFactory(department=drafts_only), date=datetime.date(2026, 4, 1))
    assert "Department of Drafts" in department_options(client.get("/reports/").text)


def test_the_date_filters_use_the_govuk_date_input(client, reports):
    page_html = client.get("/reports/").text
    assert 'type="date"' not in page_html
    for name in ["date_from", "date_to"]:
        for part in ["day", "month", "year"]:
            assert re.search(
                rf'<input class="govuk-input govuk-date-input__input[^"]*" type="text" name="{name}_{part}"', page_html
            )
    assert "Assessed on or after" in page_html and "Assessed on or before" in page_html


def in_range(start=None, end=None) -> set[int]:
    reports = ReportPage.objects.live().filter(status=ReportStatus.PUBLISHED)
    if start:
        reports = reports.filter(assessment__date__gte=start)
    if end:
        reports = reports.filter(assessment__date__lte=end)
    return set(reports.values_list("pk", flat=True))


def test_the_date_filters_filter_by_day_month_and_year(client, reports):
    _, pks = listed(client, "?date_from_day=1&date_from_month=2&date_from_year=2026")
    assert set(pks) == in_range(datetime.date(2026, 2, 1)) == {reports["test"].pk, reports["reassessment"].pk}
    _, pks = listed(
        client,
        "?date_from_day=1&date_from_month=2&date_from_year=2026&date_to_day=28&date_to_month=2&date_to_year=2026",
    )
    assert set(pks) == in_range(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)) == {reports["test"].pk}
    # Empty boxes filter nothing.
    _, pks = listed(client, "?date_from_day=&date_from_month=&date_from_year=")
    assert set(pks) == in_range()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "?date_from_day=31&date_from_month=2&date_from_year=2026",
            "date_from",
            "The 'assessed on or after' date must be a real date",
        ),
        ("?date_from_day=1&date_from_year=2026", "date_from", "The 'assessed on or after' date must include a month"),
        ("?date_to_day=1&date_to_month=2&date_to_year=26", "date_to", "Year must include 4 numbers"),
        (
            "?date_to_day=one&date_to_month=2&date_to_year=2026",
            "date_to",
            "The 'assessed on or before' date must be a real date",
        ),
        (
            "?date_from_day=99999999999999999999&date_from_month=1&date_from_year=2026",
            "date_from",
            "must be a real date",
        ),
        ("?date_from=27-03-2026", "date_from", "must be a real date"),
    ],
)
def test_a_date_that_is_not_real_gets_a_govuk_error_and_filters_nothing(client, reports, query, field, message):
    response, pks = listed(client, query + "&result=green")
    page_html = html.unescape(response.text)
    assert "There is a problem" in page_html
    assert message in page_html
    # The summary links to the first box, which is there once and marked as in error.
    assert re.search(rf'<a href="#id_{field}_0">[^<]*{re.escape(message)}', page_html)
    assert page_html.count(f'id="id_{field}_0"') == 1
    assert re.search(
        rf'class="govuk-input govuk-date-input__input [^"]*govuk-input--error"[^>]*id="id_{field}_0"', page_html
    )
    # The valid filter still applies; the bad date filters nothing.
    assert set(pks) == {
        report.pk for report in ReportPage.objects.filter(pk__in=in_range(), overall_rating=Rating.GREEN)
    }


def test_an_end_date_before_the_start_date_is_refused_and_the_start_date_still_filters(client, reports):
    response, pks = listed(
        client, "?date_from_day=1&date_from_month=3&date_from_year=2026&date_to_day=1&date_to_month=2&date_to_year=2026"
    )
    page_html = html.unescape(response.text)
    assert "must be the same as or after the 'assessed on or after' date" in page_html
    assert '<a href="#id_date_to_0">' in page_html
    assert set(pks) == in_range(datetime.date(2026, 3, 1)) == {reports["reassessment"].pk}


@pytest.mark.parametrize("old", ["2026-02-01", "1/2/2026", "01/02/2026", "1 February 2026"])
def test_old_single_date_links_still_filter_and_fill_the_boxes(client, reports, old):
    response, pks = listed(client, f"?date_from={old}")
    assert set(pks) == in_range(datetime.date(2026, 2, 1))
    assert "There is a problem" not in response.text
    page_html = response.text
    assert re.search(r'name="date_from_day" value="1"', page_html)
    assert re.search(r'name="date_from_month" value="2"', page_html)
    assert re.search(r'name="date_from_year" value="2026"', page_html)


def test_stages_read_right_in_the_list_the_feed_the_exports_and_the_report(client, reports):
    reassessment = reports["reassessment"]
    everywhere = {
        "list": client.get("/reports/").text,
        "feed": client.get("/reports/feed/").text,
        "report": client.get(reassessment.url).text,
        "csv": b"".join(client.get("/reports/export.csv").streaming_content).decode(),
        "json": b"".join(client.get("/reports/export.json").streaming_content).decode(),
    }
    for where, text in everywhere.items():
        assert "reassessment assessment" not in text.lower(), where
        assert "beta assessment assessment" not in text.lower(), where

    assert "Alpha reassessment, 10 March 2026." in everywhere["list"]
    assert "Alpha assessment, 10 January 2026." in everywhere["list"]
    assert "Public beta assessment, 10 February 2026." in everywhere["list"]
    assert "Apply for a licence: Alpha reassessment, 10 March 2026" in everywhere["feed"]
    assert "The report for the Apply for a licence alpha reassessment on 10 March 2026." in everywhere["report"]
    assert (
        "<title>Apply for a licence alpha reassessment report – Service assessment reports – GOV.UK</title>"
        in (everywhere["report"])
    )
    # The earlier report, linked from the reassessment's page, is named as an assessment.
    assert "Alpha assessment, 10 January 2026</a>" in everywhere["report"]

    rows = {row["assessment_date"]: row for row in csv.DictReader(io.StringIO(everywhere["csv"]))}
    assert (rows["2026-03-10"]["stage"], rows["2026-03-10"]["reassessment"]) == ("Alpha reassessment", "yes")
    assert (rows["2026-01-10"]["stage"], rows["2026-01-10"]["reassessment"]) == ("Alpha", "no")
    items = {item["assessment_date"]: item for item in json.loads(everywhere["json"])}
    assert items["2026-03-10"]["stage"] == "Alpha reassessment"
    assert items["2026-02-10"]["stage"] == "Public beta"


# --- the feedback survey ---------------------------------------------------------------------------------------


def test_the_feedback_survey_exists_after_migrate_without_the_email_job(client):
    assert not FeedbackInvitation.objects.exists()  # no feedback email has been prepared
    survey = FeedbackSurveyPage.objects.get()
    home = Page.objects.get(url_path="/home/")
    assert survey.get_parent().pk == home.pk
    assert survey.slug == "assessment-feedback"
    assert survey.url == "/assessment-feedback/"
    assert survey.live and survey.live_revision_id == survey.latest_revision_id is not None
    fields = [
        {
            "label": field.label,
            "field_type": field.field_type,
            "required": field.required,
            "choices": field.choices,
            "help_text": field.help_text,
        }
        for field in survey.form_fields.order_by("sort_order")
    ]
    expected = [{"choices": "", "help_text": "", **field} for field in feedback._default_fields()]
    assert fields == expected
    for field in survey.form_fields.all():
        assert field.clean_name == get_field_clean_name(field.label)
    assert [question for question, _ in SURVEY_MIGRATION.QUESTIONS] == [q for q, _ in feedback.DEFAULT_QUESTIONS]

    # The services use it rather than make another.
    assert feedback.survey_page().pk == survey.pk
    assert FeedbackSurveyPage.objects.count() == 1
    # A personal link opens the migration's questions.
    invitation = feedback.invitation(assessment=make_cast().assessment, email="someone@example.gov.uk")
    response = client.get(f"/assessment-feedback/?token={invitation.token}")
    assert response.status_code == 200
    for question, _ in feedback.DEFAULT_QUESTIONS:
        assert question in response.text


def test_the_assessment_team_edits_the_survey_in_the_wagtail_admin(client):
    survey = FeedbackSurveyPage.objects.get()
    client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    response = client.get(f"/admin/pages/{survey.pk}/edit/")
    assert response.status_code == 200
    assert "How was the assessment on the day?" in response.text


def test_a_deleted_survey_is_made_again_when_needed():
    FeedbackSurveyPage.objects.get().delete()
    survey = feedback.survey_page()
    assert survey.url == "/assessment-feedback/"
    assert survey.form_fields.count() == len(feedback._default_fields())
    assert FeedbackSurveyPage.objects.count() == 1
