"""The report form's questions are content: the service assessment team adds, changes and orders them in the Wagtail
admin (a report form for each assessment type), the panel answers them in the report form, submitting checks the
required ones, and the public sees only the published ones. A report keeps the questions it was started with, so
nothing the team changes later alters a report already written."""

import json

import pytest
from django.core.cache import cache
from wagtail.test.utils.form_data import nested_form_data

from cms.models import AssessmentType, ReportForm
from tests.cast import make_cast, rate, report_in, signed_in
from tests.factories import ServiceFactory, UserFactory
from workflow import roles
from workflow.models import ReportStatus
from workflow.services import transitions
from workflow.services.reports import report_create

pytestmark = pytest.mark.django_db

CONTEXT = "The context the team works in"


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


@pytest.fixture
def team():
    return signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]))


def default_form() -> ReportForm:
    return AssessmentType.objects.get(slug="assessment").report_form


def existing(stream) -> list[dict]:
    """A form's questions as the admin's editor posts them back, ids and all."""
    return [{"id": child.id, **child.value} for child in stream]


def question(label: str, **fields) -> dict:
    return {
        "label": label,
        "hint": "",
        "kind": "long_text",
        "choices": "",
        "required": False,
        "published": True,
        "stored_in": "",
        **fields,
    }


def questions_data(questions: list[dict]) -> dict:
    data = {"count": str(len(questions))}
    for index, asked in enumerate(questions):
        value = {key: asked[key] for key in ("label", "hint", "kind", "choices", "stored_in")}
        # A checkbox is sent only when ticked.
        value.update({flag: "on" for flag in ("required", "published") if asked[flag]})
        data[str(index)] = {
            "type": "question",
            "id": asked.get("id", ""),
            "deleted": "",
            "order": str(index),
            "value": value,
        }
    return data


def edit_form(client, form: ReportForm, *, report=None, point=None, name=None):
    """Saves the form in the admin's snippet editor, as the team does: its questions, or those given instead."""
    data = nested_form_data(
        {
            "name": name or form.name,
            "report_questions": questions_data(report if report is not None else existing(form.report_questions)),
            "point_questions": questions_data(point if point is not None else existing(form.point_questions)),
        }
    )
    return client.post(f"/admin/snippets/cms/reportform/edit/{form.pk}/", data)


