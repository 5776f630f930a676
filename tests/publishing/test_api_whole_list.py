"""The API's whole list (`/api/v2/pages/`, a page at a time): the same pages, in the same order and with the same
count, as Wagtail's own query would give, read from the reports list's rows so that it costs the same at any size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms.models import GuidancePage
from tests.cast import make_cast, report_in
from workflow.models import ReportPage, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def publish(count: int) -> list[ReportPage]:
    return [report_in(ReportStatus.PUBLISHED, make_cast()) for _ in range(count)]


@pytest.fixture
def pages():
    """Published reports, a report not yet shared, and guidance pages before and after the reports in the tree, one
    of them private."""
    publish(4)
    report_in(ReportStatus.SUBMITTED, make_cast())
    home = GuidancePage.objects.get(slug="guidance").get_parent()
    home.add_child(instance=GuidancePage(title="After the reports", slug="after-the-reports"))
    private = home.add_child(instance=GuidancePage(title="Private", slug="private"))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    publish(2)


def expected() -> list[int]:
    """What the API may show, in Wagtail's order, worked out the slow way."""
    guidance = set(GuidancePage.objects.live().public().values_list("pk", flat=True))
    reports = set(ReportPage.objects.live().public().filter(status=ReportStatus.PUBLISHED).values_list("pk", flat=True))
    return [pk for pk in Page.objects.order_by("path").values_list("pk", flat=True) if pk in guidance | reports]


def listed(client, **params) -> tuple[int, list[int]]:
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 200
    data = response.json()
    return data["meta"]["total_count"], [item["id"] for item in data["items"]]


def test_every_window_of_the_whole_list_is_wagtails_own(client, pages):
    everything = expected()
    reports_at = [i for i, pk in enumerate(everything) if ReportPage.objects.filter(pk=pk).exists()]
    assert reports_at[0] > 0 and reports_at[-1] < len(everything) - 1, "guidance pages on both sides of the reports"

    for limit in (1, 3, 20):
        for offset in range(len(everything) + 2):
            assert listed(client, offset=offset, limit=limit) == (len(everything), everything[offset : offset + limit])
    assert listed(client, limit=0) == (len(everything), [])


def test_the_whole_list_shows_nothing_its_rows_hold_by_mistake(client, pages):
    # A row left behind (a report since unpublished, say) is not shown: the pages are read through the API's rules.
    hidden = ReportPage.objects.filter(status=ReportStatus.PUBLISHED).first()
    ReportPage.objects.filter(pk=hidden.pk).update(status=ReportStatus.ACCEPTED)

    count, ids = listed(client, limit=20)
    assert hidden.pk not in ids


def test_a_search_or_a_filter_is_wagtails_own_query(client, pages):
    report = ReportPage.objects.filter(status=ReportStatus.PUBLISHED).first()
    data = client.get("/api/v2/pages/", {"type": "workflow.ReportPage", "title": report.title}).json()
    assert report.pk in [item["id"] for item in data["items"]]
    assert client.get("/api/v2/pages/", {"order": "-id"}).json()["items"][0]["id"] == max(expected())


def whole_list_queries(client, **params) -> int:
    listed(client, **params)  # the first request reads what later ones find cached (the Site, view restrictions)
    with CaptureQueriesContext(connection) as queries:
        listed(client, **params)
    return len(queries)


def test_the_whole_list_makes_the_same_queries_however_many_reports(client, pages):
    first, deep = whole_list_queries(client), whole_list_queries(client, offset=5)
    publish(6)
    assert (whole_list_queries(client), whole_list_queries(client, offset=5)) == (first, deep)
