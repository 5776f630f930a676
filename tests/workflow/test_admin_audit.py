"""The audit view in the admin: dates as people read them in UK time, descriptions never cut mid-word, every
row reachable through its pages, and its own title in the admin's header."""

import datetime
import html
import math
import re
from urllib.parse import urljoin

import pytest
from wagtail.users.models import UserProfile

from tests.cast import make_cast, report_in, signed_in
from tests.factories import AssessmentFactory, ServiceFactory, UserFactory
from workflow import roles
from workflow.admin import audit, history
from workflow.models import Assessment, ReportAction, ReportStatus

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def assessment_team():
    return UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM])


def audit_page(client, **params) -> str:
    response = client.get("/admin/audit/", params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def cells(page: str) -> list[list[str]]:
    """The text of each cell of each row of the audit table."""
    start = page.index('<table class="listing">')
    table = page[start : page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], flags=re.S)
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows
    ]


@pytest.mark.parametrize(
    "moment, shown",
    [
        (datetime.datetime(2026, 12, 1, 15, 5, tzinfo=UTC), "1 December 2026, 3:05pm"),  # GMT
        (datetime.datetime(2027, 7, 1, 14, 5, tzinfo=UTC), "1 July 2027, 3:05pm"),  # BST
        (datetime.datetime(2027, 7, 1, 23, 30, tzinfo=UTC), "2 July 2027, 12:30am"),  # the next day in the UK
        (datetime.datetime(2026, 12, 2, 9, 0, tzinfo=UTC), "2 December 2026, 9am"),
        (datetime.datetime(2026, 12, 2, 12, 0, tzinfo=UTC), "2 December 2026, midday"),
        (datetime.datetime(2026, 12, 2, 0, 0, tzinfo=UTC), "2 December 2026, midnight"),
    ],
)
def test_dates_read_as_people_say_them_in_uk_time(moment, shown):
    assert history.uk_date_time(moment) == shown


def test_the_audit_view_shows_uk_time_whatever_the_admin_users_own_time_zone(assessment_team):
    summer = AssessmentFactory(service=ServiceFactory(name="Summer service"))
    Assessment.history.filter(id=summer.pk).update(history_date=datetime.datetime(2027, 7, 1, 14, 5, tzinfo=UTC))
    profile = UserProfile.get_for_user(assessment_team)
    profile.current_time_zone = "America/New_York"
    profile.save()

    rows = cells(audit_page(signed_in(assessment_team), what="assessment"))

    (row,) = [row for row in rows if "Summer service" in row[2]]
    assert row[0] == "1 July 2027, 3:05pm"
    assert not any(re.search(r"\d\d:\d\d", row[0]) for row in rows)  # never "15:05"


def test_a_long_description_is_cut_at_a_word_boundary_with_an_ellipsis(assessment_team):
    cast = make_cast()
    report = report_in(ReportStatus.SUBMITTED, cast)
    action = ReportAction.objects.get(rating__report=report)
    words = [f"evidence{number:03d}" for number in range(80)]  # 960 characters
    action._history_user = cast.assessment_team
    action.description = "Publish the accessibility statement and " + " ".join(words[:20])
    action.evidence = " ".join(words)
    action.save()

    rows = cells(audit_page(signed_in(assessment_team), what="action"))

    (changed,) = [row for row in rows if row[3].startswith("Changed")]
    (evidence,) = re.findall(r"Evidence: \(blank\) → (.*?)(?: Description:|$)", changed[3])
    assert evidence.endswith("…")
    shown = evidence.removesuffix("…")
    assert shown.split() == words[: len(shown.split())]  # whole words, in order
    assert 0 < len(shown.split()) < len(words)
    # The action's own name, too, ends at a word.
    label = changed[2].removeprefix("Report action: ")
    assert label.startswith("Publish the accessibility statement and")
    assert all(word in action.description.split() for word in label.removesuffix("…").split())