def add_questions(client, *, report=(), point=()) -> ReportForm:
    form = default_form()
    response = edit_form(
        client,
        form,
        report=[*existing(form.report_questions), *report],
        point=[*existing(form.point_questions), *point],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    form.refresh_from_db()
    return form


def question_id(report, label: str, level: str = "report") -> str:
    return next(asked["id"] for asked in report.questions[level] if asked["label"] == label)


def submit(lead, report):
    return lead.post(f"/assessor/reports/{report.pk}/submit/", {"from_status": "draft"}, follow=True)


def publish(report, cast):
    """From submitted to published, through the real transitions."""
    for step, person in [
        ("check", cast.assessment_team),
        ("share", cast.assessment_team),
        ("accept", cast.product_manager),
    ]:
        report = transitions.report_transition(report=report, name=step, user=person)
    return report


def details(report, **answers) -> dict:
    return {
        "version": report.version,
        "service_description": report.service_description,
        "service_users": report.service_users,
        **answers,
    }


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def test_every_assessment_type_starts_with_the_form_of_the_four_questions_reports_have_always_asked():
    form = default_form()
    assert form.name == "Service assessment report"
    assert set(AssessmentType.objects.values_list("report_form", flat=True)) == {form.pk}
    asked = form.snapshot()
    assert [(q["label"], q["stored_in"]) for q in asked["report"]] == [
        ("Service description", "service_description"),
        ("Service users", "service_users"),
    ]
    assert [(q["label"], q["stored_in"]) for q in asked["point"]] == [
        ("What the team has done well", "done_well"),
        ("What the team needs to improve", "to_improve"),
    ]
    assert {(q["kind"], q["required"], q["published"]) for q in asked["report"] + asked["point"]} == {
        ("long_text", False, True)
    }
    assert asked["point"][0]["hint"] == "Use a new line for each thing."


def test_a_required_question_added_in_the_admin_is_asked_checked_on_submit_and_published(client, team):
    before_cast = make_cast(service=ServiceFactory(name="Written before"))
    before = rate(report_create(assessment=before_cast.assessment))

    add_questions(
        team, report=[question(CONTEXT, hint="Their organisation, <b>constraints</b> and history.", required=True)]
    )

    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment))
    answer_field = f"answer_{question_id(report, CONTEXT)}"
    lead = signed_in(cast.lead)
    page = lead.get(f"/assessor/reports/{report.pk}/about/").content.decode()
    assert f'<label class="govuk-label" for="id_{answer_field}">{CONTEXT}</label>' in page
    assert "Their organisation, &lt;b&gt;constraints&lt;/b&gt; and history." in page
    assert f'<textarea class="govuk-textarea" name="{answer_field}"' in page
    # Optional while the panel writes the report: saving without it is fine.
    assert lead.post(f"/assessor/reports/{report.pk}/about/", details(report)).status_code == 302

    refused = submit(lead, report)
    assert f"Answer “{CONTEXT}”." in refused.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    answer = "A small team inside a large department,\nwith a fixed budget."
    saved = lead.post(f"/assessor/reports/{report.pk}/about/", details(report, **{answer_field: answer}))
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.answers == {question_id(report, CONTEXT): answer}
    submit(lead, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    published = publish(report, cast)
    public = client.get(published.url).content.decode()
    assert f'<h2 class="govuk-heading-l">{CONTEXT}</h2>' in public
    assert "A small team inside a large department,<br>with a fixed budget." in public

    # Started before the question was added: it neither asks nor shows it, and submits as it always did.
    before_lead = signed_in(before_cast.lead)
    assert CONTEXT not in before_lead.get(f"/assessor/reports/{before.pk}/about/").content.decode()
    submitted = submit(before_lead, before)
    assert "has been submitted" in submitted.content.decode()
    assert CONTEXT not in submitted.content.decode()
    before.refresh_from_db()
    assert before.status == ReportStatus.SUBMITTED


def test_changing_a_question_leaves_the_reports_written_to_it_as_they_were(client, team):
    form = add_questions(team, report=[question(CONTEXT)])
    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment))
    answer_field = f"answer_{question_id(report, CONTEXT)}"
    lead = signed_in(cast.lead)
    lead.post(f"/assessor/reports/{report.pk}/about/", details(report, **{answer_field: "Inside a large department."}))
    submit(lead, report)
    published = publish(report, cast)

    changed = existing(form.report_questions)
    changed[2]["label"] = "Where the team works"
    assert edit_form(team, form, report=changed).status_code == 302

    public = client.get(published.url).content.decode()
    assert f'<h2 class="govuk-heading-l">{CONTEXT}</h2>' in public
    assert "Where the team works" not in public
    assert "Inside a large department." in public
    later = report_create(assessment=make_cast().assessment)
    assert [asked["label"] for asked in later.questions["report"]][2] == "Where the team works"


