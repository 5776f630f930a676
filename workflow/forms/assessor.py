"""The assessors' report forms. They check what was typed; the editing services decide whether it may be saved."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.html import escape

from cms import figures
from cms.blocks import QuestionKind
from cms.dates import DateField
from workflow import deadlines, questions, ratings
from workflow.models import Rating, ReportFormHelpTexts
from workflow.services import comments

from .base import WithoutNullCharactersForm

TEXT_LIMIT = 10_000
ACTION_LIMIT = 2_000
# The largest value every supported database stores in a positive integer column: a bigger "version"
# typed into the page would otherwise reach the database and fail there.
VERSION_LIMIT = 2_147_483_647

OVERALL_HINTS = {
    Rating.GREEN: "The service can progress to the next phase.",
    Rating.AMBER: "The service can progress to the next phase while the team works on the amber actions.",
    Rating.RED: "The service must pause and be reassessed against the points rated red.",
}


def text_field(
    label: str, *, required: bool = True, limit: int = TEXT_LIMIT, hint: str = "", rows: int = 8, widget=None, **kwargs
):
    """A textarea (or the `widget` given) limited by a validator rather than `max_length`, which would add a maxlength
    attribute and let the browser silently cut off pasted text: too long should be an error the person can see."""
    name = label[:1].upper() + label[1:]
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=widget or forms.Textarea(attrs={"rows": rows}),
        validators=[MaxLengthValidator(limit, message=f"{name} must be {limit:,} characters or fewer")],
        **kwargs,
    )


class RadioSelectWithHints(forms.RadioSelect):
    """GOV.UK radios with a hint under each option."""

    option_template_name = "workflow/assessor/widgets/radio_option_with_hint.html"

    def __init__(self, hints: dict[str, str], attrs=None):
        self.hints = hints
        super().__init__(attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(value, "")
        if option["hint"] and "id" in option["attrs"]:
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_hint"
        return option


class VersionedForm(WithoutNullCharactersForm):
    """A form for a row edited by several people: it carries the version the person started from."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=VERSION_LIMIT,
        error_messages={
            "required": "This page is out of date. Go back to the report and try again",
            "invalid": "This page is out of date. Go back to the report and try again",
            "min_value": "This page is out of date. Go back to the report and try again",
            "max_value": "This page is out of date. Go back to the report and try again",
        },
    )

    def _post_clean(self):
        super()._post_clean()
        # A hidden field's error would be shown as "(Hidden field version) …": it is the page's problem,
        # not a field the person can correct, so it is reported for the whole form.
        if "version" in self._errors:
            self.add_error(None, self._errors.pop("version"))

    def take_version(self, version: int) -> None:
        """After a refused stale edit: the next save starts from the version now shown, keeping what was typed."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)


class HelpTextsFromSettings:
    """Takes each field's hint from the help texts the team edits in the admin (Settings > Report form help
    texts), so a change there shows on the next page load; `help_texts` maps field names to setting names."""

    help_texts: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = ReportFormHelpTexts.load().shown()
        for field_name, setting_name in self.help_texts.items():
            # Django's field templates print help texts as HTML (`|safe`); these are typed in the admin, so they
            # are escaped here to show as the text that was typed.
            self.fields[field_name].help_text = escape(texts[setting_name])
        if "rating" in self.fields and isinstance(self.fields["rating"].widget, RadioSelectWithHints):
            self.fields["rating"].widget.hints = {rating: texts[f"rating_{rating}"] for rating in Rating.values}


SHORT_TEXT_LIMIT = 500
# The two columns every report has always opened with are never saved empty, as before questions were content: the
# published report starts with them. Whether a question must be answered before submitting is its own `required`.
NEEDED_ON_THEIR_PAGE = {
    "service_description": "Enter a description of the service",
    "service_users": "Enter who uses the service",
}
YES_NO_CHOICES = list(questions.YES_NO.items())


def question_field(question: questions.Question, figures_in_force) -> forms.Field:
    """The GOV.UK field that asks `question`. Empty is allowed (but for NEEDED_ON_THEIR_PAGE), since a panel writes
    the report over several visits: submitting checks the required answers."""
    label = question.label
    # Django's field templates print help texts as HTML (`|safe`); a hint is typed in the admin, so it is escaped
    # here to show as the text that was typed. It may name a policy figure, as the other help texts may.
    hint = escape(figures.fill(question.hint, figures_in_force))
    if question.kind == QuestionKind.SHORT_TEXT:
        return text_field(label, required=False, limit=SHORT_TEXT_LIMIT, hint=hint, widget=forms.TextInput)
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            required=False,
            choices=YES_NO_CHOICES,
            widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
            error_messages={"invalid_choice": f"Select yes or no for {label}"},
        )
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            required=False,
            choices=[(option, option) for option in question.choices],
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"Select one of the options for {label}"},
        )
    if question.kind == QuestionKind.DATE:
        return DateField(label=label, name=label, required=False, **({"help_text": hint} if hint else {}))
    needed = NEEDED_ON_THEIR_PAGE.get(question.stored_in)
    return text_field(
        label, required=bool(needed), hint=hint, **({"error_messages": {"required": needed}} if needed else {})
    )


def field_name(question: questions.Question) -> str:
    """A column's own name for a question kept in it (as the form has always posted), the question's id for others."""
    return question.stored_in or f"answer_{question.id}"


class QuestionsForm(VersionedForm):
    """A form that asks some of the report's questions (`asking`), besides its own fields."""

    asked: list[questions.Question] = []

    @classmethod
    def asking(cls, asked: list[questions.Question]) -> type["QuestionsForm"]:
        # Fields are declared on a class made for these questions, so that every form step (the removal of NUL
        # characters above all) sees them from the start.
        figures_in_force = deadlines.in_force().by_name()
        fields = {field_name(question): question_field(question, figures_in_force) for question in asked}
        return type(cls.__name__, (cls,), {**fields, "asked": asked})

    @classmethod
    def initial_for(cls, row) -> dict:
        return {field_name(question): question.answer_of(row) for question in cls.asked}

    def answers(self) -> dict:
        """The cleaned answers by question id, as the editing services take them."""
        return {question.id: self.cleaned_data[field_name(question)] for question in self.asked}


