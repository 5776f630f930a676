"""Insights against a hand-made data set: the points' ratings, results by phase, time to share and to respond."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.cast import make_cast, report_in
from workflow import insights
from workflow.models import Phase, ReportPage, ReportStatus, ReportStatusChange

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
START, END = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


@pytest.fixture
def data():
    # A: alpha, assessed Mon 2 March, point 6 amber; shared Fri 6 March (4 days), accepted Fri 13 March (5 working days).
    a = make_cast(date=datetime.date(2026, 3, 2), phase=Phase.ALPHA)
    report_a = report_in(ReportStatus.PUBLISHED, a, "gggggagggggggg")
    ReportPage.objects.filter(pk=report_a.pk).update(shared_at=at(datetime.date(2026, 3, 6)))
    ReportStatusChange.objects.filter(report=report_a, transition="accept").update(at=at(datetime.date(2026, 3, 13)))
    # B: private beta, assessed Mon 9 March, point 1 red; shared Fri 20 March (11 days: late), no response yet.
    b = make_cast(date=datetime.date(2026, 3, 9), phase=Phase.PRIVATE_BETA)
    report_b = report_in(ReportStatus.SHARED, b, "rggggggggggggg")
    ReportPage.objects.filter(pk=report_b.pk).update(shared_at=at(datetime.date(2026, 3, 20)))
    # Not counted: a draft in the period, and a published report from before it.
    report_in(ReportStatus.SUBMITTED, make_cast(date=datetime.date(2026, 3, 10)), "r" * 14)
    report_in(ReportStatus.PUBLISHED, make_cast(date=datetime.date(2026, 2, 27)), "a" * 14)
    return a


def test_how_often_each_point_was_rated_red_amber_green(data):
    result = insights.insights(START, END)
    rows = {row.label.split(".")[0]: (row.red, row.amber, row.green) for row in result.points}

    assert result.reports == 2
    assert len(rows) == 14
    assert rows["1"] == (1, 0, 1)
    assert rows["6"] == (0, 1, 1)
    assert all(rows[str(n)] == (0, 0, 2) for n in (2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14))


def test_results_by_phase(data):
    phases = {row.label: (row.red, row.amber, row.green) for row in insights.insights(START, END).phases}
    assert phases == {"Alpha": (0, 1, 0), "Private beta": (1, 0, 0)}


def test_time_to_share_and_to_respond(data):
    share, respond = insights.insights(START, END).timings
    assert (share.reports, share.mean, share.median, share.longest, share.late) == (2, 7.5, 7.5, 11, 1)
    assert (respond.reports, respond.mean, respond.median, respond.longest, respond.late) == (1, 5, 5, 5, 0)


def test_the_admin_page_shows_charts_tables_and_csv(data):
    client = Client()
    client.force_login(data.plus)
    query = {"start": "2026-03-01", "end": "2026-03-31"}

    page = client.get("/admin/insights/", query).text

    # An old link's ISO date fills the day, month and year boxes.
    assert 'name="start_day" size="2" value="1"' in page and 'name="start_year" size="4" value="2026"' in page
    assert 'type="date"' not in page
    assert "<svg" in page and 'data-rating="Red" data-count="1"' in page
    assert '<th scope="row">Private beta</th><td>1</td><td>0</td><td>0</td><td>1</td>' in page
    response = client.get("/admin/insights/", {**query, "csv": "points"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Point", "Red", "Amber", "Green", "Total"]
    assert rows[1][1:] == ["1", "0", "1", "2"]
    timings = list(
        csv.reader(io.StringIO(client.get("/admin/insights/", {**query, "csv": "timings"}).content.decode()))
    )
    assert timings[1] == ["Assessment to sharing (calendar days)", "2", "7.5", "7.5", "11", "1"]


def test_only_the_central_teams_see_insights(data):
    client = Client()
    client.force_login(data.lead)
    assert client.get("/admin/insights/").status_code == 302
    client.force_login(data.assessment_team)
    assert client.get("/admin/insights/").status_code == 200


def test_days_are_counted_in_uk_days_not_utc_ones():
    # Shared at 11:30pm UTC on Tue 30 June 2026, which is 12:30am on Wed 1 July in the UK (summer time), and answered
    # at 11:30pm UTC on Wed 1 July, 12:30am on Thu 2 July in the UK.
    cast = make_cast(date=datetime.date(2026, 6, 29), phase=Phase.ALPHA)
    report = report_in(ReportStatus.PUBLISHED, cast, "g" * 14)
    utc = datetime.UTC
    ReportPage.objects.filter(pk=report.pk).update(shared_at=datetime.datetime(2026, 6, 30, 23, 30, tzinfo=utc))
    ReportStatusChange.objects.filter(report=report, transition="accept").update(
        at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=utc)
    )

    share, respond = insights.insights(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)).timings

    assert (share.reports, share.longest) == (1, 2)  # Mon 29 June to Wed 1 July
    assert (respond.reports, respond.longest) == (1, 1)  # Wed 1 July to Thu 2 July
