"""Every transition of a report through HTTP, as the people who may make it and as those who may not.

A refusal must change nothing: each refused case checks that the status, the recorded dates and the status
history are as they were."""

import html
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from notify.models import OutboxEmail
from tests.cast import make_cast, report_in
from tests.factories import DeliveryTeamMemberFactory, UserFactory
from workflow import roles
from workflow.models import DeliveryTeamRole, ReportPage, ReportStatus
from workflow.services import transitions
from workflow.transitions import ReportTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def snapshot(report):
    report = ReportPage.objects.get(pk=report.pk)
    return (
        report.status,
        report.submitted_at,
        report.shared_at,
        report.response_due,
        report.accepted_at,
        report.live,
        list(report.status_changes.values_list("pk", "transition")),
    )


def status_of(report):
    return ReportPage.objects.get(pk=report.pk).status


def text(response):
    return html.unescape(response.content.decode())


def as_user(client, user):
    client.force_login(user)
    return client


def delivery_team_member(cast):
    """Someone on the delivery team with no say over the report."""
    user = UserFactory(groups=[roles.DELIVERY_TEAM_MEMBERS])
    DeliveryTeamMemberFactory(service=cast.assessment.service, user=user, role=DeliveryTeamRole.MEMBER)
    return user


# --- submit (the lead assessor) ---------------------------------------------------------------------


def _assessor_submit_url(report):
    url = f"/assessor/reports/{report.pk}/submit/"
    try:
        match = resolve(url)
    except Resolver404:
        return None
    # Anything else under the site falls through to Wagtail's page serving; only the assessors' own view counts.
    return url if match.namespace == "assessor" else None


def test_submit_through_http_when_the_assessor_pages_have_it(client, cast):
    report = report_in("draft", cast)
    url = _assessor_submit_url(report)
    if url is None:
        pytest.skip("/assessor/reports/<id>/submit/ does not exist yet; submit is tested through the service below")
    before = snapshot(report)
    assert as_user(client, cast.researcher).post(url).status_code in (403, 404)
    assert snapshot(report) == before
    response = as_user(client, cast.lead).post(url)
    assert response.status_code in (302, 303)
    assert status_of(report) == ReportStatus.SUBMITTED


def test_submit_through_the_service_by_the_lead_assessor(cast):
    report = report_in("draft", cast)
    transitions.report_transition(report=report, name=ReportTransition.SUBMIT, user=cast.lead)
    assert status_of(report) == ReportStatus.SUBMITTED
    assert report.status_changes.get().transition == "submit"


@pytest.mark.parametrize("who", ["researcher", "observer", "assessment_team", "product_manager", "plus"])
def test_submit_through_the_service_is_refused_to_anyone_but_the_lead(cast, who):
    report = report_in("draft", cast)
    before = snapshot(report)
    with pytest.raises(PermissionDenied):
        transitions.report_transition(report=report, name=ReportTransition.SUBMIT, user=getattr(cast, who))
    assert snapshot(report) == before


# --- check, share and return (the service assessment team) ------------------------------------------