def test_an_unpublished_answer_is_for_the_delivery_team_and_the_central_teams_only(client, team):
    add_questions(
        team,
        report=[
            question("Notes for the delivery team", kind="short_text", published=False),
            question("Was the service demonstrated?", kind="yes_no"),
        ],
        point=[question("Evidence seen", published=False), question("Who the panel spoke to", kind="short_text")],
    )
    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment))
    notes, demonstrated = (
        question_id(report, "Notes for the delivery team"),
        question_id(report, "Was the service demonstrated?"),
    )
    evidence, spoke_to = (
        question_id(report, "Evidence seen", "point"),
        question_id(report, "Who the panel spoke to", "point"),
    )
    lead = signed_in(cast.lead)
    about = lead.get(f"/assessor/reports/{report.pk}/about/").content.decode()
    assert f'type="radio" name="answer_{demonstrated}" value="yes"' in about
    assert f'<input class="govuk-input" type="text" name="answer_{notes}"' in about
    assert (
        lead.post(
            f"/assessor/reports/{report.pk}/about/",
            details(report, **{f"answer_{notes}": "Unpublished remark.", f"answer_{demonstrated}": "yes"}),
        ).status_code
        == 302
    )
    rating = report.ratings.get(number=6)
    point = {
        "version": rating.version,
        "rating": rating.rating,
        "done_well": rating.done_well,
        "to_improve": rating.to_improve,
        f"answer_{evidence}": "Unpublished evidence.",
        f"answer_{spoke_to}": "The service owner.",
        "then": "overview",
    }
    assert lead.post(f"/assessor/reports/{report.pk}/points/6/", point).status_code == 302
    submit(lead, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    checker = signed_in(cast.assessment_team).get(f"/assessment-team/reports/{report.pk}/").content.decode()
    assert "Unpublished evidence." in checker and "Unpublished remark." in checker
    for step in ("check", "share"):
        report = transitions.report_transition(report=report, name=step, user=cast.assessment_team)
    delivery = signed_in(cast.product_manager).get(f"/team/reports/{report.pk}/").content.decode()
    for words in ("Unpublished remark.", "Unpublished evidence.", "The service owner.", "Notes for the delivery team"):
        assert words in delivery

    published = transitions.report_transition(report=report, name="accept", user=cast.product_manager)
    public = client.get(published.url).content.decode()
    assert '<h2 class="govuk-heading-l">Was the service demonstrated?</h2>\n<p class="govuk-body">Yes</p>' in public
    assert "The service owner." in public
    exports = body(client.get("/reports/export.json"))
    api = client.get(f"/api/v2/pages/{published.pk}/").content.decode()
    for shown in (public, exports, api):
        for hidden in ("Unpublished remark.", "Notes for the delivery team", "Unpublished evidence.", "Evidence seen"):
            assert hidden not in shown

    (item,) = [item for item in json.loads(exports) if item["service_name"] == published.title]
    assert item["answers"] == [{"id": demonstrated, "question": "Was the service demonstrated?", "answer": "yes"}]
    point_six = next(point for point in item["points"] if point["number"] == 6)
    assert point_six["answers"] == [
        {"id": spoke_to, "question": "Who the panel spoke to", "answer": "The service owner."}
    ]
    detail = json.loads(api)
    assert detail["answers"] == item["answers"]
    assert next(point for point in detail["points"] if point["number"] == 6)["answers"] == point_six["answers"]


def test_a_point_question_answered_from_a_list_takes_only_its_options_and_is_checked_on_every_point(team):
    add_questions(team, point=[question("Confidence", kind="choice", choices="High\nMedium\n\nLow\n", required=True)])
    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment))
    confidence = question_id(report, "Confidence", "point")
    assert report.questions["point"][2]["choices"] == ["High", "Medium", "Low"]
    lead = signed_in(cast.lead)
    url = f"/assessor/reports/{report.pk}/points/1/"
    page = lead.get(url).content.decode()
    assert '<legend class="govuk-fieldset__legend">Confidence</legend>' in page
    for option in ("High", "Medium", "Low"):
        assert f'type="radio" name="answer_{confidence}" value="{option}"' in page

    rating = report.ratings.get(number=1)
    point = {"version": rating.version, "rating": "green", "done_well": "Good.", "to_improve": "", "then": "overview"}
    refused = lead.post(url, {**point, f"answer_{confidence}": "Very high"})
    assert refused.status_code == 200
    assert "Select one of the options for Confidence" in refused.content.decode()
    assert "Very high" not in refused.content.decode()
    rating.refresh_from_db()
    assert (rating.answers, rating.version) == ({}, 0)

    assert lead.post(url, {**point, f"answer_{confidence}": "Medium"}).status_code == 302
    rating.refresh_from_db()
    assert rating.answers == {confidence: "Medium"}

    refused = submit(lead, report).content.decode()
    assert f"Answer “Confidence” on points {', '.join(str(n) for n in range(2, 14))} and 14." in refused


def test_a_date_question_refuses_a_date_that_does_not_exist(client, team):
    add_questions(team, report=[question("Date of the last show and tell", kind="date")])
    cast = make_cast()
    report = rate(report_create(assessment=cast.assessment))
    field = f"answer_{question_id(report, 'Date of the last show and tell')}"
    lead = signed_in(cast.lead)
    url = f"/assessor/reports/{report.pk}/about/"
    assert f'name="{field}_day"' in lead.get(url).content.decode()

    refused = lead.post(url, details(report, **{f"{field}_day": "31", f"{field}_month": "2", f"{field}_year": "2026"}))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Date of the last show and tell must be a real date" in page
    assert f'href="#id_{field}_0"' in page  # the error summary links to the day box
    assert 'value="31"' in page  # what was typed is kept

    saved = lead.post(url, details(report, **{f"{field}_day": "1", f"{field}_month": "3", f"{field}_year": "2026"}))
    assert saved.status_code == 302
    report.refresh_from_db()
    assert list(report.answers.values()) == ["2026-03-01"]
    submit(lead, report)
    report.refresh_from_db()
    published = publish(report, cast)
    assert "1 March 2026" in client.get(published.url).content.decode()


