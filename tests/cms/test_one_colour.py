"""One status, one tag colour; one rating, one colour: on every page, in the admin and in the insights charts.

A tag's colour is chosen in exactly two places: a report's status in workflow/templatetags/report_status.py
(STATUS_TAG_COLOURS), everything else (ratings, deadlines, booking answers) in cms/templatetags/govuk.py. The scan
below fails on any GOV.UK tag built anywhere else; the page tests render each status and rating and check its
colour against those two mappings."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from cms.templatetags.govuk import NOTICE_TAG_COLOURS, RAG_TAG_COLOURS, TAG_HEX, rag_colour, tag_hex
from tests.cast import PATH_TO, make_cast, report_in, signed_in
from workflow import insights
from workflow.models import BookingStatus, PanelRole, Phase, Rating, ReportAction, ReportPage, ReportStatus
from workflow.services.booking import booking_accept, booking_reject, booking_request
from workflow.templatetags.report_status import STATUS_TAG_COLOURS, status_colour

ROOT = Path(settings.BASE_DIR)
SOURCES = {"cms/templatetags/govuk.py", "workflow/templatetags/report_status.py"}
CODE_DIRS = ["cms", "workflow", "publishing", "scripts", "templates"]
# The phase banner's tag is GOV.UK's own component, not a status or a rating.
NOT_A_STATUS = "govuk-phase-banner__content__tag"
# govuk-frontend 6 keeps these names only as deprecated aliases (of teal and magenta).
DEPRECATED = {"turquoise", "pink"}


def code_files():
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts and path.is_file():
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def hand_made_tags(name: str, text: str) -> list[str]:
    """Each place in a file that gives a GOV.UK tag its colour, or builds a tag whose colour comes from elsewhere."""
    found = [f"{name}: {match.group(0)}" for match in re.finditer(r"govuk-tag--[\w{}\s.|]*", text)]
    for match in re.finditer(r'class="([^"]*)"', text):
        classes = match.group(1)
        if re.search(r"(^|\s)govuk-tag(\s|$)", classes) and NOT_A_STATUS not in classes:
            found.append(f"{name}: {match.group(0)}")
    return found


def test_no_tag_colour_is_written_anywhere_but_the_two_single_sources():
    files = dict(code_files())
    assert set(files) >= SOURCES, "the single sources have moved: update this test"
    found = [tag for name, text in files.items() if name not in SOURCES for tag in hand_made_tags(name, text)]
    assert found == [], "GOV.UK tags coloured outside the single sources:\n" + "\n".join(found)


def test_the_scan_finds_a_hand_made_tag():
    assert hand_made_tags("x.html", '<strong class="govuk-tag govuk-tag--purple">Submitted</strong>')
    assert hand_made_tags("x.html", '<strong class="govuk-tag {{ status_tag }}">Draft</strong>')
    assert hand_made_tags("x.py", 'STATUS = {"draft": "govuk-tag--blue"}')
    assert not hand_made_tags("x.html", '<strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>')
    assert not hand_made_tags("x.html", '{% status_tag report %} <div class="govuk-tag-list">')


def test_every_colour_the_sources_use_is_a_current_govuk_tag_colour():
    used = {
        *STATUS_TAG_COLOURS.values(),
        *(colour for colour, _ in RAG_TAG_COLOURS.values()),
        *(colour for colour, _ in NOTICE_TAG_COLOURS.values()),
    }
    assert used <= set(TAG_HEX), used - set(TAG_HEX)
    assert not used & DEPRECATED, f"deprecated in govuk-frontend 6: {used & DEPRECATED}"
    assert {status_colour(status) for status in ReportStatus.values} == set(STATUS_TAG_COLOURS.values())
    assert set(STATUS_TAG_COLOURS) == set(ReportStatus.values), "every status has its colour"


def test_amber_is_govuk_yellow():
    assert rag_colour(Rating.AMBER) == "yellow"
    assert rag_colour(Rating.RED) == "red" and rag_colour(Rating.GREEN) == "green"


BUILT_CSS = ROOT / "site" / "dist" / "govuk" / "govuk-frontend.min.css"


@pytest.mark.skipif(not BUILT_CSS.exists(), reason="GOV.UK Frontend is not built (make builds site/dist)")
def test_the_charts_hex_colours_are_govuk_frontends_own_tag_colours():
    css = BUILT_CSS.read_text(encoding="utf-8")
    base = re.search(r"\.govuk-tag\{color:(#\w+);background-color:(#\w+)", css)
    assert TAG_HEX["blue"] == (base.group(1), base.group(2))
    for colour, (text, background) in TAG_HEX.items():
        if colour == "blue":
            continue  # frontend 6 has no blue modifier: a plain tag is blue
        rule = re.search(rf"\.govuk-tag--{colour}\{{color:(#\w+);background-color:(#\w+)\}}", css)
        assert rule, colour
        assert (text, background) == (rule.group(1), rule.group(2)), colour


# Each status and rating on the pages that show them.


def tag_of(html: str, words: str) -> str:
    """The colour of the GOV.UK tag that says `words`."""
    match = re.search(rf'<strong class="govuk-tag govuk-tag--(\w+)[^"]*">\s*{re.escape(words)}\s*</strong>', html)
    assert match, f"no tag saying {words!r}"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(PATH_TO))
def test_the_plus_teams_report_page_shows_each_status_in_its_colour(status):
    cast = make_cast()
    report = report_in(status, cast, "gggggagggggggg")

    html = signed_in(cast.plus).get(f"/plus/reports/{report.pk}/").content.decode()

    assert tag_of(html, ReportStatus(status).label) == STATUS_TAG_COLOURS[status]
    assert tag_of(html, "Amber") == "yellow"  # the overall result


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "words"),
    [
        (ReportStatus.SHARED, "Waiting for your response"),
        (ReportStatus.CHALLENGED, "Challenged"),
        (ReportStatus.PUBLISHED, "Accepted and published"),
    ],
)
def test_the_delivery_teams_pages_show_each_status_in_its_colour(status, words):
    cast = make_cast()
    report = report_in(status, cast, "gggggagggggggg")
    client = signed_in(cast.product_manager)

    dashboard = client.get("/team/").content.decode()
    page = client.get(f"/team/reports/{report.pk}/").content.decode()

    # The dashboard says where a challenge stands, in the same colour.
    dashboard_words = "Challenged: meeting not yet arranged" if status == ReportStatus.CHALLENGED else words
    assert tag_of(dashboard, dashboard_words) == STATUS_TAG_COLOURS[status]
    assert tag_of(page, words) == STATUS_TAG_COLOURS[status]


@pytest.mark.parametrize("status", ReportStatus.values)
def test_the_delivery_teams_status_tag_is_the_statuss_colour_whatever_its_words(status):
    html = Template('{% include "workflow/delivery/includes/status_tag.html" %}').render(
        Context({"report": ReportPage(status=status)})
    )
    assert f"govuk-tag--{STATUS_TAG_COLOURS[status]}" in html
    assert html.count("govuk-tag--") == 1


@pytest.mark.parametrize(
    ("deadline", "words", "kind"),
    [({"overdue": True}, "Overdue", "overdue"), ({"overdue": False, "due_today": True}, "Due today", "due-today")],
)
def test_a_deadline_is_told_by_one_tag_of_one_colour(deadline, words, kind):
    html = Template('{% include "workflow/delivery/includes/deadline.html" %}').render(Context({"deadline": deadline}))
    assert tag_of(html, words) == NOTICE_TAG_COLOURS[kind][0]


@pytest.mark.django_db
def test_an_overdue_action_on_the_delivery_dashboard_is_the_same_red_overdue_tag():
    cast = make_cast(date=datetime.date(2020, 1, 6))
    report_in(ReportStatus.PUBLISHED, cast, "gggggagggggggg")
    # Accepted long ago: the amber action's due date, stamped on acceptance, has passed.
    ReportAction.objects.filter(rating__rating=Rating.AMBER).update(due_date=datetime.date(2020, 4, 6))

    html = signed_in(cast.product_manager).get("/team/").content.decode()

    assert tag_of(html, "Overdue") == NOTICE_TAG_COLOURS["overdue"][0]
    assert tag_of(html, "Amber") == "yellow"


@pytest.mark.django_db
def test_booking_answers_are_tags_of_one_colour_each():
    cast = make_cast(date=datetime.date(2026, 6, 1))
    service = cast.assessment.service
    # One request waits for an answer at a time: answered ones first.
    rejected = booking_request(service=service, user=cast.product_manager, phase=Phase.LIVE)
    booking_reject(booking=rejected, user=cast.assessment_team, reason="Too early.")
    accepted = booking_request(service=service, user=cast.product_manager, phase=Phase.LIVE)
    booking_accept(
        booking=accepted,
        user=cast.assessment_team,
        date=datetime.date(2026, 12, 1),
        panel=[(cast.lead, PanelRole.LEAD)],
    )
    waiting = booking_request(service=service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)
    assert waiting.status == BookingStatus.REQUESTED

    html = signed_in(cast.product_manager).get("/bookings/").content.decode()

    assert tag_of(html, "Waiting for an answer") == NOTICE_TAG_COLOURS["booking-requested"][0]
    assert tag_of(html, "Rejected") == NOTICE_TAG_COLOURS["booking-rejected"][0]
    assert tag_of(html, "Accepted") == NOTICE_TAG_COLOURS["booking-accepted"][0]


@pytest.mark.django_db
def test_the_insights_charts_draw_each_rating_in_its_tags_colours():
    cast = make_cast(date=datetime.date(2026, 3, 2))
    report_in(ReportStatus.SHARED, cast, "ragggggggggggg")
    client = signed_in(cast.assessment_team)

    html = client.get("/admin/insights/", {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()

    segments = re.findall(r'<rect [^>]*fill="(#\w+)" stroke="(#\w+)"[^>]*data-rating="(\w+)"', html)
    drawn = {rating for _, _, rating in segments}
    assert drawn == {"Red", "Amber", "Green"}
    for fill, stroke, rating in segments:
        text, background = tag_hex(RAG_TAG_COLOURS[Rating(rating.lower())][0])
        assert (fill, stroke) == (background, text), rating
    # Nothing else in the charts is drawn in a rating's colour by hand.
    assert "#f47738" not in html and "#d4351c" not in html


def test_the_chart_geometry_carries_the_tag_colours():
    chart = insights.stacked_bars([insights.Row("Alpha", red=1, amber=2, green=3)])
    colours = {segment["rating"]: segment["tag"] for segment in chart["bars"][0]["segments"]}
    assert colours == {"Red": "red", "Amber": "yellow", "Green": "green"}
    assert [item["rating"] for item in chart["key"]] == ["Red", "Amber", "Green"]