def test_the_assessment_team_checks_a_submitted_report(client, cast):
    report = report_in("submitted", cast)
    response = as_user(client, cast.assessment_team).post(
        reverse("assessment_team:check", args=[report.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("assessment_team:report", args=[report.pk])
    assert status_of(report) == ReportStatus.CHECKED
    change = report.status_changes.last()
    assert (change.transition, change.from_status, change.to_status, change.by) == (
        "check",
        ReportStatus.SUBMITTED,
        ReportStatus.CHECKED,
        cast.assessment_team,
    )
    assert f"The report for {report.title} has been marked as checked." in text(response)


def test_the_assessment_team_shares_a_checked_report_which_starts_the_response_clock(client, cast):
    report = report_in("checked", cast)
    response = as_user(client, cast.assessment_team).post(
        reverse("assessment_team:share", args=[report.pk]), follow=True
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SHARED
    assert report.shared_at is not None and report.response_due is not None
    assert report.status_changes.last().transition == "share"
    assert "shared with the delivery team" in text(response)


@pytest.mark.parametrize("status", ["submitted", "checked"])
def test_the_assessment_team_returns_a_report_to_the_panel_with_a_comment(client, cast, status):
    report = report_in(status, cast)
    client = as_user(client, cast.assessment_team)
    assert client.get(reverse("assessment_team:return", args=[report.pk])).status_code == 200
    response = client.post(
        reverse("assessment_team:return", args=[report.pk]), {"comment": "Point 6 needs evidence."}, follow=True
    )
    assert status_of(report) == ReportStatus.DRAFT
    change = report.status_changes.last()
    assert (change.transition, change.comment, change.by) == ("return", "Point 6 needs evidence.", cast.assessment_team)
    assert "returned to the panel" in text(response)


def test_the_superuser_may_check_like_the_assessment_team(client, cast):
    report = report_in("submitted", cast)
    as_user(client, cast.superuser).post(reverse("assessment_team:check", args=[report.pk]))
    assert status_of(report) == ReportStatus.CHECKED


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_returning_without_a_comment_is_refused_with_a_message(client, cast, comment):
    report = report_in("submitted", cast)
    before = snapshot(report)
    response = as_user(client, cast.assessment_team).post(
        reverse("assessment_team:return", args=[report.pk]), {"comment": comment}
    )
    assert response.status_code == 200
    assert "Enter a comment for the panel saying what needs to change" in text(response)
    assert snapshot(report) == before


def test_returning_with_too_long_a_comment_is_refused_with_a_message(client, cast):
    report = report_in("submitted", cast)
    before = snapshot(report)
    response = as_user(client, cast.assessment_team).post(
        reverse("assessment_team:return", args=[report.pk]), {"comment": "x" * 5001}
    )
    assert response.status_code == 200
    assert "The comment must be 5,000 characters or fewer" in text(response)
    assert snapshot(report) == before


@pytest.mark.parametrize(
    "name, status, data, refusal",
    [
        ("check", "checked", {}, "This report is checked, so it cannot be marked as checked now."),
        ("check", "shared", {}, "This report is shared with the team, so it cannot be marked as checked now."),
        ("check", "draft", {}, "This report is draft, so it cannot be marked as checked now."),
        ("share", "submitted", {}, "cannot be shared with the delivery team now"),
        ("share", "shared", {}, "cannot be shared with the delivery team now"),
        ("share", "challenged", {}, "cannot be shared with the delivery team now"),
        ("return", "shared", {"comment": "Too late."}, "cannot be returned to the panel now"),
        ("return", "published", {"comment": "Too late."}, "cannot be returned to the panel now"),
        ("return", "draft", {"comment": "Already draft."}, "cannot be returned to the panel now"),
    ],
)
def test_assessment_team_transitions_from_the_wrong_status_are_refused_with_a_message(
    client, cast, name, status, data, refusal
):
    report = report_in(status, cast)
    before = snapshot(report)
    response = as_user(client, cast.assessment_team).post(
        reverse(f"assessment_team:{name}", args=[report.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert refusal in text(response)
    assert snapshot(report) == before


def test_the_return_form_is_not_offered_for_a_report_that_cannot_be_returned(client, cast):
    report = report_in("shared", cast)
    response = as_user(client, cast.assessment_team).get(
        reverse("assessment_team:return", args=[report.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("assessment_team:report", args=[report.pk])
    assert "cannot be returned to the panel now" in text(response)


@pytest.mark.parametrize("name", ["publish", "accept", "submit", "resolve"])
def test_an_unknown_transition_name_is_not_found(client, cast, name):
    report = report_in("submitted", cast)
    before = snapshot(report)
    assert (
        as_user(client, cast.assessment_team).post(f"/assessment-team/reports/{report.pk}/{name}/").status_code == 404
    )
    assert snapshot(report) == before


def test_a_missing_report_is_not_found(client, cast):
    assert (
        as_user(client, cast.assessment_team).post(reverse("assessment_team:check", args=[999999])).status_code == 404
    )


def test_the_assessment_team_report_page_offers_exactly_the_transitions_allowed(client, cast):
    report = report_in("submitted", cast)
    page = text(as_user(client, cast.assessment_team).get(reverse("assessment_team:report", args=[report.pk])))
    assert reverse("assessment_team:check", args=[report.pk]) in page
    assert reverse("assessment_team:return", args=[report.pk]) in page
    assert reverse("assessment_team:share", args=[report.pk]) not in page

    transitions.report_transition(report=report, name=ReportTransition.CHECK, user=cast.assessment_team)
    page = text(client.get(reverse("assessment_team:report", args=[report.pk])))
    assert reverse("assessment_team:share", args=[report.pk]) in page
    assert "emails the service's delivery team" in page and "10 working days" in page
    assert reverse("assessment_team:check", args=[report.pk]) not in page

    transitions.report_transition(report=report, name=ReportTransition.SHARE, user=cast.assessment_team)
    page = text(client.get(reverse("assessment_team:report", args=[report.pk])))
    for name in ("check", "share", "return"):
        assert reverse(f"assessment_team:{name}", args=[report.pk]) not in page


def test_the_assessment_team_report_page_shows_the_whole_status_history(client, cast):
    report = report_in("challenged", cast)
    page = text(as_user(client, cast.assessment_team).get(reverse("assessment_team:report", args=[report.pk])))
    for change in report.status_changes.all():
        assert f"{change.get_from_status_display()} → {change.get_to_status_display()}" in page
    assert "We disagree with point 6." in page
    assert cast.product_manager.get_full_name() in page


# --- accept and challenge (the product or delivery manager) ---------------------------------------


@pytest.mark.parametrize("who", ["product_manager", "delivery_manager"])
def test_a_responder_accepts_after_a_confirmation_page_and_the_report_is_published(client, cast, who):
    report = report_in("shared", cast)
    client = as_user(client, getattr(cast, who))
    confirm = client.get(reverse("delivery:accept", args=[report.pk]))
    assert confirm.status_code == 200
    assert "published straight away" in text(confirm)
    assert status_of(report) == ReportStatus.SHARED  # the confirmation page changes nothing

    response = client.post(reverse("delivery:accept", args=[report.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("delivery:report", args=[report.pk])
    assert "accepted and published" in text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.live
    assert [change.transition for change in report.status_changes.all()][-2:] == ["accept", "publish"]
    assert Client().get(report.url).status_code == 200


@pytest.mark.parametrize("who", ["product_manager", "delivery_manager"])
def test_a_responder_challenges_with_reasons(client, cast, who):
    report = report_in("shared", cast)
    client = as_user(client, getattr(cast, who))
    assert client.get(reverse("delivery:challenge", args=[report.pk])).status_code == 200
    response = client.post(
        reverse("delivery:challenge", args=[report.pk]), {"reasons": "Point 6 ignores our research."}, follow=True
    )
    assert status_of(report) == ReportStatus.CHALLENGED
    change = report.status_changes.last()
    assert (change.transition, change.comment, change.by) == (
        "challenge",
        "Point 6 ignores our research.",
        getattr(cast, who),
    )
    assert "has been challenged" in text(response)
    assert not ReportPage.objects.get(pk=report.pk).live


@pytest.mark.parametrize(
    "reasons, message",
    [
        ("", "Enter your reasons for challenging the report"),
        ("   ", "Enter your reasons for challenging the report"),
        ("x" * 5001, "Your reasons must be 5,000 characters or fewer"),
    ],
)
def test_challenging_without_proper_reasons_is_refused_with_a_message(client, cast, reasons, message):
    report = report_in("shared", cast)
    before = snapshot(report)
    response = as_user(client, cast.product_manager).post(
        reverse("delivery:challenge", args=[report.pk]), {"reasons": reasons}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert "There is a problem" in text(response)
    assert snapshot(report) == before


def test_reasons_of_exactly_five_thousand_characters_are_accepted(client, cast):
    report = report_in("shared", cast)
    as_user(client, cast.product_manager).post(reverse("delivery:challenge", args=[report.pk]), {"reasons": "x" * 5000})
    assert status_of(report) == ReportStatus.CHALLENGED


@pytest.mark.parametrize("name, data", [("accept", {}), ("challenge", {"reasons": "We disagree."})])
@pytest.mark.parametrize("who", ["sro", "member", "lead", "researcher", "assessment_team", "plus", "superuser"])
def test_responses_are_forbidden_to_people_who_see_the_report_but_may_not_respond(client, cast, name, data, who):
    report = report_in("shared", cast)
    user = delivery_team_member(cast) if who == "member" else getattr(cast, who)
    before = snapshot(report)
    client = as_user(client, user)
    assert client.post(reverse(f"delivery:{name}", args=[report.pk]), data).status_code == 403
    assert client.get(reverse(f"delivery:{name}", args=[report.pk])).status_code == 403
    assert snapshot(report) == before


@pytest.mark.parametrize("name, data", [("accept", {}), ("challenge", {"reasons": "We disagree."})])
@pytest.mark.parametrize("who", ["other_service_product_manager", "assessor_not_on_panel"])
def test_responses_are_not_found_for_people_with_no_link_to_the_report(client, cast, name, data, who):
    report = report_in("shared", cast)
    before = snapshot(report)
    assert (
        as_user(client, getattr(cast, who)).post(reverse(f"delivery:{name}", args=[report.pk]), data).status_code == 404
    )
    assert snapshot(report) == before


@pytest.mark.parametrize("who", ["sro", "member"])
def test_the_sro_and_delivery_team_members_see_the_report_without_buttons(client, cast, who):
    report = report_in("shared", cast)
    user = delivery_team_member(cast) if who == "member" else cast.sro
    page = as_user(client, user).get(reverse("delivery:report", args=[report.pk]))
    assert page.status_code == 200
    assert report.ratings.first().title.replace("'", "&#x27;") in page.content.decode()
    assert "Accept report" not in text(page) and "Challenge report" not in text(page)


def test_the_product_manager_sees_accept_and_challenge_buttons_while_shared_only(client, cast):
    report = report_in("shared", cast)
    client = as_user(client, cast.product_manager)
    page = text(client.get(reverse("delivery:report", args=[report.pk])))
    assert "Accept report" in page and "Challenge report" in page
    transitions.report_transition(
        report=report, name=ReportTransition.CHALLENGE, user=cast.product_manager, comment="No."
    )
    page = text(client.get(reverse("delivery:report", args=[report.pk])))
    assert "Accept report" not in page and "Challenge report" not in page
    assert "You challenged this report" in page


@pytest.mark.parametrize("status", ["draft", "submitted", "checked"])
@pytest.mark.parametrize("name", ["report", "accept", "challenge"])
def test_the_delivery_team_cannot_find_a_report_before_it_is_shared(client, cast, status, name):
    report = report_in(status, cast)
    before = snapshot(report)
    client = as_user(client, cast.product_manager)
    assert client.get(reverse(f"delivery:{name}", args=[report.pk])).status_code == 404
    if name != "report":
        assert client.post(reverse(f"delivery:{name}", args=[report.pk]), {"reasons": "x"}).status_code == 404
    assert snapshot(report) == before


@pytest.mark.parametrize(
    "status, name, data, refusal",
    [
        ("published", "accept", {}, "This report is published, so it cannot be accepted and published now."),
        ("challenged", "accept", {}, "This report is challenged, so it cannot be accepted and published now."),
        (
            "published",
            "challenge",
            {"reasons": "Too late."},
            "This report is published, so it cannot be challenged now.",
        ),
        (
            "challenged",
            "challenge",
            {"reasons": "Again."},
            "This report is challenged, so it cannot be challenged now.",
        ),
    ],
)
def test_responses_from_the_wrong_status_are_refused_with_a_message(client, cast, status, name, data, refusal):
    report = report_in(status, cast)
    before = snapshot(report)
    client = as_user(client, cast.delivery_manager)
    response = client.post(reverse(f"delivery:{name}", args=[report.pk]), data, follow=True)
    assert response.status_code == 200
    assert refusal in text(response)
    assert snapshot(report) == before
    # The confirmation and form pages are not offered either: they say why and go back to the report.
    response = client.get(reverse(f"delivery:{name}", args=[report.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("delivery:report", args=[report.pk])
    assert refusal in text(response)


def test_once_one_manager_has_accepted_the_other_cannot_challenge(client, cast):
    report = report_in("shared", cast)
    as_user(Client(), cast.product_manager).post(reverse("delivery:accept", args=[report.pk]))
    before = snapshot(report)
    response = as_user(client, cast.delivery_manager).post(
        reverse("delivery:challenge", args=[report.pk]), {"reasons": "Wait!"}, follow=True
    )
    assert "cannot be challenged now" in text(response)
    assert snapshot(report) == before


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, cast, method):
    report = report_in("shared", cast)
    before = snapshot(report)
    client = as_user(client, cast.product_manager)
    for url in (reverse("delivery:accept", args=[report.pk]), reverse("delivery:challenge", args=[report.pk])):
        assert getattr(client, method)(url).status_code == 405
    assert snapshot(report) == before


# --- resolve (the Service Assessment Plus team) -----------------------------------------------------


def test_plus_resolves_a_challenge_and_the_report_is_checked_and_shared_again(client, cast):
    report = report_in("challenged", cast)
    first_due = ReportPage.objects.get(pk=report.pk).response_due
    plus = as_user(Client(), cast.plus)
    page = text(plus.get(reverse("plus:report", args=[report.pk])))
    assert "We disagree with point 6." in page
    assert "Record agreed changes and send back for checking" in page

    response = plus.post(
        reverse("plus:report", args=[report.pk]),
        {"outcome": "The panel agreed point 6 is met.", "agreed_changes": "Point 6 rated green after the meeting."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("plus:dashboard")
    assert "sent back to the service assessment team" in text(response)
    assert status_of(report) == ReportStatus.SUBMITTED
    change = report.status_changes.last()
    assert (change.transition, change.comment, change.by) == (
        "resolve",
        "Point 6 rated green after the meeting.",
        cast.plus,
    )

    assessment_team = as_user(client, cast.assessment_team)
    assessment_team.post(reverse("assessment_team:check", args=[report.pk]))
    assert status_of(report) == ReportStatus.CHECKED
    assessment_team.post(reverse("assessment_team:share", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SHARED
    assert report.response_due is not None and report.response_due >= first_due
    assert [change.transition for change in report.status_changes.all()] == [
        "submit",
        "check",
        "share",
        "challenge",
        "resolve",
        "check",
        "share",
    ]
    # And the team can respond again.
    as_user(Client(), cast.product_manager).post(reverse("delivery:accept", args=[report.pk]))
    assert status_of(report) == ReportStatus.PUBLISHED


@pytest.mark.parametrize(
    "agreed_changes, message",
    [
        ("", "Enter the changes agreed with the panel and the team"),
        ("  ", "Enter the changes agreed with the panel and the team"),
        ("x" * 5001, "The agreed changes must be 5,000 characters or fewer"),
    ],
)
def test_resolving_without_proper_agreed_changes_is_refused_with_a_message(client, cast, agreed_changes, message):
    report = report_in("challenged", cast)
    before = snapshot(report)
    response = as_user(client, cast.plus).post(
        reverse("plus:report", args=[report.pk]), {"outcome": "Kept amber.", "agreed_changes": agreed_changes}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert snapshot(report) == before


@pytest.mark.parametrize("who", ["assessment_team", "product_manager", "delivery_manager", "sro", "lead"])
def test_resolving_is_forbidden_to_everyone_but_plus(client, cast, who):
    report = report_in("challenged", cast)
    before = snapshot(report)
    client = as_user(client, getattr(cast, who))
    url = reverse("plus:report", args=[report.pk])
    assert client.post(url, {"agreed_changes": "Sorted."}).status_code == 403
    assert client.get(url).status_code == 403
    assert snapshot(report) == before


@pytest.mark.parametrize("who", ["other_service_product_manager", "assessor_not_on_panel"])
def test_resolving_is_not_found_for_people_with_no_link_to_the_report(client, cast, who):
    report = report_in("challenged", cast)
    before = snapshot(report)
    response = as_user(client, getattr(cast, who)).post(
        reverse("plus:report", args=[report.pk]), {"agreed_changes": "x"}
    )
    assert response.status_code == 404
    assert snapshot(report) == before


@pytest.mark.parametrize("status", ["shared", "submitted", "published"])
def test_resolving_a_report_that_is_not_challenged_is_refused_with_a_message(client, cast, status):
    report = report_in(status, cast)
    before = snapshot(report)
    client = as_user(client, cast.plus)
    page = text(client.get(reverse("plus:report", args=[report.pk])))
    assert "Record agreed changes and send back for checking" not in page
    response = client.post(reverse("plus:report", args=[report.pk]), {"agreed_changes": "Sorted."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plus:report", args=[report.pk])
    assert "cannot be sent back to the service assessment team to check and share again now" in text(response)
    assert snapshot(report) == before


@pytest.mark.parametrize(
    "url",
    [
        "/assessment-team/reports/99999999999999999999999/",
        "/assessment-team/reports/99999999999999999999999/check/",
        "/team/reports/99999999999999999999999/accept/",
        "/plus/reports/99999999999999999999999/",
    ],
)
def test_a_made_up_report_number_too_big_for_the_database_is_not_found(client, cast, url):
    client.raise_request_exception = False
    client.force_login(cast.superuser)
    assert client.post(url).status_code == 404


# --- a page someone else has overtaken ----------------------------------------------------------------------

# Every transition form posts the status its page showed; a transition made on a page whose report has since been
# moved on by someone else is refused, even when the new status would allow it.
STATUS_CHANGED = (
    "Someone else changed this report's status while you were looking at it (it is now {status}). Nothing has been "
    "changed: check the report and try again."
)


def shown_status(page: str) -> list[str]:
    return re.findall(r'name="from_status" value="([^"]*)"', page)


def link_to(page: str, url: str) -> str:
    """The address of the page's link to `url`, query string and all."""
    return html.unescape(re.search(rf'href="({re.escape(url)}[^"]*)"', page).group(1))


def everything(report):
    return (snapshot(report), sorted(OutboxEmail.objects.values_list("pk", "kind", "status")))


def test_a_return_made_on_a_page_that_showed_the_report_submitted_is_refused_once_someone_has_checked_it(cast):
    report = report_in("submitted", cast)
    a = as_user(Client(), cast.assessment_team)
    b = as_user(Client(), UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))
    overview = text(a.get(reverse("assessment_team:report", args=[report.pk])))
    form = text(a.get(link_to(overview, reverse("assessment_team:return", args=[report.pk]))))
    assert shown_status(form) == ["submitted"]

    b.post(reverse("assessment_team:check", args=[report.pk]), {"from_status": "submitted"})
    assert status_of(report) == ReportStatus.CHECKED
    before = everything(report)

    # Returning a checked report is allowed; returning one that is no longer the submitted report A read is not.
    response = a.post(
        reverse("assessment_team:return", args=[report.pk]),
        {"comment": "Point 6 needs evidence.", "from_status": shown_status(form)[0]},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("assessment_team:report", args=[report.pk])
    assert STATUS_CHANGED.format(status="checked") in text(response)
    assert everything(report) == before


def test_a_link_to_a_form_from_a_page_someone_has_since_overtaken_says_so_at_once(cast):
    report = report_in("submitted", cast)
    a = as_user(Client(), cast.assessment_team)
    overview = text(a.get(reverse("assessment_team:report", args=[report.pk])))
    transitions.report_transition(
        report=report, name=ReportTransition.CHECK, user=UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM])
    )

    response = a.get(link_to(overview, reverse("assessment_team:return", args=[report.pk])), follow=True)

    assert response.redirect_chain[-1][0] == reverse("assessment_team:report", args=[report.pk])
    assert STATUS_CHANGED.format(status="checked") in text(response)
    assert status_of(report) == ReportStatus.CHECKED


def test_a_challenge_typed_while_the_other_manager_accepted_is_refused_as_overtaken(cast):
    report = report_in("shared", cast)
    pm = as_user(Client(), cast.product_manager)
    overview = text(pm.get(reverse("delivery:report", args=[report.pk])))
    form = text(pm.get(link_to(overview, reverse("delivery:challenge", args=[report.pk]))))
    as_user(Client(), cast.delivery_manager).post(
        reverse("delivery:accept", args=[report.pk]), {"from_status": "shared"}
    )
    before = everything(report)

    response = pm.post(
        reverse("delivery:challenge", args=[report.pk]),
        {"reasons": "We disagree with point 6.", "from_status": shown_status(form)[0]},
        follow=True,
    )

    assert STATUS_CHANGED.format(status="published") in text(response)
    assert everything(report) == before


def test_pressing_the_same_button_twice_says_the_first_press_did_it(cast):
    report = report_in("submitted", cast)
    assessment_team = as_user(Client(), cast.assessment_team)
    [shown] = set(shown_status(text(assessment_team.get(reverse("assessment_team:report", args=[report.pk])))))
    assessment_team.post(reverse("assessment_team:check", args=[report.pk]), {"from_status": shown})
    before = everything(report)

    again = assessment_team.post(
        reverse("assessment_team:check", args=[report.pk]), {"from_status": shown}, follow=True
    )

    assert "You have already changed this report's status (it is now checked)." in text(again)
    assert everything(report) == before


def test_a_status_shown_again_with_a_form_error_is_the_one_first_shown(cast):
    # A reason left out, then the page shown again: the status must stay the one the person first read.
    report = report_in("challenged", cast)
    plus = as_user(Client(), cast.plus)
    assert shown_status(text(plus.get(reverse("plus:report", args=[report.pk])))) == ["challenged"]
    error = plus.post(reverse("plus:report", args=[report.pk]), {"agreed_changes": "", "from_status": "challenged"})
    assert error.status_code == 200
    assert shown_status(text(error)) == ["challenged"]


@pytest.mark.parametrize(
    "status, who, page, shown",
    [
        ("draft", "lead", "assessor:report", ["draft"]),
        ("submitted", "assessment_team", "assessment_team:report", ["submitted"]),  # check (return is a link)
        ("checked", "assessment_team", "assessment_team:report", ["checked"]),  # share
        ("checked", "assessment_team", "assessment_team:return", ["checked"]),
        ("shared", "product_manager", "delivery:accept", ["shared"]),
        ("shared", "product_manager", "delivery:challenge", ["shared"]),
        ("challenged", "plus", "plus:report", ["challenged"]),
    ],
)
def test_every_transition_form_posts_the_status_its_page_showed(client, cast, status, who, page, shown):
    report = report_in(status, cast)
    response = as_user(client, getattr(cast, who)).get(reverse(page, args=[report.pk]))
    assert response.status_code == 200
    # The panel's comment forms are no transition: the comment service refuses them by the report's status itself.
    forms = [
        form
        for form in re.findall(r"<form method=\"post\".*?</form>", text(response), re.S)
        if "/sign-out/" not in form and "/comments/" not in form.split(">", 1)[0]
    ]
    assert forms and all("from_status" in form for form in forms)
    assert shown_status(text(response)) == shown


def test_a_post_without_the_status_its_page_showed_is_checked_by_the_transition_rules_alone(client, cast):
    # Pages from before the field, and hand-made requests: nothing to compare, so the transition's own rules decide.
    report = report_in("checked", cast)
    client = as_user(client, cast.assessment_team)
    client.post(reverse("assessment_team:return", args=[report.pk]), {"comment": "Point 6 needs evidence."})
    assert status_of(report) == ReportStatus.DRAFT


@pytest.mark.parametrize("from_status", ["checked", "x" * 1000, "\u202e", "published"])
def test_a_made_up_status_is_refused_and_changes_nothing(client, cast, from_status):
    report = report_in("submitted", cast)
    before = everything(report)
    response = as_user(client, cast.assessment_team).post(
        reverse("assessment_team:check", args=[report.pk]), {"from_status": from_status}, follow=True
    )
    assert response.status_code == 200
    assert STATUS_CHANGED.format(status="submitted, awaiting check") in text(response)
    assert everything(report) == before


def test_the_services_take_the_status_shown_as_a_keyword_and_refuse_when_it_has_changed(cast):
    report = report_in("checked", cast)
    other = UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM])
    before = everything(report)
    with pytest.raises(transitions.TransitionRefused) as refused:
        transitions.report_transition(
            report=report,
            name=ReportTransition.RETURN,
            user=other,
            comment="Point 6 needs evidence.",
            expected_status="submitted",
        )
    assert refused.value.reasons == [STATUS_CHANGED.format(status="checked")]
    assert everything(report) == before
    transitions.report_transition(
        report=report, name=ReportTransition.RETURN, user=other, comment="Point 6.", expected_status="checked"
    )
    assert status_of(report) == ReportStatus.DRAFT


def test_an_admin_transition_made_on_an_overtaken_inspect_page_is_refused(cast):
    report = report_in("submitted", cast)
    assessment_team = as_user(Client(), cast.assessment_team)
    page = text(assessment_team.get(f"/admin/assessment-reports/inspect/{report.pk}/"))
    assert set(shown_status(page)) == {"submitted"}
    transitions.report_transition(
        report=report, name=ReportTransition.CHECK, user=UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM])
    )
    before = everything(report)

    response = assessment_team.post(
        f"/admin/assessment-reports/transition/{report.pk}/return/",
        {"comment": "Point 6 needs evidence.", "from_status": "submitted"},
        follow=True,
    )

    assert STATUS_CHANGED.format(status="checked") in text(response)
    assert everything(report) == before
