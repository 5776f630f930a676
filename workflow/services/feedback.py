"""The feedback survey: the page with its three default questions, and the one-time links to it. The page
itself takes the answers (workflow.models.feedback)."""

from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from workflow.models import Assessment, FeedbackInvitation, FeedbackSurveyPage

ANSWERS = "Great\nOk\nNot good"
DEFAULT_QUESTIONS = [
    ("How was the assessment organised?", "organised"),
    ("How was the assessment on the day?", "on_the_day"),
    ("How was using this service?", "using_the_service"),
]


def _default_fields():
    fields = []
    for question, _ in DEFAULT_QUESTIONS:
        fields.append({"label": question, "field_type": "radio", "required": True, "choices": ANSWERS})
        fields.append(
            {
                "label": f"{question} Comments (optional)",
                "field_type": "multiline",
                "required": False,
                "help_text": "500 characters or fewer.",
            }
        )
    return fields


@transaction.atomic
def survey_page() -> FeedbackSurveyPage:
    """The survey page, made on first use under the site's home page, with the three default questions."""
    page = FeedbackSurveyPage.objects.first()
    if page is not None:
        return page
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    parent = site.root_page if site else Page.get_first_root_node()
    page = FeedbackSurveyPage(title="Feedback on your service assessment", slug="assessment-feedback")
    for field in _default_fields():
        page.form_fields.add(page.form_fields.model(**field))
    parent.add_child(instance=page)
    return page


def invitation(*, assessment: Assessment, email: str) -> FeedbackInvitation:
    """The person's invitation for this assessment; asking again gives the same one."""
    invitation, _ = FeedbackInvitation.objects.get_or_create(assessment=assessment, email=email.strip().lower())
    return invitation


def invitation_link(*, assessment: Assessment, email: str) -> str:
    """The absolute one-time link to the survey for this person and assessment (for the feedback email)."""
    page = survey_page()
    token = invitation(assessment=assessment, email=email).token
    path = urlparse(page.get_url() or "").path or "/"
    return f"{settings.BASE_URL.rstrip('/')}{path}?token={token}"
