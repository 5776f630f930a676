"""The check page: what the service assessment team must judge before sharing a report (the overall rating the points
suggest, the lead assessor's rating, and the lead's reason when the two differ), on the team's report page and the
admin's inspect view; the delivery team reading the same reason; and a reason that no longer applies being cleared
when the ratings come to agree again. All through HTTP, as each person meets it."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.cast import make_cast, rate, signed_in
from workflow.models import PointRating, Rating, ReportPage, ReportStatus
from workflow.services import transitions
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db

REASON = "Point 6 is nearly met: the team has booked its research."


@pytest.fixture
def cast():
    return make_cast()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def summary_row(html: str, row_id: str) -> str | None:
    """The words of the summary-list row with this id, or None when the page has no such row."""
    match = re.search(rf'<div class="govuk-summary-list__row" id="{row_id}">(.*?)</div>', html, re.S)
    return text(match[1]) if match else None


def admin_value(html: str, which: str) -> str | None:
    match = re.search(rf'<dd data-rating="{which}">(.*?)</dd>', html, re.S)
    return text(match[1]) if match else None


def version(report) -> int:
    return ReportPage.objects.get(pk=report.pk).version


def give_overall(client, report, rating: str, reason: str = ""):
    return client.post(
        reverse("assessor:overall", args=[report.pk]),
        {"version": version(report), "overall_rating": rating, "reason": reason},
    )


def rate_point(client, report, number: int, rating: str):
    current = PointRating.objects.get(report=report, number=number)
    return client.post(
        reverse("assessor:point", args=[report.pk, number]),
        {
            "version": current.version,
            "rating": rating,
            "done_well": current.done_well,
            "to_improve": current.to_improve,
            "then": "overview",
        },
    )


def draft_rated(cast, letters="gggggagggggggg"):
    """A draft rated through the test helper (one action on each amber and red point), its overall rating left to
    the lead assessor."""
    report = rate(report_create(assessment=cast.assessment), letters)
    ReportPage.objects.filter(pk=report.pk).update(overall_rating="")
    return ReportPage.objects.get(pk=report.pk)


def submitted_with_differing_rating(cast):
    """The lead rates a report amber by its points green overall, with a reason, and submits it, all through HTTP."""
    report = draft_rated(cast)
    lead = signed_in(cast.lead)
    assert give_overall(lead, report, Rating.GREEN, REASON).status_code == 302
    lead.post(reverse("assessor:submit", args=[report.pk]))
    report = ReportPage.objects.get(pk=report.pk)
    assert report.status == ReportStatus.SUBMITTED
    return report


# The check page


def test_the_check_page_shows_both_ratings_and_the_leads_reason_when_they_differ(cast):
    report = submitted_with_differing_rating(cast)
    assert (report.overall_rating, report.suggested_overall_rating) == (Rating.GREEN, Rating.AMBER)

    html = signed_in(cast.assessment_team).get(reverse("assessment_team:report", args=[report.pk])).text
    assert summary_row(html, "suggested-rating") == "Overall rating the points suggest Amber"
    assert summary_row(html, "lead-rating") == "Lead assessor's overall rating Green"
    assert summary_row(html, "lead-reason") == f"Lead assessor's reason for differing {report.overall_rating_reason}"
    assert "The lead assessor's overall rating is not the one the point ratings suggest." in html


def test_the_check_page_shows_no_reason_when_the_ratings_agree(cast):
    report = draft_rated(cast, "ggggggggggggrg")
    lead = signed_in(cast.lead)
    assert give_overall(lead, report, Rating.RED).status_code == 302
    lead.post(reverse("assessor:submit", args=[report.pk]))

    html = signed_in(cast.assessment_team).get(reverse("assessment_team:report", args=[report.pk])).text
    assert summary_row(html, "suggested-rating") == "Overall rating the points suggest Red"
    assert summary_row(html, "lead-rating") == "Lead assessor's overall rating Red"
    assert summary_row(html, "lead-reason") is None
    assert "not the one the point ratings suggest" not in html


def test_the_status_on_the_check_page_is_the_status_tag(cast):
    report = submitted_with_differing_rating(cast)
    html = signed_in(cast.assessment_team).get(reverse("assessment_team:report", args=[report.pk])).text
    assert '<strong class="govuk-tag govuk-tag--purple">Submitted, awaiting check</strong>' in html


def test_the_admin_inspect_view_shows_the_same_three_things(cast):
    report = submitted_with_differing_rating(cast)
    client = signed_in(cast.assessment_team)
    html = client.get(f"/admin/assessment-reports/inspect/{report.pk}/").text
    assert admin_value(html, "suggested") == "Amber"
    assert admin_value(html, "lead") == "Green"
    assert admin_value(html, "reason") == report.overall_rating_reason == REASON

    agreeing = make_cast()
    other = draft_rated(agreeing, "g" * 14)
    give_overall(signed_in(agreeing.lead), other, Rating.GREEN)
    html = client.get(f"/admin/assessment-reports/inspect/{other.pk}/").text
    assert (admin_value(html, "suggested"), admin_value(html, "lead")) == ("Green", "Green")
    assert admin_value(html, "reason") is None


# The delivery team's copy


def test_the_delivery_team_reads_the_leads_reason_on_their_copy(cast):
    report = submitted_with_differing_rating(cast)
    report = transitions.report_transition(report=report, name="check", user=cast.assessment_team)
    transitions.report_transition(report=report, name="share", user=cast.assessment_team)

    for who in (cast.product_manager, cast.sro):
        html = signed_in(who).get(reverse("delivery:report", args=[report.pk])).text
        assert summary_row(html, "result-reason") == (
            "Why the result differs from the point ratings The point ratings suggest amber. "
            f"The lead assessor gave green because: {REASON}"
        )


def test_the_delivery_team_sees_no_reason_when_the_ratings_agree(cast):
    report = draft_rated(cast)
    lead = signed_in(cast.lead)
    give_overall(lead, report, Rating.AMBER)
    lead.post(reverse("assessor:submit", args=[report.pk]))
    report = transitions.report_transition(
        report=ReportPage.objects.get(pk=report.pk), name="check", user=cast.assessment_team
    )
    transitions.report_transition(report=report, name="share", user=cast.assessment_team)

    html = signed_in(cast.product_manager).get(reverse("delivery:report", args=[report.pk])).text
    assert summary_row(html, "result-reason") is None
    assert "Why the result differs" not in html


# A reason that no longer applies


def test_a_reason_is_cleared_when_a_point_change_makes_the_ratings_agree(cast):
    report = draft_rated(cast)
    lead = signed_in(cast.lead)
    give_overall(lead, report, Rating.GREEN, REASON)
    before = ReportPage.objects.get(pk=report.pk)
    assert before.overall_rating_reason == REASON

    # A panel member turns the only amber point green: the points now suggest green, as the lead gave.
    ReportPage.objects.get(pk=report.pk).ratings.get(number=6).actions.all().delete()
    assert rate_point(signed_in(cast.researcher), report, 6, Rating.GREEN).status_code == 302

    after = ReportPage.objects.get(pk=report.pk)
    assert (after.overall_rating, after.suggested_overall_rating) == (Rating.GREEN, Rating.GREEN)
    assert after.overall_rating_reason == ""
    assert after.version == before.version + 1
    latest = after.history.first()
    assert (latest.overall_rating_reason, latest.history_user) == ("", cast.researcher)
    assert after.history.all()[1].overall_rating_reason == REASON  # the words stay in the history

    overview = lead.get(reverse("assessor:report", args=[report.pk])).text
    assert REASON not in overview and "Reason for differing" not in overview


def test_a_reason_is_kept_while_the_ratings_still_differ(cast):
    report = draft_rated(cast, "gggggaggggggrg")
    lead = signed_in(cast.lead)
    give_overall(lead, report, Rating.AMBER, REASON)  # the points suggest red

    # Point 6 from amber to red: still red suggested, still amber given.
    assert rate_point(signed_in(cast.researcher), report, 6, Rating.RED).status_code == 302
    after = ReportPage.objects.get(pk=report.pk)
    assert (after.overall_rating, after.suggested_overall_rating) == (Rating.AMBER, Rating.RED)
    assert after.overall_rating_reason == REASON


def test_a_reason_is_not_kept_when_the_lead_gives_the_suggested_rating(cast):
    report = draft_rated(cast)
    lead = signed_in(cast.lead)
    give_overall(lead, report, Rating.GREEN, REASON)

    # The lead changes their mind and gives amber, the reason still in the box.
    assert give_overall(lead, report, Rating.AMBER, REASON).status_code == 302
    after = ReportPage.objects.get(pk=report.pk)
    assert (after.overall_rating, after.overall_rating_reason) == (Rating.AMBER, "")


def test_once_the_ratings_differ_again_the_report_asks_for_a_reason_anew(cast):
    report = draft_rated(cast)
    lead = signed_in(cast.lead)
    give_overall(lead, report, Rating.GREEN, REASON)
    ReportPage.objects.get(pk=report.pk).ratings.get(number=6).actions.all().delete()
    rate_point(lead, report, 6, Rating.GREEN)  # agree: reason cleared
    rate_point(lead, report, 6, Rating.AMBER)  # differ again

    after = ReportPage.objects.get(pk=report.pk)
    assert (after.overall_rating, after.suggested_overall_rating, after.overall_rating_reason) == (
        Rating.GREEN,
        Rating.AMBER,
        "",
    )
    overview = lead.get(reverse("assessor:report", args=[report.pk])).text
    assert "Give a reason for an overall rating of green: the point ratings suggest amber." in overview
    assert re.search(r"Reason for differing</dt>\s*<dd[^>]*>Not given yet</dd>", overview)


def test_a_refused_point_save_leaves_the_reason_alone(cast):
    report = draft_rated(cast)
    lead = signed_in(cast.lead)
    give_overall(lead, report, Rating.GREEN, REASON)
    ReportPage.objects.get(pk=report.pk).ratings.get(number=6).actions.all().delete()
    stale = signed_in(cast.researcher).post(
        reverse("assessor:point", args=[report.pk, 6]),
        {"version": 99, "rating": Rating.GREEN, "done_well": "", "to_improve": "", "then": "overview"},
    )
    assert stale.status_code == 200
    assert "Someone else saved a change to this point while you were editing." in stale.text
    after = ReportPage.objects.get(pk=report.pk)
    assert after.overall_rating_reason == REASON
    assert PointRating.objects.get(report=report, number=6).rating == Rating.AMBER
