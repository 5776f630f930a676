"""The free-text answers that move a report on: the delivery team's reasons for a challenge, the service
assessment team's comment when it returns a report to the panel, and the changes the Service Assessment
Plus team agreed when it resolves a challenge.

Each only collects and validates the text; the transition services decide whether the change may happen."""

from django import forms

from .base import WithoutNullCharactersForm

MAX_LENGTH = 5000


def _text(*, label: str, help_text: str, required: str, what: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_LENGTH,
        # Django strips the text first, so an answer of only spaces counts as missing.
        error_messages={
            "required": required,
            "max_length": f"{what} must be {MAX_LENGTH:,} characters or fewer",
        },
    )


class ChallengeForm(WithoutNullCharactersForm):
    reasons = _text(
        label="Why are you challenging the report?",
        help_text=(
            "Say which points you disagree with and why. The Service Assessment Plus team will arrange a "
            "meeting with the panel to agree any changes."
        ),
        required="Enter your reasons for challenging the report",
        what="Your reasons",
    )


class ReturnForm(WithoutNullCharactersForm):
    comment = _text(
        label="What does the panel need to change?",
        help_text="The panel sees this comment in the report's history.",
        required="Enter a comment for the panel saying what needs to change",
        what="The comment",
    )


class ResolveChallengeForm(WithoutNullCharactersForm):
    agreed_changes = _text(
        label="What changes did the panel and the team agree?",
        help_text="The report goes back to the service assessment team to check and share again.",
        required="Enter the changes agreed with the panel and the team",
        what="The agreed changes",
    )
