"""The panel's comments while drafting, through HTTP: on a point and on the whole report, replies, resolving; the
lead sees what is unresolved before submitting; closed once submitted, open again during a challenge; the central
teams read them; the delivery team never learns they exist."""

import pytest
from django.urls import reverse

from tests.cast import make_cast, report_in, signed_in
from workflow.models import ReportComment, ReportStatus
from workflow.services import transitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def draft(cast):
    return report_in(ReportStatus.DRAFT, cast)


def url(name, *args):
    return reverse(f"assessor:{name}", args=args)


def comment(client, report, text, number=None):
    if number is None:
        return client.post(url("comment", report.pk), {"text": text})
    return client.post(url("comment_point", report.pk, number), {"text": text})


def test_the_panel_comments_replies_and_resolves(cast, draft):
    researcher, lead, observer = signed_in(cast.researcher), signed_in(cast.lead), signed_in(cast.observer)
    response = comment(researcher, draft, "Is point 3 really green?", number=3)
    on_point = ReportComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("point", draft.pk, 3) + f"#comment-{on_point.pk}"
    assert on_point.point_number == 3 and on_point.author == cast.researcher and on_point.parent is None

    # Observers cannot edit points, but they comment on the whole report.
    response = comment(observer, draft, "The summary reads well.")
    whole = ReportComment.objects.get(point_number=None)
    assert response["Location"] == url("report", draft.pk) + f"#comment-{whole.pk}"

    response = lead.post(url("comment_reply", draft.pk, on_point.pk), {"text": "Yes: they tested with users."})
    reply = ReportComment.objects.get(parent=on_point)
    assert reply.point_number == 3 and reply.author == cast.lead
    assert response["Location"] == url("point", draft.pk, 3) + f"#comment-{on_point.pk}"

    page = researcher.get(url("point", draft.pk, 3)).text
    assert "Is point 3 really green?" in page and "Yes: they tested with users." in page
    assert cast.lead.get_full_name() in page
    assert url("comment_resolve", draft.pk, on_point.pk) in page
    assert "The summary reads well." not in page  # the whole report's comments are on the report page
    page = observer.get(url("report", draft.pk)).text
    assert "The summary reads well." in page and "Is point 3 really green?" in page

    response = researcher.post(url("comment_resolve", draft.pk, on_point.pk))
    assert response.status_code == 302
    on_point.refresh_from_db()
    assert on_point.resolved_by == cast.researcher and on_point.resolved_at is not None
    page = researcher.get(url("point", draft.pk, 3)).text
    assert "Resolved" in page and url("comment_resolve", draft.pk, on_point.pk) not in page


