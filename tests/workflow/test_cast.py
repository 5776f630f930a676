import pytest

from tests.cast import PATH_TO, make_cast, report_in
from workflow.models import ReportStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", list(PATH_TO))
def test_reports_reach_every_status_through_the_transitions(status):
    report = report_in(status, make_cast())
    assert report.status == status
    assert report.live == (status == ReportStatus.PUBLISHED)
    assert [change.to_status for change in report.status_changes.all()][-1:] == ([status] if PATH_TO[status] else [])
