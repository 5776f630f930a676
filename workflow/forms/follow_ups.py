"""The delivery team's request for follow-up support, and the lead assessor's or service assessment team's answer.
Each only collects and checks what was typed; workflow.services.follow_ups decides whether it may happen."""

from django import forms
from django.core.validators import MaxLengthValidator

from workflow.models import FollowUpSupport, ReportAction
from workflow.models.follow_ups import DETAILS_LIMIT, OUTCOME_LIMIT
from workflow.services import follow_ups

from .base import WithoutNullCharactersForm


class ActionsByPoint(forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes under a heading for each point. The choices stay flat (so the first box is id_<name>_0, where
    the error summary links), each knowing its point's heading (`points`, by value)."""

    template_name = "workflow/includes/follow_up_actions_widget.html"
    points: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["point"] = self.points.get(str(value), "")
        return option


class FollowUpRequestForm(WithoutNullCharactersForm):
    actions = forms.MultipleChoiceField(
        label="Which actions do you want help with?",
        help_text="Select all that apply.",
        widget=ActionsByPoint,
        error_messages={"required": follow_ups.NO_ACTIONS, "invalid_choice": follow_ups.NOT_THIS_REPORTS},
    )
    support = forms.ChoiceField(
        label="What kind of support would help?",
        choices=FollowUpSupport.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a call or a workshop", "invalid_choice": "Select a call or a workshop"},
    )
    details = forms.CharField(
        label="What would you like help with?",
        help_text="Say what you want to talk about and when your team is free. The panel reads this.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": follow_ups.DETAILS_EMPTY},
        validators=[MaxLengthValidator(DETAILS_LIMIT, message=follow_ups.DETAILS_TOO_LONG)],
    )

    def __init__(self, *args, report_actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.report_actions = {str(action.pk): action for action in report_actions}
        self.fields["actions"].choices = [(pk, action.description) for pk, action in self.report_actions.items()]
        self.fields["actions"].widget.points = {
            pk: f"Point {action.rating.number}: {action.rating.title}" for pk, action in self.report_actions.items()
        }

    def chosen_actions(self) -> list[ReportAction]:
        return [self.report_actions[pk] for pk in self.cleaned_data["actions"]]


class FollowUpDecisionForm(WithoutNullCharactersForm):
    decision = forms.ChoiceField(
        label="Is the support arranged?",
        choices=[("arranged", "Arranged"), ("declined", "Declined")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Select arranged or declined", "invalid_choice": "Select arranged or declined"},
    )
    outcome = forms.CharField(
        label="How and when it is arranged, or why it is declined",
        help_text="The delivery team is emailed this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": follow_ups.OUTCOME_EMPTY},
        validators=[MaxLengthValidator(OUTCOME_LIMIT, message=follow_ups.OUTCOME_TOO_LONG)],
    )

    def __init__(self, *args, request_id: int, **kwargs):
        # One form per request on the report page: each has ids of its own, so its errors link to its own boxes.
        kwargs.setdefault("auto_id", f"follow-up-{request_id}-%s")
        super().__init__(*args, **kwargs)
