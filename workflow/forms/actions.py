"""The delivery team's progress on an action, and its review. Each only collects and checks what was typed;
workflow.services.actions decides whether it may happen."""

from django import forms
from django.core.validators import MaxLengthValidator

from workflow.models.action_updates import TEXT_LIMIT
from workflow.services import actions

from .base import WithoutNullCharactersForm


class ActionProgressForm(WithoutNullCharactersForm):
    text = forms.CharField(
        label="What you did and your evidence",
        help_text="Say what your team did about the action and how you know it worked. Paste links to your evidence "
        "(research, design history, documents) as web addresses.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": actions.PROGRESS_EMPTY},
        validators=[MaxLengthValidator(TEXT_LIMIT, message=actions.PROGRESS_TOO_LONG)],
    )
    ready_for_review = forms.BooleanField(
        label="Mark it ready for review",
        help_text="The lead assessor and the service assessment team are emailed to review it. You cannot add to it "
        "until they have.",
        required=False,
    )


ACCEPT, MORE = "accepted", "more_needed"


class ActionReviewForm(WithoutNullCharactersForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Is the evidence enough to close the action?",
        choices=[(ACCEPT, "Yes, accept it and close the action"), (MORE, "No, more is needed")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to accept it or ask for more",
            "invalid_choice": "Select whether to accept it or ask for more",
        },
    )
    comment = forms.CharField(
        label="Comment for the delivery team",
        help_text="Needed if more is needed: say what. The delivery team is emailed this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=[MaxLengthValidator(TEXT_LIMIT, message=actions.COMMENT_TOO_LONG)],
    )

    def __init__(self, *args, action_id: int, **kwargs):
        # One form per action on the report page: each has ids of its own, so its errors link to its own boxes.
        kwargs.setdefault("auto_id", f"action-{action_id}-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == MORE
            and not (cleaned.get("comment") or "").strip()
            and "comment" not in self.errors
        ):
            self.add_error("comment", forms.ValidationError(actions.COMMENT_EMPTY, code="required"))
        return cleaned
