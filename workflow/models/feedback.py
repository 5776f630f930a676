"""The feedback survey: a Wagtail form page the team edits (questions, help text), answered through one-time
links, one per person invited after an assessment. Each answer is tied to its assessment."""

import uuid

from django import forms
from django.db import models
from django.template.response import TemplateResponse
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission

from .assessments import Assessment

COMMENT_MAX_LENGTH = 500


class FeedbackFormBuilder(FormBuilder):
    def create_multiline_field(self, field, options):
        options["max_length"] = COMMENT_MAX_LENGTH
        options["error_messages"] = {
            "max_length": f"{field.label} must be {COMMENT_MAX_LENGTH} characters or fewer",
        }
        options.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        return forms.CharField(**options)

    def create_radio_field(self, field, options):
        options.setdefault("error_messages", {"required": f"Select an answer to “{field.label}”"})
        return super().create_radio_field(field, options)


class FeedbackFormField(AbstractFormField):
    page = ParentalKey("FeedbackSurveyPage", on_delete=models.CASCADE, related_name="form_fields")


class FeedbackSurveyPage(AbstractForm):
    """Served by workflow.services.feedback rules: only with an unused invitation token."""

    intro = models.TextField(blank=True, default="Tell us how your service assessment went. It takes 2 minutes.")
    thank_you_text = models.TextField(blank=True, default="Thank you for your feedback.")

    form_builder = FeedbackFormBuilder
    subpage_types: list[str] = []
    max_count = 1
    template = "workflow/feedback/feedback_survey_page.html"
    landing_page_template = "workflow/feedback/feedback_survey_page_landing.html"
    content_panels = [
        *AbstractForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Questions"),
        FieldPanel("thank_you_text"),
    ]

    class Meta:
        verbose_name = "feedback survey"

    def get_submission_class(self):
        return FeedbackSubmission

    def get_submissions_list_view_class(self):
        from workflow.admin.feedback import FeedbackSubmissionsListView  # the admin's views load after models

        return FeedbackSubmissionsListView

    def get_data_fields(self):
        return [("assessment", "Assessment"), *super().get_data_fields()]

    def serve(self, request, *args, **kwargs):
        from workflow.services import feedback

        return feedback.serve_survey(self, request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        # The editor previews the questions without a link; a preview never saves an answer.
        if mode_name == "landing":
            return self.render_landing_page(request)
        context = self.get_context(request)
        context["form"] = self.get_form(page=self, user=request.user)
        return TemplateResponse(request, self.get_template(request), context)


class FeedbackInvitation(models.Model):
    """A one-time link to the survey for one person about one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="feedback_invitations")
    email = models.EmailField()
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "email"], name="one_feedback_invitation_per_person"),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.assessment} from {self.email}"


class FeedbackSubmission(AbstractFormSubmission):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_submissions"
    )
    invitation = models.OneToOneField(
        FeedbackInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="submission"
    )

    def get_data(self):
        return {**super().get_data(), "assessment": str(self.assessment) if self.assessment else ""}
