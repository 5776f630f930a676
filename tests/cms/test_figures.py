"""The team's text names a figure, `{SHARE_WITHIN_DAYS}`, and shows it as it stands (cms.figures): only the names
registered, only whole numbers put in, markup escaped as before. The guidance made by cms 0003 names its figures
after cms 0004, except where the team has rewritten the sentence."""

import importlib
import json

import pytest
from django.apps import apps
from django.template import Context, Template
from django.test import RequestFactory

from cms import figures
from cms.models import GuidancePage

MIGRATION = importlib.import_module("cms.migrations.0008_guidance_figures")
FIGURES = {"SHARE_WITHIN_DAYS": 7, "RESPOND_WITHIN_WORKING_DAYS": 10}


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Within {SHARE_WITHIN_DAYS} days", "Within 7 days"),
        ("{SHARE_WITHIN_DAYS}{RESPOND_WITHIN_WORKING_DAYS}", "710"),
        ("<b>{SHARE_WITHIN_DAYS}</b>", "<b>7</b>"),
        (
            "{share_within_days} {NOT_A_FIGURE} {SHARE_WITHIN_DAYS",
            "{share_within_days} {NOT_A_FIGURE} {SHARE_WITHIN_DAYS",
        ),
        ("{{SHARE_WITHIN_DAYS}}", "{7}"),
        ("No figures at all", "No figures at all"),
    ],
)
def test_only_the_names_of_figures_are_filled(typed, shown):
    assert figures.fill(typed, FIGURES) == shown


def test_a_figure_goes_in_as_a_whole_number_whatever_was_registered():
    assert figures.fill("{SHARE_WITHIN_DAYS}", {"SHARE_WITHIN_DAYS": True}) == "1"
    with pytest.raises(ValueError):
        figures.fill("{SHARE_WITHIN_DAYS}", {"SHARE_WITHIN_DAYS": "<script>"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "value", "shown"),
    [
        # Plain text (headings, warnings) is escaped first.
        ("{% figures_in_force value %}", "<i>{SHARE_WITHIN_DAYS}</i>", "&lt;i&gt;7&lt;/i&gt;"),
        # Rich text comes safe from govuk_richtext and stays markup.
        ("{% figures_in_force value|govuk_richtext %}", "<p>{SHARE_WITHIN_DAYS} days</p>", "<p>7 days</p>"),
    ],
)
@pytest.mark.parametrize("request_or_none", [RequestFactory().get("/"), None])
def test_the_template_tag_escapes_plain_text_and_fills_in_the_figures_in_force(source, value, shown, request_or_none):
    template = Template("{% load govuk_richtext %}" + source)
    context = {"value": value} if request_or_none is None else {"value": value, "request": request_or_none}
    assert template.render(Context(context)) == shown


@pytest.mark.django_db
def test_the_migration_names_the_figures_of_the_sentences_as_shipped_and_leaves_the_teams_own():
    page = GuidancePage.objects.get(slug="service-assessments")
    MIGRATION.type_the_figures(apps, None)
    body = list(GuidancePage.objects.get(pk=page.pk).body.raw_data)
    rewritten = next(i for i, block in enumerate(body) if "up to 7 days after the assessment" in str(block["value"]))
    body[rewritten] = {**body[rewritten], "value": "<p>Within 7 days, we promise.</p>"}
    GuidancePage.objects.filter(pk=page.pk).update(body=json.dumps(body))

    MIGRATION.name_the_figures(apps, None)

    named = str(list(GuidancePage.objects.get(pk=page.pk).body.raw_data))
    assert "Within 7 days, we promise." in named
    assert "has {RESPOND_WITHIN_WORKING_DAYS} working days to" in named
    assert "email you {AMBER_ACTIONS_REMINDER_DAYS_BEFORE} days before" in named
    assert "3 months" not in named
    # What the editor opens and what is live say the same.
    live = GuidancePage.objects.get(pk=page.pk)
    for revision in {live.latest_revision, live.live_revision}:
        assert "{SHARE_WITHIN_DAYS}" in revision.content["body"]
