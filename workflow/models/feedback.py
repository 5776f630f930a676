"""The feedback survey: a Wagtail form page the team edits (questions, help text), answered through one-time
links, one per person invited after an assessment. Each answer is tied to its assessment.

The page serves itself, as Wagtail's form pages do. A link works once: the invitation is marked used in the same
transaction that saves the answer, by an update that only succeeds while it is still unused, so two submissions of
one link cannot both count."""

import uuid

from django import forms
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission

from cms.restrictions import ViewRestrictionsFromCache

from .assessments import Assessment

COMMENT_MAX_LENGTH = 500


class FeedbackForm(BaseForm):
    """The survey's answers from one invitation, which the page saves them against."""

    def __init__(self, *args, invitation: "FeedbackInvitation | None" = None, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)


class FeedbackFormBuilder(FormBuilder):
    def get_form_class(self):
        return type("FeedbackForm", (FeedbackForm,), self.formfields)

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


class FeedbackSurveyPage(ViewRestrictionsFromCache, AbstractForm):
    """Answered only with an unused invitation token, from the link in the feedback email."""

    intro = models.TextField(blank=True, default="Tell us how your service assessment went. It takes 2 minutes.")
    thank_you_text = models.TextField(blank=True, default="Thank you for your feedback.")

    form_builder = FeedbackFormBuilder
    subpage_types: list[str] = []
    max_count = 1
    template = "workflow/feedback/feedback_survey_page.html"
    landing_page_template = "workflow/feedback/feedback_survey_page_landing.html"
    used_template = "workflow/feedback/link_used.html"
    invalid_template = "workflow/feedback/link_invalid.html"
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

    def get_data_fields(self):
        return [("assessment", "Assessment"), *super().get_data_fields()]

    def serve(self, request, *args, **kwargs):
        token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
        invitation = FeedbackInvitation.find(token)
        context = self.get_context(request)
        if invitation is None:
            return TemplateResponse(request, self.invalid_template, context, status=404)
        if invitation.used_at is not None:
            return TemplateResponse(request, self.used_template, context, status=410)
        context["invitation"] = invitation
        if request.method == "POST":
            form = self.get_form(request.POST, page=self, user=request.user, invitation=invitation)
            if form.is_valid():
                submission = self.process_form_submission(form)
                if submission is None:
                    return TemplateResponse(request, self.used_template, context, status=410)
                return self.render_landing_page(request, submission, *args, **kwargs)
        else:
            form = self.get_form(page=self, user=request.user, invitation=invitation)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)

    @transaction.atomic
    def process_form_submission(self, form):
        """Saves the answers and uses up the form's invitation; None when the link was used meanwhile."""
        invitation = form.invitation
        claimed = FeedbackInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            return None
        return self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self, assessment=invitation.assessment, invitation=invitation
        )

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

    @classmethod
    def find(cls, token: str | None) -> "FeedbackInvitation | None":
        """The invitation of a link's token; None for anything that is not one."""
        try:
            value = uuid.UUID(str(token))
        except (TypeError, ValueError):
            return None
        return cls.objects.select_related("assessment__service").filter(token=value).first()


class FeedbackSubmission(AbstractFormSubmission):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_submissions"
    )
    invitation = models.OneToOneField(
        FeedbackInvitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="submission"
    )

    def get_data(self):
        return {**super().get_data(), "assessment": str(self.assessment) if self.assessment else ""}
