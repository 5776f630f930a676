"""The free-text answers that move a report on: the delivery team's reasons for a challenge, the service
assessment team's comment when it returns a report to the panel, and the changes the Service Assessment
Plus team agreed when it resolves a challenge.

Each only collects and validates the text; the transition services decide whether the change may happen."""

from django import forms

from workflow.transitions import TRANSITIONS, ReportTransition, TransitionSpec

from .base import WithoutNullCharactersForm

MAX_LENGTH = 5000


def _comment(transition: TransitionSpec, *, what: str) -> forms.CharField:
    return forms.CharField(
        label=transition.comment_question,
        help_text=transition.comment_hint,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_LENGTH,
        # Django strips the text first, so an answer of only spaces counts as missing.
        error_messages={
            "required": transition.comment_prompt,
            "max_length": f"{what} must be {MAX_LENGTH:,} characters or fewer",
        },
    )


class ChallengeForm(WithoutNullCharactersForm):
    reasons = _comment(TRANSITIONS[ReportTransition.CHALLENGE], what="Your reasons")


class ReturnForm(WithoutNullCharactersForm):
    comment = _comment(TRANSITIONS[ReportTransition.RETURN], what="The comment")


class ResolveChallengeForm(WithoutNullCharactersForm):
    # What was decided, then what the panel changes because of it: both go to the delivery team.
    outcome = forms.CharField(
        label="What did the panel and the team decide?",
        help_text="For example, whether the panel keeps its ratings, and why.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Enter what the panel and the team decided",
            "max_length": f"What was decided must be {MAX_LENGTH:,} characters or fewer",
        },
    )
    agreed_changes = _comment(TRANSITIONS[ReportTransition.RESOLVE], what="The agreed changes")
