"""Insights that follow the reports through, read on the admin page and in its CSV as the service assessment team:
open and overdue actions by point and by department (reports accepted in the period), the time from acceptance to
an action's closing (actions closed in the period) and red points at reassessment (reassessments accepted in it)."""

import csv
import datetime
import io
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cast import make_cast, report_in, signed_in
from workflow import insights
from workflow.models import PointRating, ReportAction, ReportActionStatus, ReportPage, ReportStatus

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
APRIL = {"start": "2026-04-01", "end": "2026-04-30"}
LONG_AGO, FAR_OFF = datetime.date(2020, 1, 1), datetime.date(2099, 1, 1)
HOSTILE_DEPARTMENT = 'Tax & <b>"Duty"</b>'
FORMULA_DEPARTMENT = '=HYPERLINK("https://example.com")'
HOSTILE_TITLE = "Solve <script>alert(1)</script> & more"


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


def accepted_on(report: ReportPage, day: datetime.date) -> None:
    ReportPage.objects.filter(pk=report.pk).update(accepted_at=at(day))


def action(report: ReportPage, number: int, **fields) -> ReportAction:
    """The first action of the point, or a new one when `new` is given, with its fields set."""
    rating = report.ratings.get(number=number)
    if fields.pop("new", False):
        found = ReportAction.objects.create(rating=rating, description=f"More on point {number}.")
    else:
        found = rating.actions.first()
    ReportAction.objects.filter(pk=found.pk).update(**fields)
    return found


def closed(day: datetime.date) -> dict:
    return {"status": ReportActionStatus.DONE, "closed_at": at(day)}


@pytest.fixture
def actions():
    """March: A (points 3 red, 6 amber) accepted 10 March, B (point 6 amber) accepted 12 March; D accepted before
    March with an action closed in it; C shared, not accepted, whose actions never count."""
    a = make_cast(date=datetime.date(2026, 3, 2), service__department__name=HOSTILE_DEPARTMENT)
    report_a = report_in(ReportStatus.PUBLISHED, a, "ggrggagggggggg")
    accepted_on(report_a, datetime.date(2026, 3, 10))
    PointRating.objects.filter(report=report_a, number=3).update(title=HOSTILE_TITLE)
    action(report_a, 3, due_date=None)  # red: open, never overdue
    action(report_a, 3, new=True, **closed(datetime.date(2026, 3, 15)))  # 5 days
    action(report_a, 6, due_date=LONG_AGO)  # amber: open and overdue

    b = make_cast(date=datetime.date(2026, 3, 5), service__department__name=FORMULA_DEPARTMENT)
    report_b = report_in(ReportStatus.PUBLISHED, b, "gggggagggggggg")
    accepted_on(report_b, datetime.date(2026, 3, 12))
    action(report_b, 6, due_date=FAR_OFF)  # open, not yet due
    action(report_b, 6, new=True, due_date=LONG_AGO, **closed(datetime.date(2026, 3, 22)))  # 10 days

    d = make_cast(date=datetime.date(2026, 1, 20), service__department__name=HOSTILE_DEPARTMENT)
    report_d = report_in(ReportStatus.PUBLISHED, d, "rggggggggggggg")
    accepted_on(report_d, datetime.date(2026, 2, 1))
    action(report_d, 1, **closed(datetime.date(2026, 3, 3)))  # 30 days
    action(report_d, 1, new=True, due_date=LONG_AGO)  # open and overdue, but accepted before March

    # Not accepted: even with an acceptance date in March its actions are the panel's draft, not the team's to do.
    c = make_cast(date=datetime.date(2026, 3, 3), service__department__name=HOSTILE_DEPARTMENT)
    report_c = report_in(ReportStatus.SHARED, c, "rrgggagggggggg")
    accepted_on(report_c, datetime.date(2026, 3, 11))
    action(report_c, 1, due_date=LONG_AGO)
    action(report_c, 2, **closed(datetime.date(2026, 3, 20)))
    return a


def reassess(original, letters: str, day: datetime.date, status=ReportStatus.PUBLISHED):
    cast = make_cast(service=original.assessment.service, date=day, follows=original.assessment)
    report = report_in(status, cast, letters)
    accepted_on(report, day + datetime.timedelta(days=4))
    return cast


