"""The reports section the public reads: filters, search, pagination and the report page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing import selectors
from publishing.models import ReportIndexPage
from tests.cast import PATH_TO, make_cast, report_in
from tests.factories import DepartmentFactory, ServiceFactory
from workflow.models import Phase, ReportAction, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def published(letters="gggggggggggggg", **assessment_fields):
    return report_in(ReportStatus.PUBLISHED, make_cast(**assessment_fields), letters)


def listed(client, query=""):
    response = client.get("/reports/" + query)
    assert response.status_code == 200
    return response, [report.pk for report in response.context["reports"]]


@pytest.fixture
def three():
    """A red alpha, an amber beta and a green live, each of its own department, assessed a month apart."""
    education, transport, health = (DepartmentFactory(name=n) for n in ["Education", "Transport", "Health"])
    return {
        "red": published(
            "rgggggggggggggg",
            service=ServiceFactory(name="Apply for a licence", department=education),
            phase=Phase.ALPHA,
            date=datetime.date(2026, 1, 10),
        ),
        "amber": published(
            "agggggggggggggg",
            service=ServiceFactory(name="Book a test", department=transport, description="Book a driving test"),
            phase=Phase.PUBLIC_BETA,
            date=datetime.date(2026, 2, 10),
        ),
        "green": published(
            service=ServiceFactory(name="Find a clinic", department=health),
            phase=Phase.LIVE,
            date=datetime.date(2026, 3, 10),
        ),
    }


def test_lists_published_reports_newest_assessment_first(client, three):
    _, pks = listed(client)
    assert pks == [three["green"].pk, three["amber"].pk, three["red"].pk]


@pytest.mark.parametrize("result", ["red", "amber", "green"])
def test_filters_by_result(client, three, result):
    _, pks = listed(client, f"?result={result}")
    assert pks == [three[result].pk]


def test_filters_by_several_results(client, three):
    _, pks = listed(client, "?result=red&result=green")
    assert pks == [three["green"].pk, three["red"].pk]


def test_filters_by_stage_telling_reassessments_apart(client, three):
    red = three["red"]
    reassessment = published(
        service=red.assessment.service,
        phase=Phase.ALPHA,
        date=datetime.date(2026, 4, 1),
        follows=red.assessment,
    )
    assert listed(client, "?stage=alpha")[1] == [red.pk]
    assert listed(client, "?stage=alpha_reassessment")[1] == [reassessment.pk]
    assert listed(client, "?stage=alpha&stage=live")[1] == [three["green"].pk, red.pk]


def test_filters_by_department(client, three):
    department = three["amber"].assessment.service.department
    assert listed(client, f"?department={department.slug}")[1] == [three["amber"].pk]


def test_filters_by_assessment_date_range(client, three):
    assert listed(client, "?date_from=1/2/2026&date_to=28/2/2026")[1] == [three["amber"].pk]
    assert listed(client, "?date_from=2026-02-11")[1] == [three["green"].pk]
    assert listed(client, "?date_to=10/1/2026")[1] == [three["red"].pk]


def test_searches_service_names_and_descriptions(client, three):
    assert listed(client, "?q=licence")[1] == [three["red"].pk]
    assert listed(client, "?q=driving")[1] == [three["amber"].pk]
    assert listed(client, "?q=nothing-like-this")[1] == []


def test_search_combines_with_filters(client, three):
    assert listed(client, "?q=clinic&result=green")[1] == [three["green"].pk]
    assert listed(client, "?q=clinic&result=red")[1] == []


def test_the_form_keeps_its_state_from_the_url(client, three):
    response, _ = listed(client, "?q=clinic&result=green&stage=live&date_from=1%2F3%2F2026")
    html = response.text
    assert 'value="clinic"' in html
    assert re.search(r'value="green"[^>]*checked', html)
    assert re.search(r'value="live"[^>]*checked', html)
    # An old link's single date shows in the GOV.UK date input's three boxes.
    assert re.search(r'name="date_from_day"[^>]*value="1"', html)
    assert re.search(r'name="date_from_month"[^>]*value="3"', html)
    assert re.search(r'name="date_from_year"[^>]*value="2026"', html)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date_from=31/2/2026", "must be a real date"),
        ("?date_to=yesterday", "must be a real date"),
        ("?result=purple", "Select a result from the list"),
        ("?stage=beta-ish", "Select a stage from the list"),
        ("?department=no-such-department", "Select a department from the list"),
        ("?date_from=10/3/2026&date_to=1/3/2026", "must be the same as or after"),
        ("?page=banana", None),
        ("?page=9999", None),
    ],
)
def test_bad_input_shows_an_error_never_a_500(client, three, query, message):
    response, pks = listed(client, query)
    if message:
        assert "There is a problem" in response.text
        assert message in response.text
        assert response.text.count("govuk-error-message") >= 1
    # The valid part of the query still filters; an invalid filter filters nothing.
    assert pks


def test_pagination_keeps_the_filters(client, three, monkeypatch):
    monkeypatch.setattr(ReportIndexPage, "page_size", 1)
    response, pks = listed(client, "?result=red&result=green")
    assert pks == [three["green"].pk]
    assert "?result=red&amp;result=green&amp;page=2" in response.text
    response, pks = listed(client, "?result=red&result=green&page=2")
    assert pks == [three["red"].pk]


@pytest.mark.parametrize("status", [s for s in PATH_TO if s != ReportStatus.PUBLISHED])
def test_unpublished_reports_are_not_listed(client, three, status):
    hidden = report_in(status, make_cast(service=ServiceFactory(name="Hidden service")))
    _, pks = listed(client)
    assert hidden.pk not in pks
    assert listed(client, "?q=hidden")[1] == []


def test_the_report_page_reads_like_a_govuk_report(client, three):
    red = three["red"]
    later = published(
        service=red.assessment.service,
        phase=Phase.ALPHA,
        date=datetime.date(2026, 4, 1),
        follows=red.assessment,
    )
    response = client.get(later.url)
    assert response.status_code == 200
    html = response.text
    assert '<h1 class="govuk-heading-xl">Apply for a licence</h1>' in html
    assert "The report for the Apply for a licence alpha reassessment on 1 April 2026." in html
    assert "Education" in html
    assert "Published:" in html
    assert "Previous assessment reports" in html
    assert f'href="{red.url}"' in html
    assert (
        'Alpha assessment, 10 January 2026</a>: <strong class="govuk-tag govuk-tag--red app-rag-tag">Red</strong>'
        in html
    )
    assert "Service description" in html and "Service users" in html
    # Ratings in words, not colour alone.
    assert 'Rating: <strong class="govuk-tag govuk-tag--green app-rag-tag">Green</strong>' in html
    # The earlier report links to nothing later.
    assert "Previous assessment reports" not in client.get(red.url).text


def test_report_page_and_list_queries_do_not_grow_with_reports(client, three):
    def count(path):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    report = three["amber"]
    page_before, list_before = count(report.url), count("/reports/")
    for n in range(3):
        published(
            "ragggggggggggg",
            service=report.assessment.service,
            phase=Phase.ALPHA,
            date=datetime.date(2025, 1, 1 + n),
        )
    assert count(report.url) == page_before
    assert count("/reports/") == list_before


def test_selector_sees_only_published_reports(three):
    report_in(ReportStatus.SHARED, make_cast())
    assert set(selectors.published_reports().values_list("pk", flat=True)) == {r.pk for r in three.values()}


def test_the_report_page_shows_every_action_in_order_and_names_the_reports_list(client):
    report = published("rag" + "g" * 11)
    red = report.ratings.get(number=1)
    ReportAction.objects.create(rating=red, description="Then test with screen reader users.")
    index = ReportIndexPage.objects.get()
    index.title = "Assessment reports"
    index.save_revision().publish()

    html = client.get(report.url).text

    first, second, amber = (html.index(text) for text in ["Fix point 1.", "Then test with screen", "Fix point 2."])
    assert first < second < amber
    assert 'Rating: <strong class="govuk-tag govuk-tag--red app-rag-tag">Red</strong>' in html
    assert 'Rating: <strong class="govuk-tag govuk-tag--yellow app-rag-tag">Amber</strong>' in html
    breadcrumbs = html[html.index('class="govuk-breadcrumbs"') : html.index("</nav>", html.index("govuk-breadcrumbs"))]
    assert '<a class="govuk-breadcrumbs__link" href="/reports/">Assessment reports</a>' in breadcrumbs
