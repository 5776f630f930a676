"""The delivery team's question about a shared report, and the service assessment team's answer. The forms check
what was typed; the clarification services decide whether it may be saved."""

from django import forms
from django.core.validators import MaxLengthValidator

from workflow.services import clarifications

from .base import WithoutNullCharactersForm

WHOLE_REPORT = "whole"


class QuestionForm(WithoutNullCharactersForm):
    about = forms.ChoiceField(
        label="What is your question about?",
        error_messages={"required": clarifications.NO_SUCH_POINT, "invalid_choice": clarifications.NO_SUCH_POINT},
    )
    question = forms.CharField(
        label="Your question",
        help_text="The service assessment team will answer it, after speaking to the panel if they need to.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": clarifications.QUESTION_EMPTY},
        # A validator, not max_length: the browser would silently cut off pasted text at a maxlength.
        validators=[MaxLengthValidator(clarifications.QUESTION_LIMIT, message=clarifications.QUESTION_TOO_LONG)],
    )

    def __init__(self, *args, ratings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [
            (WHOLE_REPORT, "The whole report"),
            *((str(rating.pk), f"Point {rating.number}: {rating.title}") for rating in ratings),
        ]

    @property
    def rating_id(self) -> int | None:
        about = self.cleaned_data["about"]
        return None if about == WHOLE_REPORT else int(about)


class AnswerForm(WithoutNullCharactersForm):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": clarifications.ANSWER_EMPTY},
        validators=[MaxLengthValidator(clarifications.ANSWER_LIMIT, message=clarifications.ANSWER_TOO_LONG)],
    )

    def __init__(self, *args, question_id=None, **kwargs):
        # One form per open question on the report page: each has ids of its own, so its error links to its own box.
        kwargs.setdefault("auto_id", f"answer-{question_id}-%s")
        super().__init__(*args, **kwargs)
        self.question_id = question_id
