"""The feedback survey page exists from the first migrate, with its three default questions, so the team can edit the
questions before the first feedback email goes out (workflow.services.feedback.survey_page() still makes it if
someone deletes it).

The questions are written out here rather than imported: a migration keeps what it did when it was written.
tests/test_public_site_complete.py checks they match `survey_page()`'s. A survey page that already exists is left
as it is; the reverse keeps the page and its answers."""

import uuid

from django.db import migrations
from django.utils import timezone

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

TITLE = "Feedback on your service assessment"
SLUG = "assessment-feedback"
INTRO = "Tell us how your service assessment went. It takes 2 minutes."
THANK_YOU = "Thank you for your feedback."
ANSWERS = "Great\nOk\nNot good"
QUESTIONS = [
    ("How was the assessment organised?", "how_was_the_assessment_organised"),
    ("How was the assessment on the day?", "how_was_the_assessment_on_the_day"),
    ("How was using this service?", "how_was_using_this_service"),
]


def _fields():
    fields = []
    for question, clean_name in QUESTIONS:
        fields.append(
            {
                "label": question,
                "clean_name": clean_name,
                "field_type": "radio",
                "required": True,
                "choices": ANSWERS,
                "help_text": "",
            }
        )
        fields.append(
            {
                "label": f"{question} Comments (optional)",
                "clean_name": f"{clean_name}_comments_optional",
                "field_type": "multiline",
                "required": False,
                "choices": "",
                "help_text": "500 characters or fewer.",
            }
        )
    return fields


def _child_path(Page, parent):
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEPLEN, "0")


def create_survey_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    FeedbackSurveyPage = apps.get_model("workflow", "FeedbackSurveyPage")
    FeedbackFormField = apps.get_model("workflow", "FeedbackFormField")
    # The historic model keeps Wagtail's FormMixin as a base, whose __init__ needs the template the real model names.
    FeedbackSurveyPage.template = "workflow/feedback/feedback_survey_page.html"

    if FeedbackSurveyPage.objects.exists():
        return
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    if site is None:
        return
    parent = Page.objects.get(pk=site.root_page_id)
    if Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, slug=SLUG).exists():
        return  # a page of another kind holds the address: survey_page() will make the survey when it is needed

    survey_type, _ = ContentType.objects.get_or_create(app_label="workflow", model="feedbacksurveypage")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    now = timezone.now()
    page = FeedbackSurveyPage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug=SLUG,
        content_type=survey_type,
        path=_child_path(Page, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{SLUG}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        latest_revision_created_at=now,
        locale_id=parent.locale_id,
        intro=INTRO,
        thank_you_text=THANK_YOU,
    )
    fields = [
        FeedbackFormField.objects.create(page=page, sort_order=order, **field) for order, field in enumerate(_fields())
    ]
    stamp = now.isoformat()
    revision = Revision.objects.create(
        content_type=survey_type,
        base_content_type=page_type,
        object_id=str(page.pk),
        created_at=now,
        object_str=TITLE,
        # What Wagtail stores for a revision, so the editor opens the survey like any other page.
        content={
            "pk": page.pk,
            "path": page.path,
            "depth": page.depth,
            "numchild": 0,
            "translation_key": str(page.translation_key or uuid.uuid4()),
            "locale": page.locale_id,
            "latest_revision": None,
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": stamp,
            "last_published_at": stamp,
            "live_revision": None,
            "go_live_at": None,
            "expire_at": None,
            "expired": False,
            "locked": False,
            "locked_at": None,
            "locked_by": None,
            "title": TITLE,
            "draft_title": TITLE,
            "slug": SLUG,
            "content_type": survey_type.pk,
            "url_path": page.url_path,
            "owner": None,
            "seo_title": "",
            "show_in_menus": False,
            "search_description": "",
            "latest_revision_created_at": stamp,
            "alias_of": None,
            "intro": INTRO,
            "thank_you_text": THANK_YOU,
            "wagtail_admin_comments": [],
            "form_fields": [
                {
                    "pk": field.pk,
                    "sort_order": field.sort_order,
                    "clean_name": field.clean_name,
                    "label": field.label,
                    "field_type": field.field_type,
                    "required": field.required,
                    "choices": field.choices,
                    "default_value": field.default_value,
                    "help_text": field.help_text,
                    "page": page.pk,
                }
                for field in fields
            ],
        },
    )
    FeedbackSurveyPage.objects.filter(pk=page.pk).update(latest_revision=revision, live_revision=revision)
    Page.objects.filter(pk=parent.pk).update(
        numchild=Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0006_role_changes"),
        ("cms", "0002_service_standard_points_and_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(create_survey_page, migrations.RunPython.noop),
    ]
