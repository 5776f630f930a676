""" "Your actions" on the admin home tells the truth: with records in every bucket (and near misses beside each),
every count is the number of rows the list behind its link shows, and those rows are exactly the records the
count is about. Through the real admin, as the service assessment team.

Also the admin's Reports list: every row links to its inspect view, and each status is a tag in the colour it has
on every other page."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from cms.templatetags.govuk import tag_hex
from notify.models import OutboxEmail, OutboxStatus
from tests.cast import make_cast, report_in
from tests.factories import AssessmentFactory, PanelMemberFactory, ServiceFactory, UserFactory
from workflow import selectors
from workflow.models import (
    Rating,
    ReportAction,
    ReportActionStatus,
    ReportPage,
    ReportStatus,
)
from workflow.services.reports import report_create
from workflow.templatetags.report_status import STATUS_TAG_COLOURS

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


class Listing(HTMLParser):
    """The rows of an admin listing (`table.listing` > tbody > tr), with the links in each."""

    def __init__(self, page: str):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_listing = self._in_body = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "listing" in (attrs.get("class") or "").split():
            self._in_listing = True
        elif tag == "tbody" and self._in_listing:
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "a" and self._in_body and self.rows and attrs.get("href"):
            self.rows[-1].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._in_listing = False


def your_actions(client) -> dict[str, tuple[int, str]]:
    """Each item of the panel: its label (up to any bracket), count and link."""
    page = client.get("/admin/").text
    start = page.index('id="your-actions-content"')
    items = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td data-count>(\d+)</td>', page[start:])
    return {
        label.split(" (")[0].replace("&amp;", "&"): (int(count), url.replace("&amp;", "&"))
        for url, label, count in items
    }


def listed(client, url: str, pattern: str) -> list[str]:
    """The id each row of the list at `url` links to (its title link), one per row, in order."""
    response = client.get(url)
    assert response.status_code == 200, url
    ids = []
    for links in Listing(response.text).rows:
        found = {match for href in links if (match := re.fullmatch(pattern, href.split("?")[0]))}
        assert len({m.group(1) for m in found}) == 1, (url, links)
        ids.append(found.pop().group(1))
    return ids


def late_report(status: str, *, assessed: int) -> ReportPage:
    return report_in(status, make_cast(date=days_ago(assessed)))


@pytest.fixture
def every_bucket():
    """Records in every bucket of "Your actions", and beside each one that only just misses it."""
    made = {}
    # To check: one late (assessed 10 days ago), one in time.
    made["to_check"] = [
        late_report(ReportStatus.SUBMITTED, assessed=10),
        late_report(ReportStatus.SUBMITTED, assessed=2),
    ]
    # To share: one late, one in time.
    made["to_share"] = [late_report(ReportStatus.CHECKED, assessed=20), late_report(ReportStatus.CHECKED, assessed=1)]
    # Late to share: besides the late submitted and checked ones, a draft 19 days on and an assessment nobody started.
    late_draft = late_report(ReportStatus.DRAFT, assessed=19)
    not_started = AssessmentFactory(date=days_ago(30))
    PanelMemberFactory(assessment=not_started)
    # Near misses: a draft on its share-by date (7 days on) is on time, as is an assessment 3 days ago.
    on_time_draft = late_report(ReportStatus.DRAFT, assessed=7)
    AssessmentFactory(date=days_ago(3))
    made["late"] = [made["to_check"][0].assessment, made["to_share"][0].assessment, late_draft.assessment, not_started]
    assert on_time_draft.assessment not in made["late"]

    # Responses: one overdue (due yesterday), one due today (not overdue yet).
    overdue, due_today = (late_report(ReportStatus.SHARED, assessed=40) for _ in range(2))
    ReportPage.objects.filter(pk=overdue.pk).update(response_due=days_ago(1))
    ReportPage.objects.filter(pk=due_today.pk).update(response_due=TODAY)
    made["responses_overdue"] = [overdue]
    made["challenged"] = [late_report(ReportStatus.CHALLENGED, assessed=40)]

    # Amber actions of a published report: points 6 to 9 amber, 10 red.
    published = report_in(ReportStatus.PUBLISHED, make_cast(date=days_ago(200)), letters="gggggaaaargggg")
    actions = {a.rating.number: a for a in ReportAction.objects.filter(rating__report=published)}
    dates = {6: days_ago(1), 7: TODAY, 8: TODAY + datetime.timedelta(days=14), 9: TODAY + datetime.timedelta(days=15)}
    for number, due in dates.items():
        ReportAction.objects.filter(pk=actions[number].pk).update(due_date=due)
    ReportAction.objects.filter(pk=actions[10].pk).update(due_date=days_ago(5))  # red: waits for a reassessment
    done = ReportAction.objects.create(
        rating=actions[6].rating, description="Done already.", due_date=days_ago(2), status=ReportActionStatus.DONE
    )
    assert [actions[n].rating.rating for n in (6, 10)] == [Rating.AMBER, Rating.RED]
    made["amber_overdue"] = [actions[6]]
    made["amber_soon"] = [actions[7], actions[8]]
    assert done not in made["amber_overdue"]

    for status in (OutboxStatus.FAILED, OutboxStatus.PERMANENT_FAILURE, OutboxStatus.SENT):
        OutboxEmail.objects.create(
            kind="report_returned",
            template_id="x",
            email_address=f"{status}@example.gov.uk",
            personalisation={},
            idempotency_key=f"test:{status}",
            status=status,
        )
    made["failed_emails"] = list(OutboxEmail.objects.filter(status__in=OutboxStatus.resendable()))
    return made


@pytest.fixture
def assessment_team_client(client):
    from workflow import roles

    client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    return client


REPORT_ROW = r"/admin/assessment-reports/inspect/(\d+)/"
ASSESSMENT_ROW = r"/admin/assessments/edit/(\d+)/"
ACTION_ROW = r"/admin/report_actions/edit/(\d+)/"
EMAIL_ROW = r"/admin/outbox/inspect/([0-9a-f-]+)/"


def ids(records) -> list[str]:
    return sorted(str(record.pk) for record in records)


def test_every_count_is_the_number_of_rows_its_link_lists_and_they_are_the_records_counted(
    assessment_team_client, every_bucket
):
    items = your_actions(assessment_team_client)
    expected = {
        "Reports to check": (every_bucket["to_check"], REPORT_ROW),
        "Reports to share": (every_bucket["to_share"], REPORT_ROW),
        "Reports overdue to share": (every_bucket["late"], ASSESSMENT_ROW),
        "Responses overdue": (every_bucket["responses_overdue"], REPORT_ROW),
        "Open challenges": (every_bucket["challenged"], REPORT_ROW),
        "Amber actions due soon": (every_bucket["amber_soon"], ACTION_ROW),
        "Amber actions overdue": (every_bucket["amber_overdue"], ACTION_ROW),
        "Emails that failed": (every_bucket["failed_emails"], EMAIL_ROW),
    }
    assert set(items) == set(expected)
    for label, (records, row) in expected.items():
        count, url = items[label]
        rows = listed(assessment_team_client, url, row)
        assert count == len(rows) == len(records) > 0, label
        assert sorted(rows) == ids(records), label


def test_each_count_and_its_list_come_from_one_selector(every_bucket):
    assert ids(selectors.late_assessments()) == ids(every_bucket["late"])
    assert ids(selectors.responses_overdue()) == ids(every_bucket["responses_overdue"])
    assert ids(selectors.amber_actions_due_soon()) == ids(every_bucket["amber_soon"])
    assert ids(selectors.amber_actions_overdue()) == ids(every_bucket["amber_overdue"])
    # The dashboards' own flags agree with the lists: every late assessment is flagged, and nothing else.
    worklist = selectors.assessment_team_worklist()
    flagged = [row.report.assessment for row in [*worklist.to_check, *worklist.to_share] if row.deadline.overdue]
    flagged += [row.assessment for row in worklist.late_with_panel]
    assert ids(flagged) == ids(every_bucket["late"])
    assert worklist.overdue_count == len(every_bucket["late"]) + len(every_bucket["responses_overdue"])


def test_the_filtered_list_says_which_list_it_is_and_a_made_up_one_is_no_error(assessment_team_client, every_bucket):
    _, url = your_actions(assessment_team_client)["Responses overdue"]
    page = assessment_team_client.get(url).text
    assert "Response overdue" in page  # the active filter, which can be removed
    response = assessment_team_client.get("/admin/assessment-reports/", {"worklist": "no-such-list"})
    assert response.status_code == 200
    for address in ("/admin/assessments/", "/admin/report_actions/", "/admin/outbox/"):
        assert assessment_team_client.get(address, {"overdue": "x", "due": "x", "emails": "x"}).status_code == 200


def test_every_row_of_the_reports_list_links_to_its_inspect_view(assessment_team_client):
    reports = [late_report(status, assessed=40) for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED)]
    rows = listed(assessment_team_client, "/admin/assessment-reports/", REPORT_ROW)
    assert sorted(rows) == ids(reports)
    for pk in rows:
        assert assessment_team_client.get(f"/admin/assessment-reports/inspect/{pk}/").status_code == 200


def test_the_reports_list_shows_each_status_in_its_one_colour(assessment_team_client):
    cast = make_cast(date=days_ago(40))
    shared = report_in(ReportStatus.SHARED, cast)
    draft = report_create(assessment=AssessmentFactory(service=ServiceFactory(), date=days_ago(3)))
    page = assessment_team_client.get("/admin/assessment-reports/").text
    for report in (shared, draft):
        colour = STATUS_TAG_COLOURS[report.status]
        assert f'<strong class="govuk-tag govuk-tag--{colour}">{report.get_status_display()}</strong>' in page
    # The colours reach the admin in a stylesheet (its content security policy has no room for inline styles).
    assert "workflow/admin.css" in page
    css = Path(finders.find("workflow/admin.css")).read_text(encoding="utf-8")
    for colour in set(STATUS_TAG_COLOURS.values()):
        text, background = tag_hex(colour)
        rule = re.search(r"\.govuk-tag--" + colour + r"\b[^{]*\{([^}]*)\}", css)
        assert rule and f"color: {text};" in rule[1] and f"background-color: {background};" in rule[1], colour
    assert assessment_team_client.get("/static/workflow/admin.css").status_code == 200
