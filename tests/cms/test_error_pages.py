"""What people see when a request goes wrong in a way they did not choose: a form refused by the CSRF check, an
address opened with the wrong method, and the cache headers on every signed-in answer. Always a GOV.UK page that
says what to do next, never Django's own developer-facing page or an empty body."""

import pytest
from django.test import Client

from tests.cast import make_cast
from tests.factories import UserFactory
from workflow import roles
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("url", ["/sign-in/link/", "/sign-in/", "/bookings/new/", "/admin/users/new/"])
def test_a_form_refused_by_the_csrf_check_gets_a_govuk_page_saying_what_to_do(strict_client, url):
    strict_client.force_login(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    response = strict_client.post(url, {"email": "someone@example.gov.uk"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "govuk-heading-l" in html
    assert "reload" in html
    assert "CSRF verification failed" not in html
    assert "Forbidden" not in html


def test_a_csrf_refusal_from_a_null_origin_is_the_same_page(strict_client):
    strict_client.get("/sign-in/link/")
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post(
        "/sign-in/link/", {"email": "a@example.gov.uk", "csrfmiddlewaretoken": token}, HTTP_ORIGIN="null"
    )
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_a_get_of_a_transition_address_is_a_govuk_page_not_an_empty_405(client):
    cast = make_cast()
    report = report_create(assessment=cast.assessment)
    client.force_login(cast.assessment_team)

    response = client.get(f"/assessment-team/reports/{report.pk}/check/")

    assert response.status_code == 405
    assert "POST" in response["Allow"]
    html = response.content.decode()
    assert "This page cannot be opened this way" in html
    assert "Nothing has been changed" in html
    assert 'href="/dashboard/"' in html


def test_a_wrong_method_on_a_public_address_is_the_same_page_for_anyone(client):
    response = client.get("/notify/callback/")
    assert response.status_code == 405
    assert "This page cannot be opened this way" in response.content.decode()
    assert 'href="/"' in response.content.decode()


@pytest.mark.parametrize("path", ["/team/", "/bookings/", "/reports/", "/dashboard/", "/admin/"])
def test_every_answer_to_a_signed_in_person_is_private(client, path):
    cast = make_cast()
    person = cast.assessment_team if path == "/admin/" else cast.product_manager
    client.force_login(person)
    response = client.get(path, follow=False)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert "Cookie" in response.get("Vary", "")


def test_the_panels_report_page_is_private(client):
    cast = make_cast()
    report = report_create(assessment=cast.assessment)
    client.force_login(cast.lead)
    response = client.get(f"/assessor/reports/{report.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_public_still_gets_the_page_caches_headers(client):
    response = client.get("/reports/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=")


def test_the_answer_to_signing_out_is_private_too(client):
    client.force_login(UserFactory())
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
