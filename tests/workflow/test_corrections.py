"""Corrections and withdrawal after publishing, through HTTP: the service assessment team corrects a published report's
words with a public change note, and the public page, the feed, the open data and the API show the corrected report
with its updated date; it withdraws a report with a public reason, which keeps its page (with the notice) and leaves
every list. Both are in the history and the audit view, and email the delivery team. Nobody else may do either."""

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notify import kinds
from tests.cast import make_cast, report_in, signed_in
from tests.notify_fixtures import addresses, running_fake_notify, sent
from workflow.models import ReportAction, ReportCorrection, ReportPage, ReportStatus, ReportStatusChange
from workflow.services import transitions
from workflow.services.corrections import NOTE_LIMIT

pytestmark = pytest.mark.django_db

NOTE = "Corrected the description of point 6: the team tested with 12 users, not 2."
REASON = "The report named the wrong service. The right report is published separately."


@pytest.fixture
def fake_notify(settings):
    with running_fake_notify(settings) as server:
        yield server


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def published(cast):
    return report_in(ReportStatus.PUBLISHED, cast)


def correct_url(report):
    return reverse("assessment_team:correct", args=[report.pk])


def withdraw_url(report):
    return reverse("assessment_team:withdraw", args=[report.pk])


def public_path(report):
    return report.url_path.removeprefix("/home")


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def form_data(client, report, **changes) -> dict:
    """What the correction page posts when nothing is typed: every form's fields as shown, then `changes` (by the
    posted field name)."""
    response = client.get(correct_url(report))
    assert response.status_code == 200
    data = {}
    for form in response.context["all_forms"]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else value
    return {**data, **changes}


def action_on_point_6(report) -> ReportAction:
    return ReportAction.objects.get(rating__report=report, rating__number=6)