@pytest.fixture
def reassessments():
    """April: E's red points 1, 2 and 3 rated again green, amber and red, then 3 again green (every one resolved);
    F's red points 1 and 14 rated amber and red (one still red). G's reassessment, shared but not accepted, and H's,
    accepted in May, do not count."""
    e = make_cast(date=datetime.date(2026, 1, 5))
    report_in(ReportStatus.PUBLISHED, e, "rrrggggggggggg")
    first = reassess(e, "gar", datetime.date(2026, 4, 1))
    reassess(first, "g", datetime.date(2026, 4, 15))

    f = make_cast(date=datetime.date(2026, 1, 6))
    report_in(ReportStatus.PUBLISHED, f, "rggggggggggggr")
    reassess(f, "ar", datetime.date(2026, 4, 2))

    g = make_cast(date=datetime.date(2026, 1, 7))
    report_in(ReportStatus.PUBLISHED, g, "rggggggggggggg")
    reassess(g, "g", datetime.date(2026, 4, 3), status=ReportStatus.SHARED)

    h = make_cast(date=datetime.date(2026, 1, 8))
    report_in(ReportStatus.PUBLISHED, h, "rggggggggggggg")
    reassess(h, "g", datetime.date(2026, 5, 3))
    return e


def page(cast, query) -> str:
    response = signed_in(cast.assessment_team).get("/admin/insights/", query)
    assert response.status_code == 200
    return response.content.decode()