class ServiceDetailsForm(QuestionsForm):
    """The report's own questions: the service's description and users, and whatever else its form asks."""


class PointForm(HelpTextsFromSettings, QuestionsForm):
    # Not required: assessors write notes during the assessment, before they have agreed a rating.
    # Submitting the report checks every point is rated.
    rating = forms.ChoiceField(
        label="Rating",
        choices=Rating.choices,
        required=False,
        widget=RadioSelectWithHints({}),  # hints from the team's help texts
        error_messages={"invalid_choice": "Select green, amber or red"},
    )


class ActionForm(HelpTextsFromSettings, WithoutNullCharactersForm):
    help_texts = {"description": "action"}

    description = text_field(
        "What the team needs to do",
        limit=ACTION_LIMIT,
        rows=4,
        error_messages={"required": "Enter what the team needs to do"},
    )
    due_date = DateField(label="Due date (optional)", name="Due date", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read as the form is made, so the hint says the figure in force when the page is shown.
        self.fields["due_date"].help_text = (
            "For example, 31 1 2027. Actions on amber points are due "
            f"{deadlines.in_force().amber_actions_within_months} months after the team accepts the report, whatever "
            "date you give here."
        )


class ActionEditForm(ActionForm, VersionedForm):
    pass


class RemoveActionForm(VersionedForm):
    pass


class OverallRatingForm(VersionedForm):
    overall_rating = forms.ChoiceField(
        label="Overall rating",
        choices=Rating.choices,
        widget=RadioSelectWithHints(OVERALL_HINTS),
        error_messages={"required": "Select the overall rating", "invalid_choice": "Select the overall rating"},
    )
    reason = text_field(
        "Reason for differing from the suggested rating",
        required=False,
        rows=5,
        hint="Needed only if your overall rating is not the one the point ratings suggest. If it is, no reason "
        "is kept.",
    )

    def __init__(self, *args, suggested: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested = suggested
        if suggested:
            self.fields["overall_rating"].help_text = (
                f"The point ratings suggest {Rating(suggested).label.lower()}: any red point gives red, otherwise "
                "any amber point gives amber, otherwise green."
            )

    def clean(self):
        cleaned = super().clean()
        overall = cleaned.get("overall_rating")
        reason_given = "reason" in self.errors or cleaned.get("reason", "").strip()
        if ratings.reason_needed(overall, self.suggested) and not reason_given:
            self.add_error("reason", ratings.reason_missing(overall, self.suggested))
        return cleaned


class CommentForm(WithoutNullCharactersForm):
    """A panel member's comment on a point or on the whole report, or a reply to one."""

    text = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": comments.EMPTY},
        validators=[MaxLengthValidator(comments.COMMENT_LIMIT, message=comments.TOO_LONG)],
    )

    def __init__(self, *args, reply_to=None, **kwargs):
        # Several comment forms share a page: each has ids of its own, so that its error links to its own box.
        kwargs.setdefault("auto_id", f"reply-{reply_to}-%s" if reply_to else "comment-%s")
        super().__init__(*args, **kwargs)
        if reply_to:
            self.fields["text"].label = "Reply"
        self.reply_to = reply_to
