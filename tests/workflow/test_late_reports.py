"""A late report is late everywhere: an assessment past its share-by date whose report is not yet shared (a draft,
or no report started at all) is flagged on the service assessment team's dashboard, on "Your actions" in the
admin, on the lead assessor's dashboard and in the daily email, by the one rule in workflow.deadlines; on its
share-by date itself it is on time in all four places."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notify import kinds
from tests.cast import make_cast, report_in
from tests.notify_fixtures import addresses, running_fake_notify, sent
from workflow import deadlines
from workflow.models import ReportStatus
from workflow.tasks import send_scheduled_reminders

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
OVERDUE_TAG = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def table_row(text: str, words: str) -> str:
    """The one table row of the page that holds `words`."""
    rows = [row for row in re.findall(r"<tr\b.*?</tr>", text, flags=re.S) if words in row]
    assert len(rows) == 1, (words, len(rows))
    return rows[0]


def your_actions_overdue_to_share(client, user) -> tuple[int, str]:
    text = page(client, user, "/admin/")
    row = table_row(text, "Reports overdue to share")
    (url,) = re.findall(r'href="([^"]+)"', row)
    return int(re.search(r"<td data-count>(\d+)</td>", row)[1]), url


def an_assessment(days_ago: int, report_status: str | None):
    cast = make_cast(date=TODAY - datetime.timedelta(days=days_ago))
    report = report_in(report_status, cast) if report_status else None
    return cast, report


@pytest.mark.parametrize("report_status, shown_as", [(ReportStatus.DRAFT, "Draft"), (None, "Not started")])
def test_a_late_report_is_flagged_in_all_four_places(
    client, fake_notify, django_capture_on_commit_callbacks, report_status, shown_as
):
    # 19 days after the assessment: 12 days past its share-by date.
    cast, report = an_assessment(19, report_status)
    service = cast.assessment.service.name
    share_by = deadlines.share_due(cast.assessment.date, 7).strftime("%-d %B %Y")

    # 1. The service assessment team's dashboard.
    assessment_team_page = page(client, cast.assessment_team, reverse("assessment_team:dashboard"))
    assert "Late, still with the panel (1)" in assessment_team_page
    row = table_row(assessment_team_page, service)
    assert share_by in row and OVERDUE_TAG in row and shown_as in row
    assert cast.lead.get_full_name() in row

    # 2. "Your actions" in the admin, and the list its link opens.
    count, url = your_actions_overdue_to_share(client, cast.assessment_team)
    assert count == 1
    listing = page(client, cast.assessment_team, url)
    assert f"/admin/assessments/edit/{cast.assessment.pk}/" in listing and service in listing
    assert shown_as in table_row(listing, service)

    # 3. The lead assessor's dashboard.
    row = table_row(page(client, cast.lead, reverse("assessor:dashboard")), service)
    assert share_by in row and OVERDUE_TAG in row

    # 4. The daily email, to the lead assessor and the team.
    with django_capture_on_commit_callbacks(execute=True):
        send_scheduled_reminders(TODAY)
    assert addresses(fake_notify, kinds.REPORT_NOT_SHARED) == sorted([cast.lead.email, cast.assessment_team.email])
    for email in sent(fake_notify, kinds.REPORT_NOT_SHARED):
        assert email["personalisation"]["report_status"] == shown_as
        assert email["personalisation"]["share_deadline"] == share_by


@pytest.mark.parametrize("report_status", [ReportStatus.DRAFT, None])
def test_on_its_share_by_date_a_report_is_on_time_in_all_four_places(
    client, fake_notify, django_capture_on_commit_callbacks, report_status
):
    cast, report = an_assessment(7, report_status)
    service = cast.assessment.service.name
    share_by = deadlines.share_due(cast.assessment.date, 7)
    assert share_by == TODAY and not deadlines.is_missed(share_by, TODAY)

    assessment_team_page = page(client, cast.assessment_team, reverse("assessment_team:dashboard"))
    assert "Late, still with the panel (0)" in assessment_team_page and OVERDUE_TAG not in assessment_team_page

    count, url = your_actions_overdue_to_share(client, cast.assessment_team)
    assert count == 0
    assert f"/admin/assessments/edit/{cast.assessment.pk}/" not in page(client, cast.assessment_team, url)

    row = table_row(page(client, cast.lead, reverse("assessor:dashboard")), service)
    assert share_by.strftime("%-d %B %Y") in row and OVERDUE_TAG not in row

    with django_capture_on_commit_callbacks(execute=True):
        send_scheduled_reminders(TODAY)
    assert sent(fake_notify, kinds.REPORT_NOT_SHARED) == []


def test_a_shared_report_is_late_nowhere(client, fake_notify, django_capture_on_commit_callbacks):
    cast, report = an_assessment(19, ReportStatus.SHARED)

    assert "Late, still with the panel (0)" in page(client, cast.assessment_team, reverse("assessment_team:dashboard"))
    assert your_actions_overdue_to_share(client, cast.assessment_team)[0] == 0
    row = table_row(page(client, cast.lead, reverse("assessor:dashboard")), cast.assessment.service.name)
    assert OVERDUE_TAG not in row and "Shared" in row
    with django_capture_on_commit_callbacks(execute=True):
        send_scheduled_reminders(TODAY)
    assert sent(fake_notify, kinds.REPORT_NOT_SHARED) == []


def test_starting_its_report_marks_the_assessment_and_a_stale_copy_saved_over_it_changes_no_list():
    from workflow import selectors
    from workflow.models import Assessment
    from workflow.services.reports import report_create

    cast, _ = an_assessment(days_ago=30, report_status=None)
    stale = Assessment.objects.get(pk=cast.assessment.pk)
    assert not stale.report_started
    assert [(a.pk, getattr(a, "report", None)) for a in selectors.late_assessments()] == [(stale.pk, None)]

    report = report_create(assessment=Assessment.objects.get(pk=stale.pk))
    assert Assessment.objects.get(pk=stale.pk).report_started

    # A copy read before the report was started, saved after it (an edit in another tab): the mark is lost, yet the
    # list still finds the report.
    stale.save()
    assert not Assessment.objects.get(pk=stale.pk).report_started
    assert [(a.pk, a.report.pk) for a in selectors.late_assessments()] == [(stale.pk, report.pk)]
