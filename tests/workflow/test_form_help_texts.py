"""The service assessment team changes the report form's help texts in the Wagtail admin, without a deploy: the
ratings' and the actions' in Settings, each question's with the question in its report form
(tests/workflow/test_report_questions.py)."""

import pytest

from tests.cast import make_cast, report_in
from tests.factories import UserFactory
from workflow import roles
from workflow.models import ReportFormHelpTexts, ReportStatus

pytestmark = pytest.mark.django_db


def settings_url() -> str:
    return f"/admin/settings/workflow/reportformhelptexts/{ReportFormHelpTexts.load().pk}/"


def test_help_texts_edited_in_the_admin_show_in_the_report_form(client):
    cast = make_cast()
    report = report_in(ReportStatus.DRAFT, cast)
    point_url = f"/assessor/reports/{report.pk}/points/6/"
    client.force_login(cast.lead)
    page = client.get(point_url).text
    assert "Use a new line for each thing." in page  # the hint of the default form's "done well"
    assert "Say what the team should do" not in page

    client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    assert client.get(settings_url()).status_code == 200
    current = ReportFormHelpTexts.load()
    texts = {
        field.name: getattr(current, field.name) for field in ReportFormHelpTexts._meta.fields if field.name != "id"
    }
    texts["rating_amber"] = "Amber: the team fixes this within 3 months."
    texts["action"] = "One thing to do, and how the team will show it is done."
    response = client.post(settings_url(), texts)
    assert response.status_code == 302, response.text[:2000]

    client.force_login(cast.lead)
    assert "Amber: the team fixes this within 3 months." in client.get(point_url).text
    assert "One thing to do, and how the team will show it is done." in client.get(f"{point_url}actions/add/").text