def test_the_lead_sees_unresolved_comments_before_submitting_and_may_still_submit(cast, draft):
    comment(signed_in(cast.researcher), draft, "Check the accessibility audit before we submit.", number=5)
    comment(signed_in(cast.researcher), draft, "Done, nothing else.")
    resolved = ReportComment.objects.get(point_number=None)
    signed_in(cast.researcher).post(url("comment_resolve", draft.pk, resolved.pk))
    lead = signed_in(cast.lead)
    page = lead.get(url("report", draft.pk)).text
    assert 'id="unresolved-comments"' in page
    assert "1 comment not yet resolved" in page
    warning = page[page.index('id="unresolved-comments"') : page.index("Submit report</button>")]
    assert "Point 5: Check the accessibility audit before we submit." in warning
    assert url("point", draft.pk, 5) + "#comment-" in warning
    assert "Done, nothing else." not in warning

    response = lead.post(url("submit", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


def test_after_submitting_commenting_is_closed_and_the_form_gone(cast, draft):
    thread = ReportComment.objects.create(report=draft, point_number=None, author=cast.lead, text="Open question.")
    transitions.report_transition(report=draft, name="submit", user=cast.lead)
    researcher = signed_in(cast.researcher)
    # A panel member who typed while the lead submitted: told why, with their text kept, and nothing saved.
    response = comment(researcher, draft, "Typed while the lead submitted.")
    assert response.status_code == 200
    assert "Your comment has not been saved." in response.text
    assert "Typed while the lead submitted." in response.text
    response = researcher.post(url("comment_reply", draft.pk, thread.pk), {"text": "A late reply."})
    assert response.status_code == 200 and "A late reply." in response.text
    response = researcher.post(url("comment_resolve", draft.pk, thread.pk))
    assert response.status_code == 302
    assert ReportComment.objects.count() == 1 and ReportComment.objects.get().resolved_at is None
    page = researcher.get(url("report", draft.pk)).text
    assert "Open question." in page  # still read
    assert url("comment", draft.pk) not in page and url("comment_reply", draft.pk, thread.pk) not in page
    assert url("comment_resolve", draft.pk, thread.pk) not in page


def test_during_a_challenge_the_panel_comments_again(cast):
    challenged = report_in(ReportStatus.CHALLENGED, cast)
    response = comment(signed_in(cast.researcher), challenged, "The team is right about point 6.", number=6)
    assert response.status_code == 302
    assert ReportComment.objects.filter(report=challenged, point_number=6).exists()


def test_the_delivery_team_never_sees_comments(cast):
    challenged = report_in(ReportStatus.CHALLENGED, cast)
    thread = ReportComment.objects.create(
        report=challenged, point_number=6, author=cast.lead, text="Quuxsecretword about point 6."
    )
    for person in (cast.product_manager, cast.delivery_manager, cast.sro, cast.other_service_product_manager):
        client = signed_in(person)
        for address in (
            url("comment", challenged.pk),
            url("comment_point", challenged.pk, 6),
            url("comment_reply", challenged.pk, thread.pk),
            url("comment_resolve", challenged.pk, thread.pk),
        ):
            assert client.post(address, {"text": "From the team."}).status_code == 404
        page = client.get(reverse("delivery:report", args=[challenged.pk]))
        assert "Quuxsecretword" not in page.text
    assert ReportComment.objects.count() == 1 and ReportComment.objects.get().resolved_at is None


def test_the_central_teams_read_comments_and_cannot_post(cast):
    challenged = report_in(ReportStatus.CHALLENGED, cast)
    thread = ReportComment.objects.create(report=challenged, point_number=6, author=cast.lead, text="Point 6 note.")
    ReportComment.objects.create(
        report=challenged, point_number=6, parent=thread, author=cast.researcher, text="A reply to it."
    )
    pages = {
        cast.assessment_team: reverse("assessment_team:report", args=[challenged.pk]),
        cast.plus: reverse("plus:report", args=[challenged.pk]),
        cast.superuser: reverse("assessment_team:report", args=[challenged.pk]),
    }
    for person, page_url in pages.items():
        client = signed_in(person)
        page = client.get(page_url).text
        assert "Point 6 note." in page and "A reply to it." in page
        assert url("comment_reply", challenged.pk, thread.pk) not in page
        for address in (url("comment", challenged.pk), url("comment_resolve", challenged.pk, thread.pk)):
            assert client.post(address, {"text": "From a central team."}).status_code == 403
    assert ReportComment.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Enter your comment"), ("x" * 2001, "Your comment must be 2,000 characters or fewer")],
)
def test_empty_and_too_long_comments_are_refused_with_the_text_kept(cast, draft, text, message):
    researcher = signed_in(cast.researcher)
    for response in (
        comment(researcher, draft, text, number=2),
        comment(researcher, draft, text),
    ):
        assert response.status_code == 200
        assert "govuk-error-summary" in response.text and message in response.text
        assert response.text.count(message) >= 2  # in the summary and by the box
        assert "<title>Error: " in response.text
        if text.strip():
            assert text in response.text
    thread = ReportComment.objects.create(report=draft, point_number=2, author=cast.lead, text="Thread.")
    response = researcher.post(url("comment_reply", draft.pk, thread.pk), {"text": text})
    assert response.status_code == 200 and message in response.text
    assert f'href="#reply-{thread.pk}-text"' in response.text
    assert ReportComment.objects.count() == 1


def test_a_comment_on_a_point_the_report_lacks_or_a_thread_of_another_report_is_not_found(cast, draft):
    other = report_in(ReportStatus.DRAFT, make_cast())
    foreign = ReportComment.objects.create(report=other, author=cast.lead, text="Elsewhere.")
    researcher = signed_in(cast.researcher)
    assert comment(researcher, draft, "Point 99?", number=99).status_code == 404
    assert researcher.post(url("comment_reply", draft.pk, foreign.pk), {"text": "Hi"}).status_code == 404
    assert researcher.post(url("comment_resolve", draft.pk, foreign.pk)).status_code == 404


def test_a_comment_with_script_is_shown_as_text(cast, draft):
    researcher = signed_in(cast.researcher)
    comment(researcher, draft, "<script>alert('x')</script>", number=1)
    comment(researcher, draft, "<b>bold</b>\nsecond line")
    page = researcher.get(url("point", draft.pk, 1)).text
    assert "<script>alert(" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    page = researcher.get(url("report", draft.pk)).text
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;<br>second line" in page


def test_get_shows_nothing_new(cast, draft):
    assert signed_in(cast.researcher).get(url("comment", draft.pk)).status_code == 405