def test_every_row_is_reachable_through_the_pages(assessment_team):
    service = ServiceFactory(name="Busy service")
    made = [
        AssessmentFactory(service=service, date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
        for n in range(450)
    ]
    client = signed_in(assessment_team)

    for what in ("assessment", ""):
        seen, url, pages = [], "/admin/audit/", 0
        params = {"what": what}
        while url:
            response = client.get(url, params)
            assert response.status_code == 200
            page = html.unescape(response.content.decode())
            seen += [row[2] for row in cells(page)]
            pages += 1
            following = re.search(r'<li class="next">\s*<a href="([^"]+)"', page)
            url, params = (urljoin("/admin/audit/", following[1]), {}) if following else (None, None)
        assert sorted(label for label in seen if "Busy service" in label) == sorted(f"Assessment: {a}" for a in made)
        assert len(seen) == len(set(seen))  # no row on two pages
        total = history.everything(what=what or None).count()
        assert pages == math.ceil(total / audit.PER_PAGE) >= 5


def test_a_page_past_the_end_or_not_a_number_is_no_error(assessment_team):
    AssessmentFactory()
    client = signed_in(assessment_team)
    for page in ("999", "abc", "-1", ""):
        assert client.get("/admin/audit/", {"p": page}).status_code == 200
    assert client.get("/admin/audit/", {"what": "<script>"}).status_code == 200


def test_the_audit_view_has_its_own_title_in_the_admin_header(assessment_team):
    page = audit_page(signed_in(assessment_team))
    header = page[page.index("<header") : page.index("</header>")]
    assert re.search(r"<h1[^>]*>\s*Audit history\s*</h1>", header)
    breadcrumbs = re.findall(r"<li[^>]*>\s*<a[^>]*>(.*?)</a>", header, flags=re.S)
    assert [re.sub(r"<[^>]+>|\s+", " ", crumb).strip() for crumb in breadcrumbs] == ["Home", "Audit history"]


def _page_queries(client, what: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    audit_page(client, what=what)  # the first request of a session reads what later ones find cached
    with CaptureQueriesContext(connection) as queries:
        audit_page(client, what=what)
    return len(queries)


def _busy(count: int) -> None:
    """Reports with their panels and delivery teams, each report and assessment changed once after it was made."""
    for _ in range(count):
        cast = make_cast()
        report = report_in(ReportStatus.SUBMITTED, cast)
        report.service_description = "Changed for the audit"
        report.save()
        cast.assessment.date += datetime.timedelta(days=1)
        cast.assessment.save()


@pytest.mark.parametrize("what", ["report", "assessment", "panel", "delivery_team", "rating", "action"])
def test_a_page_of_the_audit_history_makes_the_same_queries_however_many_records_it_shows(assessment_team, what):
    # Each record on a page once read its previous record and the rows its name reads (a report's assessment, its
    # service), one query or more each: a page of 100 records made hundreds.
    client = signed_in(assessment_team)
    _busy(4)
    first = _page_queries(client, what)
    few = history.everything(what=what).count()
    _busy(20)
    assert history.everything(what=what).count() >= min(5 * few, audit.PER_PAGE)
    assert _page_queries(client, what) == first < 40


def test_a_page_of_everything_makes_a_few_queries_for_each_kind_of_record_on_it(assessment_team):
    # Which kinds of record the newest page holds varies; each kind costs its own few queries, never one a record.
    client = signed_in(assessment_team)
    _busy(24)
    assert _page_queries(client, "") < 60


def test_a_record_whose_named_row_is_gone_is_named_by_its_model_and_id(assessment_team):
    assessment = AssessmentFactory()
    service = assessment.service
    assessment_id = assessment.pk
    Assessment.objects.filter(pk=assessment_id).delete()
    service.delete()
    rows = cells(audit_page(signed_in(assessment_team), what="assessment"))
    # Its creation and its deletion; its service, deleted after it, can no longer name it.
    assert [row[2] for row in rows].count(f"Assessment: assessment {assessment_id}") == 2


def test_a_reports_field_history_makes_the_same_queries_however_many_changes(assessment_team):
    # The inspect page's field history once read each record's previous record and its name, one query or more each.
    cast = make_cast()
    report = report_in(ReportStatus.SUBMITTED, cast)
    client = signed_in(assessment_team)
    url = f"/admin/assessment-reports/inspect/{report.pk}/"

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    first = queries()
    for n in range(6):
        report.service_description = f"Changed {n}"
        report.save()
        for rating in report.ratings.all()[:3]:
            rating.done_well = f"Better {n}"
            rating.save()
    assert queries() == first
