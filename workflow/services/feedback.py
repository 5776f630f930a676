"""The feedback survey: the page with its three default questions, one-time links, and answering.

A link works once: the invitation is marked used in the same transaction that saves the answer, by an update
that only succeeds while it is still unused, so two submissions of one link cannot both count."""

import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page, Site

from workflow.models import Assessment, FeedbackInvitation, FeedbackSubmission, FeedbackSurveyPage

ANSWERS = "Great\nOk\nNot good"
DEFAULT_QUESTIONS = [
    ("How was the assessment organised?", "organised"),
    ("How was the assessment on the day?", "on_the_day"),
    ("How was using this service?", "using_the_service"),
]
USED_TEMPLATE = "workflow/feedback/link_used.html"
INVALID_TEMPLATE = "workflow/feedback/link_invalid.html"


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


def _find(token: str | None) -> FeedbackInvitation | None:
    try:
        value = uuid.UUID(str(token))
    except (TypeError, ValueError):
        return None
    return FeedbackInvitation.objects.select_related("assessment__service").filter(token=value).first()


def serve_survey(page: FeedbackSurveyPage, request, *args, **kwargs):
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    found = _find(token)
    context = page.get_context(request)
    if found is None:
        return TemplateResponse(request, INVALID_TEMPLATE, context, status=404)
    if found.used_at is not None:
        return TemplateResponse(request, USED_TEMPLATE, context, status=410)
    context["invitation"] = found
    if request.method == "POST":
        form = page.get_form(request.POST, page=page, user=request.user)
        if form.is_valid():
            submission = answer(page=page, invitation=found, data=form.cleaned_data)
            if submission is None:
                return TemplateResponse(request, USED_TEMPLATE, context, status=410)
            return page.render_landing_page(request, submission, *args, **kwargs)
    else:
        form = page.get_form(page=page, user=request.user)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context)


@transaction.atomic
def answer(*, page: FeedbackSurveyPage, invitation: FeedbackInvitation, data: dict) -> FeedbackSubmission | None:
    """Saves the answers and uses up the link; None when the link was used meanwhile."""
    claimed = FeedbackInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not claimed:
        return None
    return FeedbackSubmission.objects.create(
        form_data=data, page=page, assessment=invitation.assessment, invitation=invitation
    )