def table(html: str, id: str) -> list[list[str]]:
    """The cells of a table's body, as the reader sees them."""
    body = re.search(rf'<table[^>]*id="{id}-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def csv_rows(cast, query, name: str) -> list[list[str]]:
    response = signed_in(cast.assessment_team).get("/admin/insights/", {**query, "csv": name})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="insights-{name}-{query["start"]}-to-{query["end"]}.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def point_title(number: int) -> str:
    return PointRating.objects.filter(number=number).exclude(title=HOSTILE_TITLE).values_list("title", flat=True)[0]


def test_open_and_overdue_actions_by_point(actions):
    html = page(actions, MARCH)

    six = f"6. {point_title(6)}"
    assert table(html, "open-by-point") == [[f"3. {HOSTILE_TITLE}", "1", "0"], [six, "2", "1"]]
    assert csv_rows(actions, MARCH, "open_by_point") == [
        ["Point", "Open", "Overdue"],
        [f"3. {HOSTILE_TITLE}", "1", "0"],
        [six, "2", "1"],
    ]
    # The chart draws the same numbers.
    assert 'data-figure="Open" data-value="2"' in html and 'data-figure="Overdue" data-value="1"' in html


def test_open_and_overdue_actions_by_department(actions):
    html = page(actions, MARCH)

    assert table(html, "open-by-department") == [[FORMULA_DEPARTMENT, "1", "0"], [HOSTILE_DEPARTMENT, "2", "1"]]
    # A name a spreadsheet would run as a formula is written as text.
    assert csv_rows(actions, MARCH, "open_by_department") == [
        ["Department", "Open", "Overdue"],
        ["'" + FORMULA_DEPARTMENT, "1", "0"],
        [HOSTILE_DEPARTMENT, "2", "1"],
    ]


def test_names_are_escaped_in_the_tables_and_charts(actions):
    html = page(actions, MARCH)

    assert "<script>" not in html and "<b>" not in html
    assert "Solve &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "Tax &amp; &lt;b&gt;&quot;Duty&quot;&lt;/b&gt;" in html


def test_time_from_acceptance_to_closing(actions):
    html = page(actions, MARCH)

    # Closed in March: red after 5 (A) and 30 days (D, accepted in February), amber after 10 (B); C's never counts.
    expected = [
        ["All actions", "3", "10", "30", "30"],
        ["Amber actions", "1", "10", "10", "10"],
        ["Red actions", "2", "17.5", "30", "30"],
    ]
    assert table(html, "closing") == expected
    assert csv_rows(actions, MARCH, "closing") == [
        ["Actions", "Closed", "Median days", "90th percentile days", "Longest days"],
        *expected,
    ]


def test_the_90th_percentile_is_a_time_an_action_took():
    cast = make_cast(date=datetime.date(2026, 3, 2))
    report = report_in(ReportStatus.PUBLISHED, cast, "gggggagggggggg")
    accepted_on(report, datetime.date(2026, 3, 1))
    action(report, 6, **closed(datetime.date(2026, 3, 2)))
    for day in range(3, 12):  # ten actions closed after 1 to 10 days
        action(report, 6, new=True, **closed(datetime.date(2026, 3, day)))

    assert table(page(cast, MARCH), "closing")[0] == ["All actions", "10", "5.5", "9", "10"]


def test_red_points_at_reassessment(reassessments):
    html = page(reassessments, APRIL)

    expected = [
        ["Services reassessed on their red points", "2"],
        ["Services with every red point now green or amber", "1"],
        ["Services with a point still red", "1"],
        ["Red points rated again", "5"],
        ["Now green", "2"],
        ["Now amber", "2"],
        ["Still red", "1"],
    ]
    assert table(html, "reassessments") == expected
    assert csv_rows(reassessments, APRIL, "reassessments") == [["Measure", "Count"], *expected]
    assert 'data-rating="Green" data-count="2"' in html and 'data-rating="Red" data-count="1"' in html


def test_without_data_each_table_says_so():
    cast = make_cast(date=datetime.date(2026, 3, 2))
    report_in(ReportStatus.SHARED, cast, "rrgggagggggggg")  # its actions are not the team's to do yet
    html = page(cast, MARCH)

    assert table(html, "open-by-point") == [["No open actions in reports accepted in this period."]]
    assert table(html, "open-by-department") == [["No open actions in reports accepted in this period."]]
    assert table(html, "closing") == [["No actions closed in this period."]]
    assert table(html, "reassessments") == [["No reassessments of red points accepted in this period."]]
    assert csv_rows(cast, MARCH, "open_by_point") == [["Point", "Open", "Overdue"]]
    assert csv_rows(cast, MARCH, "closing")[1] == ["All actions", "0", "", "", ""]


def test_the_page_reads_in_the_same_number_of_queries_however_many_reports(actions, reassessments):
    def queries() -> int:
        client = signed_in(actions.assessment_team)
        client.get("/admin/insights/", MARCH)  # the session and the admin's own first-visit reads
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/insights/", MARCH).status_code == 200
        return len(captured)

    before = queries()
    for day in (9, 16, 23):
        more = make_cast(date=datetime.date(2026, 3, day))
        report = report_in(ReportStatus.PUBLISHED, more, "ggrggagggggggg")
        accepted_on(report, datetime.date(2026, 3, day + 2))
        action(report, 6, new=True, **closed(datetime.date(2026, 3, day + 4)))
    assert queries() == before


def test_the_page_stays_within_its_query_budget(actions, reassessments, django_assert_max_num_queries):
    client = signed_in(actions.assessment_team)
    client.get("/admin/insights/", MARCH)
    with django_assert_max_num_queries(30):
        assert client.get("/admin/insights/", MARCH).status_code == 200


@pytest.mark.parametrize("name", ["open_by_point", "open_by_department", "closing", "reassessments"])
def test_only_the_central_teams_download_the_figures(actions, name):
    response = signed_in(actions.lead).get("/admin/insights/", {**MARCH, "csv": name})
    assert response.status_code == 302 and "text/csv" not in response.get("Content-Type", "")
    response = signed_in(actions.plus).get("/admin/insights/", {**MARCH, "csv": name})
    assert response["Content-Type"].startswith("text/csv")


def test_time_to_close_is_counted_in_uk_days_not_utc_ones():
    cast = make_cast(date=datetime.date(2026, 6, 1))
    report = report_in(ReportStatus.PUBLISHED, cast, "gggggagggggggg")
    utc = datetime.UTC
    # Accepted at 11:30pm on Tue 30 June in the UK (10:30pm UTC); closed at 12:30am on Thu 2 July in the UK (11:30pm
    # UTC on Wed 1 July): two days, where UTC would say one.
    ReportPage.objects.filter(pk=report.pk).update(accepted_at=datetime.datetime(2026, 6, 30, 22, 30, tzinfo=utc))
    action(report, 6, status=ReportActionStatus.DONE, closed_at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=utc))

    (everything, amber, _) = insights.closing_times(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31))
    assert (everything.actions, everything.longest, amber.longest) == (1, 2, 2)
