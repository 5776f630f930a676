"""The admin's search of reports: any report whose title, service or department contains the words, in any case,
whether it is answered by ids (a few matches, by the trigram indexes on PostgreSQL) or by Wagtail's one pass over
every report (many matches)."""

import re

import pytest
from wagtail.models import Page

from tests.cast import make_cast, report_in
from tests.factories import ServiceFactory
from workflow.admin.reports import ReportIndexView
from workflow.models import ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    made = {}
    for key, service, department in [
        ("fishing", "Apply for a fishing licence", "Marine Office"),
        ("boat", "Register a boat", "Marine Office"),
        ("tax", "Pay your tax", "Revenue 100% Office"),
    ]:
        cast = make_cast(service=ServiceFactory(name=service, department__name=department))
        made[key] = report_in(ReportStatus.SUBMITTED, cast)
    # A title of its own, which its service's name does not share.
    Page.objects.filter(pk=made["boat"].pk).update(title="Boats and moorings")
    made["team"] = cast.assessment_team
    return made


def found(client, words: str) -> set[int]:
    response = client.get("/admin/assessment-reports/", {"q": words})
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r"/admin/assessment-reports/inspect/(\d+)/", response.text)}


@pytest.mark.parametrize("by_id", [True, False], ids=["by id", "one pass"])
def test_a_report_is_found_by_its_title_its_service_or_its_department(client, reports, by_id, monkeypatch):
    if not by_id:
        monkeypatch.setattr(ReportIndexView, "matched_by_id", 0)
    client.force_login(reports["team"])
    fishing, boat, tax = reports["fishing"].pk, reports["boat"].pk, reports["tax"].pk

    assert found(client, "FISHING lic") == {fishing}  # the service's name (and title), in any case
    assert found(client, "moorings") == {boat}  # the title alone
    assert found(client, "register") == {boat}  # the service's name alone
    assert found(client, "marine") == {fishing, boat}  # the department's name
    assert found(client, "100%") == {tax}  # a percent sign is a percent sign, not "anything"
    assert found(client, "%") == {tax}
    assert found(client, "_") == set()
    assert found(client, "nowhere") == set()
