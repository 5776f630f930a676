"""The assessors' report forms. They check what was typed; the editing services decide whether it may be saved."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.html import escape

from cms.dates import DateField
from workflow import deadlines, ratings
from workflow.models import Rating, ReportFormHelpTexts

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


def text_field(label: str, *, required: bool = True, limit: int = TEXT_LIMIT, hint: str = "", rows: int = 8, **kwargs):
    """A textarea limited by a validator rather than `max_length`, which would add a maxlength attribute and
    let the browser silently cut off pasted text: too long should be an error the person can see."""
    name = label[0].upper() + label[1:]
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
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


class ServiceDetailsForm(HelpTextsFromSettings, VersionedForm):
    help_texts = {"service_description": "service_description", "service_users": "service_users"}

    service_description = text_field(
        "Service description",
        error_messages={"required": "Enter a description of the service"},
    )
    service_users = text_field(
        "Service users",
        rows=5,
        error_messages={"required": "Enter who uses the service"},
    )


class PointForm(HelpTextsFromSettings, VersionedForm):
    help_texts = {"done_well": "done_well", "to_improve": "to_improve"}

    # Not required: assessors write notes during the assessment, before they have agreed a rating.
    # Submitting the report checks every point is rated.
    rating = forms.ChoiceField(
        label="Rating",
        choices=Rating.choices,
        required=False,
        widget=RadioSelectWithHints({}),  # hints from the team's help texts
        error_messages={"invalid_choice": "Select green, amber or red"},
    )
    done_well = text_field("What the team has done well", required=False)
    to_improve = text_field("What the team needs to improve", required=False)


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
