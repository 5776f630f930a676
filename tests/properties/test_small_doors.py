"""Small doors that answered badly: the Notify callback and deeply nested JSON, the page editor's add and edit
views, signing out by GET, and NUL characters in the booking form."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Page

from cms.models import GuidancePage, HomePage
from publishing.models import ReportIndexPage
from tests.cast import make_cast, report_in
from workflow.models import BookingRequest, ReportPage
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db

NUL = "\x00"


def signed_in(user, **client_options):
    client = Client(**client_options)
    client.force_login(user)
    return client


# --- 1. The Notify callback -------------------------------------------------------------------------------------


def notify(body: str | bytes):
    return Client(raise_request_exception=False).post(
        "/notify/callback/",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {settings.NOTIFY_CALLBACK_TOKEN}"},
    )


def nested_objects(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    "body",
    [
        "[" * 1000 + "]" * 1000,
        "[" * 100_000 + "]" * 100_000,
        "[" * 1000,  # nested too deep before it is even found to be cut short
        nested_objects(1000),
        '{"status": "delivered", "reference": ' + "[" * 5000 + "]" * 5000 + "}",
        "",
        "{",
        "not json",
        "null",
        "[]",
        '"delivered"',
        "1" * 5000,  # longer than Python turns into an int
        '{"status": 1}',
        b"\xff\xfe\x00",
        b'{"status": "deliv\xe9red"}',
    ],
    ids=lambda body: repr(body[:20]) + f"…{len(body)}",
)
def test_the_notify_callback_answers_400_to_any_malformed_body(body):
    response = notify(body)
    assert response.status_code == 400
    assert response.json()["result"] == "error"


def test_a_receipt_nested_not_quite_too_deep_is_still_just_the_wrong_shape():
    assert notify("[" * 500 + "]" * 500).status_code == 400


# --- 2. The page editor -----------------------------------------------------------------------------------------


@pytest.fixture
def editors():
    cast = make_cast()
    report_create(assessment=cast.assessment)  # so that a report page exists to try to edit
    return {"superuser": cast.superuser, "assessment_team": cast.assessment_team}


def minimal(title: str, slug: str, **more) -> dict:
    return {"title": title, "slug": slug, "action-publish": "action-publish", **more}


@pytest.mark.parametrize("who", ["superuser", "assessment_team"])
def test_adding_and_editing_every_page_type_never_answers_5xx(editors, who):
    client = signed_in(editors[who], raise_request_exception=False)
    faults, asked = [], 0

    def ask(method, url, data=None):
        nonlocal asked
        asked += 1
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        if response.status_code >= 500:
            exc_info = getattr(response, "exc_info", None)
            faults.append(
                (f"{method} {url} {data or ''}: {response.status_code} {exc_info and exc_info[1]!r}", exc_info)
            )

    parents = [page.specific for page in Page.objects.order_by("path")]
    assert {type(page) for page in parents} >= {Page, HomePage, GuidancePage, ReportIndexPage, ReportPage}
    for number, parent in enumerate(parents):
        for model in parent.specific_class.allowed_subpage_models():
            url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
            ask("GET", url)
            ask("POST", url)
            ask("POST", url, minimal(f"New page {number}", f"new-{who}-{number}"))
            # As the editor's own form sends it: a StreamField's block count is always there, even for no blocks.
            ask("POST", url, minimal(f"New page {number}", f"new-{who}-{number}-b", **{"body-count": "0"}))
    for page in Page.objects.exclude(depth=1).specific().order_by("path"):
        url = f"/admin/pages/{page.pk}/edit/"
        ask("GET", url)
        ask("POST", url)
        ask("POST", url, minimal(page.title, page.slug))
        ask("POST", url, minimal(page.title, page.slug, **{"body-count": "0"}))

    assert asked > 40
    assert GuidancePage.objects.filter(slug__startswith=f"new-{who}-").exists()  # the minimal data is enough
    assert not faults, "\n".join(what for what, _ in faults)


@pytest.mark.parametrize("who", ["superuser", "assessment_team"])
def test_the_page_editor_neither_offers_nor_makes_a_report_page(editors, who):
    client = signed_in(editors[who], raise_request_exception=False)
    index = ReportPage.objects.get().get_parent()
    reports = ReportPage.objects.count()

    chooser = client.get(f"/admin/pages/{index.pk}/add_subpage/")
    assert chooser.status_code in (200, 302, 403)
    assert "reportpage" not in chooser.text.lower() and "assessment report" not in chooser.text.lower()
    url = f"/admin/pages/add/workflow/reportpage/{index.pk}/"
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, minimal("A report", "a-report")).status_code in (302, 403)
    assert ReportPage.objects.count() == reports
    assert ReportPage not in type(index).creatable_subpage_models()


def test_the_page_editor_still_refuses_to_edit_a_report(editors):
    report = ReportPage.objects.get()
    client = signed_in(editors["assessment_team"], raise_request_exception=False)
    url = f"/admin/pages/{report.pk}/edit/"
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, minimal("Changed", report.slug)).status_code in (302, 403)
    assert ReportPage.objects.get().title == report.title


# --- 3. Signing out ---------------------------------------------------------------------------------------------


def session_cookie(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def still_signed_in(cookie: str) -> bool:
    fresh = Client()
    fresh.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return not fresh.get("/dashboard/")["Location"].startswith("/sign-in/")


def deletes_the_session_cookie(response) -> bool:
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel is not None and (morsel.value == "" or morsel["max-age"] == 0)


@pytest.fixture
def person():
    return make_cast().product_manager


@pytest.mark.parametrize("url", ["/sign-out/", "/admin/logout/"])
def test_a_get_to_sign_out_changes_nothing_and_asks_to_confirm(person, url):
    client = signed_in(person)
    cookie = session_cookie(client)
    assert still_signed_in(cookie)

    response = client.get(url)

    assert response.status_code == 200
    assert not deletes_the_session_cookie(response)
    assert session_cookie(client) == cookie
    assert still_signed_in(cookie)
    assert client.get("/dashboard/")["Location"] == "/team/"
    html = response.text
    assert "govuk-template" in html and '<h1 class="govuk-heading-l">Sign out</h1>' in html
    [form] = re.findall(r'<form method="post" action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)[-1:]
    assert form[0] == url and "csrfmiddlewaretoken" in form[1] and ">Sign out</button>" in form[1]


@pytest.mark.parametrize("url", ["/sign-out/", "/admin/logout/"])
def test_someone_not_signed_in_is_told_so(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "You are not signed in" in response.text and "<form" not in response.text.split("main-content")[-1]


def test_an_image_elsewhere_cannot_sign_anyone_out(person):
    client = signed_in(person)
    cookie = session_cookie(client)
    for url in ("/sign-out/", "/admin/logout/"):
        response = client.get(url, headers={"Accept": "image/*", "Referer": "https://elsewhere.example/"})
        assert not deletes_the_session_cookie(response)
    assert still_signed_in(cookie)


@pytest.mark.parametrize(("url", "then"), [("/sign-out/", "/"), ("/admin/logout/", "/admin/login/")])
def test_signing_out_by_post_ends_the_session_on_the_server(person, url, then):
    client = signed_in(person, enforce_csrf_checks=True)
    cookie = session_cookie(client)
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    response = client.post(url, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response["Location"] == then
    assert not still_signed_in(cookie)  # a copy of the old cookie is worth nothing now
    assert client.get("/dashboard/")["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("url", ["/sign-out/", "/admin/logout/"])
def test_a_forged_sign_out_post_changes_nothing(person, url):
    client = signed_in(person, enforce_csrf_checks=True)
    cookie = session_cookie(client)

    response = client.post(url, {})

    assert response.status_code == 403
    assert not deletes_the_session_cookie(response)
    assert still_signed_in(cookie)


def test_the_admin_log_out_menu_item_posts_and_signs_out(editors):
    client = signed_in(editors["assessment_team"], enforce_csrf_checks=True)
    cookie = session_cookie(client)
    admin = client.get("/admin/")
    assert admin.status_code == 200
    # The sidebar is drawn from JSON props: "Log out" is an action item, which the sidebar submits as a POST form.
    props = unescape(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', admin.text, re.S).group(1))
    assert '"logout"' in props and '"/admin/logout/"' in props and "ActionMenuItem" in props
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post("/admin/logout/", headers={"X-CSRFToken": token})

    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert not still_signed_in(cookie)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


# --- 4. NUL in the booking form ---------------------------------------------------------------------------------


ERRORS = re.compile(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S)


def ask(client, **fields):
    return client.post("/bookings/new/", {"kind": "assessment", "phase": "alpha"} | fields)


@pytest.fixture
def delivery_team_member():
    cast = make_cast()
    return signed_in(cast.product_manager), cast.assessment.service


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"notes": f"Ready{NUL}now"}, "Your notes must not contain null characters"),
        ({"preferred_dates": NUL}, "Your preferred dates must not contain null characters"),
        ({"kind": f"{NUL}assessment"}, "Select the kind of assessment"),
        ({"phase": f"al{NUL}pha"}, "Select the phase"),
        ({"service": NUL}, "Select the service"),
        ({"service": f"1{NUL}"}, "Select the service"),
    ],
)
def test_a_booking_field_with_a_nul_is_refused_without_echoing_it(delivery_team_member, fields, message):
    client, service = delivery_team_member
    response = ask(client, **({"service": str(service.pk)} | fields))

    assert response.status_code == 200
    html = response.text
    assert NUL not in html and "&#x0;" not in html.lower() and "\ufffd" not in html
    summary = ERRORS.search(html)
    assert summary and message in summary.group(1)
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in html
    assert not BookingRequest.objects.exists()


def test_a_nul_in_every_booking_field_at_once(delivery_team_member):
    client, _ = delivery_team_member
    response = ask(client, service=NUL, kind=NUL, phase=NUL, preferred_dates=f"a{NUL}", notes=f"{NUL}b")

    html = response.text
    assert response.status_code == 200 and NUL not in html
    assert ">b</textarea>" in html.replace("\n", "")  # what was typed comes back, less the NUL
    for message in (
        "Select the service",
        "Select the kind of assessment",
        "Select the phase",
        "Your preferred dates must not contain null characters",
        "Your notes must not contain null characters",
    ):
        assert message in ERRORS.search(html).group(1)
    assert not BookingRequest.objects.exists()


def test_a_choice_not_offered_is_not_repeated_back(delivery_team_member):
    client, service = delivery_team_member
    response = ask(client, service=str(service.pk), phase="<b>omega</b>")
    assert "Select the phase" in response.text and "omega" not in response.text


def test_the_booking_form_still_takes_a_clean_request(delivery_team_member):
    client, service = delivery_team_member
    response = ask(client, service=str(service.pk), notes="Ready in March.")
    assert response.status_code == 302
    assert BookingRequest.objects.get().notes == "Ready in March."


# --- and in every other form of the service (workflow.forms.base) ----------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "path", "fields"),
    [
        ("product_manager", "shared", "/team/reports/{id}/challenge/", {"reasons": f"Point 6{NUL} is wrong"}),
        ("assessment_team", "submitted", "/assessment-team/reports/{id}/return/", {"comment": f"Fix{NUL} point 3"}),
        ("lead", "draft", "/assessor/reports/{id}/points/1/", {"rating": "green", "done_well": f"Good{NUL} work"}),
        ("lead", "draft", "/assessor/reports/{id}/points/1/", {"rating": f"gr{NUL}een", "done_well": "Good work"}),
        ("lead", "draft", "/assessor/reports/{id}/about/", {"service_description": f"A{NUL}B"}),
        (None, None, "/sign-in/link/", {"email": f"pat{NUL}@example.gov.uk"}),
    ],
)
def test_no_form_echoes_a_nul_and_each_says_why_it_refused(who, status, path, fields):
    cast = make_cast()
    if status:
        from workflow.models import ReportStatus

        report = report_in(ReportStatus(status), cast)
        fields = {"version": str(report.version), **fields}
        if "points" in path:
            fields["version"] = str(report.ratings.get(number=1).version)
        path = path.format(id=report.pk)
    client = signed_in(getattr(cast, who)) if who else Client()
    before = ReportPage.objects.values_list("status", "version").first()

    response = client.post(path, fields)

    assert response.status_code == 200
    html = response.text
    assert NUL not in html and "&#x0;" not in html.lower()
    assert ERRORS.search(html), "no error summary saying why"
    assert "%(value)s" not in html
    assert ReportPage.objects.values_list("status", "version").first() == before
