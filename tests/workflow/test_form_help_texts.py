"""The service assessment team changes the report form's help texts in the Wagtail admin, without a deploy."""

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
    point_url = f"/assessor/reports/{report.pk}/points/1/"
    client.force_login(cast.lead)
    assert "Use a new line for each thing." in client.get(point_url).text

    client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    assert client.get(settings_url()).status_code == 200
    current = ReportFormHelpTexts.load()
    texts = {
        field.name: getattr(current, field.name) for field in ReportFormHelpTexts._meta.fields if field.name != "id"
    }
    texts["done_well"] = "One strength a line, with the evidence you saw."
    texts["rating_amber"] = "Amber: the team fixes this within 3 months."
    response = client.post(settings_url(), texts)
    assert response.status_code == 302, response.text[:2000]

    client.force_login(cast.lead)
    page = client.get(point_url).text
    assert "One strength a line, with the evidence you saw." in page
    assert "Amber: the team fixes this within 3 months." in page