def test_the_admin_refuses_a_question_that_could_not_be_asked_or_kept(team):
    form = default_form()
    kept = existing(form.report_questions)
    cases = [
        ([*kept, question("Confidence", kind="choice", choices=" \n")], "Give the options, one a line"),
        ([*kept, question("Confidence", kind="choice", choices="High\nHigh")], "Give each option once"),
        (
            [*kept, question("Users again", stored_in="service_users")],
            "Another question already keeps its answer there",
        ),
        ([{**kept[0], "published": False}, kept[1]], "is always published"),
        ([{**kept[0], "kind": "date"}, kept[1]], "is short or long text"),
    ]
    for questions, message in cases:
        response = edit_form(team, form, report=questions)
        assert response.status_code == 200, message
        assert message in response.content.decode(), message
    form.refresh_from_db()
    assert existing(form.report_questions) == kept

    # A post cut short (made by hand) is a bad request, not a server error.
    data = nested_form_data({"name": form.name, "report_questions": {"count": "3"}, "point_questions": {"count": "0"}})
    assert team.post(f"/admin/snippets/cms/reportform/edit/{form.pk}/", data).status_code == 400


def test_only_the_service_assessment_team_changes_report_forms_and_nobody_deletes_one_in_use():
    form = default_form()
    plus = signed_in(UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM]))
    assert plus.get("/admin/snippets/cms/reportform/").status_code == 200
    assert plus.get(f"/admin/snippets/cms/reportform/edit/{form.pk}/").status_code == 302
    response = edit_form(
        plus, form, report=[*existing(form.report_questions), question("Taken over")], name="Taken over"
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert plus.post("/admin/snippets/cms/reportform/add/", {"name": "Taken over"}).status_code == 302
    assert not ReportForm.objects.filter(name="Taken over").exists()
    form.refresh_from_db()
    assert len(form.report_questions) == 2

    superuser = signed_in(UserFactory(is_superuser=True, is_staff=True))
    superuser.post(f"/admin/snippets/cms/reportform/delete/{form.pk}/")
    assert ReportForm.objects.filter(pk=form.pk).exists()


def test_a_type_given_a_form_of_its_own_asks_its_questions_and_others_keep_theirs(team):
    response = team.post(
        "/admin/snippets/cms/reportform/add/",
        nested_form_data(
            {
                "name": "Peer review notes",
                "report_questions": questions_data([question("What the review covered", required=True)]),
                "point_questions": questions_data([question("Notes", kind="short_text")]),
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    peer_review = AssessmentType.objects.get(slug="peer-review")
    peer_review.report_form = ReportForm.objects.get(name="Peer review notes")
    peer_review.save()

    cast = make_cast(type=peer_review)
    report = report_create(assessment=cast.assessment)
    assert [asked["label"] for asked in report.questions["report"]] == ["What the review covered"]
    # The service's description and users start only the questions kept in those columns, and this form has none.
    assert (report.service_description, report.service_users) == ("", "")
    lead = signed_in(cast.lead)
    point = lead.get(f"/assessor/reports/{report.pk}/points/1/").content.decode()
    assert "Notes" in point and "What the team has done well" not in point
    overview = lead.get(f"/assessor/reports/{report.pk}/").content.decode()
    assert "What the review covered" in overview and "Service users" not in overview

    other = report_in(ReportStatus.DRAFT, make_cast())
    assert [asked["label"] for asked in other.questions["report"]] == ["Service description", "Service users"]


def test_a_stale_save_of_an_added_question_keeps_what_was_typed_beside_what_landed(team):
    add_questions(team, report=[question(CONTEXT)])
    cast = make_cast()
    report = report_create(assessment=cast.assessment)
    field = f"answer_{question_id(report, CONTEXT)}"
    url = f"/assessor/reports/{report.pk}/about/"
    opened = details(report)
    assert signed_in(cast.lead).post(url, {**opened, field: "Context by the lead."}).status_code == 302

    response = signed_in(cast.researcher).post(url, {**opened, field: "Context by the researcher."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved a change to the service details while you were editing." in page
    assert f'<dt class="govuk-summary-list__key">{CONTEXT}</dt>' in page
    assert "Context by the lead." in page and "Context by the researcher." in page
    report.refresh_from_db()
    assert list(report.answers.values()) == ["Context by the lead."]
