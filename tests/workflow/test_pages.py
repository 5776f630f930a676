import pytest

from workflow.models import ReportPage, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_content):
    """The demo content, made once for this module (tests/conftest.py)."""


def test_home_and_guidance_pages_are_served(client):
    home = client.get("/")
    assert home.status_code == 200
    assert "Service assessment reports" in home.text
    guidance = client.get("/guidance/")
    assert guidance.status_code == 200
    assert "How service assessments work" in guidance.text


def test_the_reports_section_lists_only_published_reports(client, demo):
    response = client.get("/reports/")
    assert response.status_code == 200
    listed = [report.url for report in response.context["reports"]]
    published = ReportPage.objects.filter(status=ReportStatus.PUBLISHED)
    assert sorted(listed) == sorted(report.url for report in published)
    assert listed


@pytest.mark.parametrize(
    "status",
    [s for s in ReportStatus.values if s not in (*ReportStatus.served_at_its_address(), ReportStatus.ACCEPTED)],
)
def test_an_unpublished_report_answers_404_to_the_public(client, demo, status):
    reports = ReportPage.objects.filter(status=status)
    assert reports
    for report in reports:
        assert client.get(report.url_path.removeprefix("/home")).status_code == 404


def test_a_published_report_shows_each_point_and_its_rating_in_words(client, demo):
    report = ReportPage.objects.filter(status=ReportStatus.PUBLISHED, assessment__follows=None).first()
    response = client.get(report.url)
    assert response.status_code == 200
    html = response.text
    assert f"The report for the {report.title}" in html
    for rating in report.ratings.all():
        assert f"{rating.number}. {rating.title}".replace("'", "&#x27;") in html
    assert ">Red<" in html or ">Amber<" in html or ">Green<" in html


def test_a_missing_page_gets_the_govuk_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
