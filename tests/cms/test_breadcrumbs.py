"""The breadcrumbs of guidance pages and the reports list: the home page, then each page between it and this one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import GuidancePage

pytestmark = pytest.mark.django_db


def breadcrumbs(html: str) -> list[tuple[str, str]]:
    nav = html.split('aria-label="Breadcrumb"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a class="govuk-breadcrumbs__link" href="([^"]*)">([^<]*)</a>', nav)


def test_a_page_under_the_home_page_has_home_alone_without_asking_for_its_ancestors(client):
    client.get("/guidance/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/guidance/")
    assert breadcrumbs(response.text) == [("/", "Home")]
    assert not [q for q in queries.captured_queries if '"wagtailcore_page"."path" IN (' in q["sql"]]


def test_a_deeper_page_has_each_page_above_it(client):
    index = GuidancePage.objects.get(slug="guidance")
    child = index.get_children().live().first()
    response = client.get(f"/guidance/{child.slug}/")
    assert breadcrumbs(response.text) == [("/", "Home"), ("/guidance/", index.title)]


def test_the_reports_list_has_home(client):
    assert breadcrumbs(client.get("/reports/").text) == [("/", "Home")]