def test_the_team_corrects_a_published_report_everywhere_it_is_read(
    cast, published, fake_notify, django_capture_on_commit_callbacks
):
    team = signed_in(cast.assessment_team)
    anyone = Client()
    assert "More work on point 6." in anyone.get(public_path(published)).text  # warms the page cache
    action = action_on_point_6(published)
    data = form_data(
        team,
        published,
        **{
            "point-6-to_improve": "The team tested with 12 users.",
            f"action-{action.pk}-description": "Test with 20 users of assistive technology.",
            "report-service_description": "A corrected description.",
            "note": NOTE,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(correct_url(published), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_team:report", args=[published.pk])

    report = ReportPage.objects.get(pk=published.pk)
    correction = ReportCorrection.objects.get()
    assert (correction.report, correction.note, correction.made_by) == (report, NOTE, cast.assessment_team)
    assert report.corrected_at == correction.made_at and report.status == ReportStatus.PUBLISHED
    # The ratings are the panel's: untouched.
    assert report.ratings.get(number=6).rating == "amber"
    today = timezone.localdate().isoformat()

    page = anyone.get(public_path(report)).text
    assert "The team tested with 12 users." in page and "More work on point 6." not in page
    assert "Test with 20 users of assistive technology." in page and "A corrected description." in page
    assert "Updated on" in page and "Updates to this page" in page and NOTE in page
    assert "First published." in page

    feed = body(anyone.get("/reports/feed/"))
    assert f"<title>Updated: {report.title}" in feed
    assert f"<updated>{correction.made_at.isoformat(timespec='seconds').split('+')[0]}" in feed

    [row] = list(csv.DictReader(io.StringIO(body(anyone.get("/reports/export.csv")))))
    assert row["updated_date"] == today and row["point_6"] == "amber" and row["published_date"]
    [item] = json.loads(body(anyone.get("/reports/export.json")))
    assert item["updated_date"] == today
    assert item["points"][5]["to_improve"] == "The team tested with 12 users."
    assert item["points"][5]["actions"][0]["description"] == "Test with 20 users of assistive technology."
    detail = anyone.get(f"/api/v2/pages/{report.pk}/").json()
    assert detail["updated"] == today and detail["service_description"] == "A corrected description."
    assert detail["points"][5]["to_improve"] == "The team tested with 12 users."

    # The delivery team hears, with a link to the public page that works.
    assert addresses(fake_notify, kinds.REPORT_CORRECTED) == sorted(
        user.email for user in [cast.product_manager, cast.delivery_manager, cast.sro]
    )
    email = sent(fake_notify, kinds.REPORT_CORRECTED)[0]
    assert email["personalisation"]["change_note"] == NOTE
    link = email["personalisation"]["public_link"]
    assert anyone.get(urlsplit(link).path).status_code == 200

    # The team's page lists the correction; the audit view and the history record it.
    assert NOTE in team.get(reverse("assessment_team:report", args=[report.pk])).text
    audit = signed_in(cast.superuser).get("/admin/audit/?what=correction").text
    assert "Corrected the description of point 6" in audit


def test_withdrawing_keeps_the_page_with_the_notice_and_reason_and_leaves_every_list(
    cast, published, fake_notify, django_capture_on_commit_callbacks
):
    from tests.publishing.test_public_leaks import everywhere

    team = signed_in(cast.assessment_team)
    anyone = Client()
    path = public_path(published)
    assert anyone.get("/reports/").status_code == 200  # warms the cache with the report listed
    assert team.get(withdraw_url(published) + "?from_status=published").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(withdraw_url(published), {"reason": REASON, "from_status": "published"})
    assert response.status_code == 302

    report = ReportPage.objects.get(pk=published.pk)
    assert report.status == ReportStatus.WITHDRAWN and report.withdrawn_at is not None and report.live
    change = ReportStatusChange.objects.get(report=report, transition="withdraw")
    assert (change.comment, change.by, change.from_status) == (REASON, cast.assessment_team, ReportStatus.PUBLISHED)

    page = anyone.get(path)
    assert page.status_code == 200
    assert f"This report was withdrawn on {timezone.localdate():%-d %B %Y}" in page.text
    assert "The report named the wrong service." in page.text
    seen = everywhere(anyone, report, path)
    assert seen.pop("page") is True
    assert not any(seen.values()), {place: shown for place, shown in seen.items() if shown}

    assert addresses(fake_notify, kinds.REPORT_WITHDRAWN) == sorted(
        user.email for user in [cast.product_manager, cast.delivery_manager, cast.sro]
    )
    email = sent(fake_notify, kinds.REPORT_WITHDRAWN)[0]
    assert email["personalisation"]["reason"] == REASON
    assert anyone.get(urlsplit(email["personalisation"]["public_link"]).path).status_code == 200

    team_page = team.get(reverse("assessment_team:report", args=[report.pk])).text
    assert "Published → Withdrawn" in team_page and "The report named the wrong service." in team_page
    audit = signed_in(cast.superuser).get("/admin/audit/?what=report").text
    assert "Published → Withdrawn" in audit
    # The delivery team still has its report, saying it was withdrawn and why.
    theirs = signed_in(cast.product_manager).get(reverse("delivery:report", args=[report.pk]))
    assert theirs.status_code == 200 and "This report was withdrawn on" in theirs.text and REASON in theirs.text


def test_withdrawing_twice_at_once_withdraws_once(cast, published, django_capture_on_commit_callbacks):
    first, second = signed_in(cast.assessment_team), signed_in(make_cast().assessment_team)
    with django_capture_on_commit_callbacks(execute=True):
        first.post(withdraw_url(published), {"reason": REASON, "from_status": "published"})
        response = second.post(withdraw_url(published), {"reason": "Another reason.", "from_status": "published"})
    assert response.status_code == 302
    assert ReportStatusChange.objects.filter(report=published, transition="withdraw").count() == 1
    followed = second.get(response["Location"]).text
    assert "Someone else changed this report&#x27;s status" in followed
    assert ReportPage.objects.get(pk=published.pk).withdrawal_reason == REASON


def test_a_withdrawn_report_cannot_be_corrected_or_withdrawn_again(cast, published):
    team = signed_in(cast.assessment_team)
    data = form_data(team, published, **{"point-6-to_improve": "Changed.", "note": NOTE})
    transitions.report_transition(report=published, name="withdraw", user=cast.assessment_team, comment=REASON)

    response = team.post(correct_url(published), data)
    assert response.status_code == 200
    assert "This report is withdrawn, so it cannot be corrected" in response.text
    assert "Changed." in response.text and NOTE in response.text  # kept
    assert not ReportCorrection.objects.exists()
    assert ReportPage.objects.get(pk=published.pk).ratings.get(number=6).to_improve == "More work on point 6."

    assert team.get(correct_url(published)).status_code == 302
    assert team.get(withdraw_url(published)).status_code == 302


@pytest.mark.parametrize(
    "who", ["lead", "researcher", "product_manager", "sro", "plus", "other_service_product_manager"]
)
def test_nobody_but_the_service_assessment_team_corrects_or_withdraws(cast, published, who):
    client = signed_in(getattr(cast, who))
    for url in (correct_url(published), withdraw_url(published)):
        assert client.get(url).status_code == 404
    assert client.post(correct_url(published), {"note": NOTE, "point-6-to_improve": "Changed."}).status_code == 404
    assert client.post(withdraw_url(published), {"reason": REASON}).status_code == 404
    report = ReportPage.objects.get(pk=published.pk)
    assert report.status == ReportStatus.PUBLISHED and not ReportCorrection.objects.exists()


def test_the_panel_cannot_edit_a_published_report(cast, published):
    lead = signed_in(cast.lead)
    rating = published.ratings.get(number=6)
    response = lead.post(
        reverse("assessor:point", args=[published.pk, 6]),
        {"version": rating.version, "rating": "amber", "done_well": "x", "to_improve": "Changed by the panel."},
    )
    assert response.status_code in (200, 403)
    assert published.ratings.get(number=6).to_improve == "More work on point 6."


@pytest.mark.parametrize(
    ("note", "message"),
    [("   ", "Enter a change note saying what was corrected"), ("x" * (NOTE_LIMIT + 1), "1,000 characters or fewer")],
)
def test_a_missing_or_oversized_change_note_keeps_what_was_typed(cast, published, note, message):
    team = signed_in(cast.assessment_team)
    data = form_data(team, published, **{"point-6-to_improve": "Typed correction.", "note": note})
    response = team.post(correct_url(published), data)
    assert response.status_code == 200
    assert message in response.text and "govuk-error-summary" in response.text
    assert "Typed correction." in response.text
    if note.strip():
        assert note in response.text
    assert not ReportCorrection.objects.exists()


def test_a_correction_that_changes_nothing_is_refused(cast, published):
    team = signed_in(cast.assessment_team)
    response = team.post(correct_url(published), form_data(team, published, note=NOTE))
    assert response.status_code == 200 and "Nothing in the report has changed" in response.text
    assert not ReportCorrection.objects.exists()


def test_a_correction_made_on_a_stale_page_is_refused_and_kept(cast, published):
    team = signed_in(cast.assessment_team)
    stale = form_data(team, published, **{"point-6-to_improve": "My correction.", "note": "Mine."})
    first = form_data(team, published, **{"point-6-to_improve": "Their correction.", "note": "Theirs."})
    assert team.post(correct_url(published), first).status_code == 302
    response = team.post(correct_url(published), stale)
    assert response.status_code == 200 and "Someone else changed this report" in response.text
    assert "My correction." in response.text
    assert published.ratings.get(number=6).to_improve == "Their correction."
    # Saving again, now from the versions as they are, goes through.
    again = {
        form.add_prefix(name): form[name].value() for form in response.context["all_forms"] for name in form.fields
    }
    assert again["report-version"] == str(ReportPage.objects.get(pk=published.pk).version)
    assert team.post(correct_url(published), again).status_code == 302
    assert published.ratings.get(number=6).to_improve == "My correction."


@pytest.mark.parametrize(
    ("reason", "message"),
    [("  ", "Enter the reason for withdrawing the report"), ("y" * (NOTE_LIMIT + 1), "1,000 characters or fewer")],
)
def test_a_missing_or_oversized_reason_keeps_what_was_typed(cast, published, reason, message):
    team = signed_in(cast.assessment_team)
    response = team.post(withdraw_url(published), {"reason": reason, "from_status": "published"})
    assert response.status_code == 200 and message in response.text
    if reason.strip():
        assert reason in response.text
    assert ReportPage.objects.get(pk=published.pk).status == ReportStatus.PUBLISHED


def test_the_admin_links_to_the_correction_and_withdraws_with_the_reason(cast, published):
    team = signed_in(cast.assessment_team)
    page = team.get(f"/admin/assessment-reports/inspect/{published.pk}/").text
    assert correct_url(published) in page
    assert 'data-transition="withdraw"' in page
    response = team.post(
        reverse("admin_reports:transition", args=[published.pk, "withdraw"]),
        {"comment": REASON, "from_status": "published"},
    )
    assert response.status_code == 302
    report = ReportPage.objects.get(pk=published.pk)
    assert report.status == ReportStatus.WITHDRAWN and report.withdrawal_reason == REASON
    page = team.get(f"/admin/assessment-reports/inspect/{published.pk}/").text
    assert correct_url(published) not in page
