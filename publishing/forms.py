"""The reports list's filters: a GET form, so filters and search live in the URL and work without JavaScript."""

import datetime

from django import forms

from cms.dates import DateField
from workflow.models.choices import Rating

from .selectors import ReportFilters, department_choices, stages

# What the single date box of earlier versions of this page accepted: links and bookmarks made with it still work.
OLD_LINK_DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


class AssessmentDateField(DateField):
    """The GOV.UK date input (day, month, year), which also reads the single date of an old link."""

    def to_python(self, value):
        if isinstance(value, str):
            for date_format in OLD_LINK_DATE_FORMATS:
                try:
                    return datetime.datetime.strptime(value.strip(), date_format).date()
                except ValueError:
                    continue
        return super().to_python(value)

    def prepare_value(self, value):
        # An old link's single date shows in the three boxes it filtered by.
        if isinstance(value, str):
            try:
                return self.to_python(value) or value
            except forms.ValidationError:
                return value
        return value


class ReportFilterForm(forms.Form):
    q = forms.CharField(
        label="Search reports",
        required=False,
        max_length=200,
        help_text="For example, a service name or a word in the report",
        widget=forms.TextInput(attrs={"type": "search", "class": "govuk-!-width-full", "spellcheck": "false"}),
    )
    result = forms.MultipleChoiceField(
        label="Result",
        required=False,
        choices=Rating.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={"invalid_choice": "Select a result from the list"},
    )
    stage = forms.MultipleChoiceField(
        label="Stage",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={"invalid_choice": "Select a stage from the list"},
    )
    department = forms.ChoiceField(
        label="Department",
        required=False,
        error_messages={"invalid_choice": "Select a department from the list"},
    )
    date_from = AssessmentDateField(
        label="Assessed on or after",
        name="The 'assessed on or after' date",
        required=False,
        help_text="For example, 27 3 2026",
    )
    date_to = AssessmentDateField(
        label="Assessed on or before",
        name="The 'assessed on or before' date",
        required=False,
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once: the choices, the check of what was chosen, and the filter all use them.
        self.stages = stages()
        self.fields["stage"].choices = [(value, label) for value, (label, _, _) in self.stages.items()]
        self.fields["department"].choices = [("", "All departments"), *department_choices()]

    def clean_q(self):
        # SQLite's full-text search (the local database) quotes each word and fails on an unpaired double quote
        # inside one; the search ignores punctuation anyway, so a quote is searched as a space.
        return self.cleaned_data["q"].replace('"', " ").strip()

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error(
                "date_to",
                "The 'assessed on or before' date must be the same as or after the 'assessed on or after' date",
            )
        return cleaned

    def filters(self) -> ReportFilters:
        """The valid filters; a field with an error filters nothing (the page shows the error instead)."""
        data = self.cleaned_data if self.is_bound else {}
        if self.errors:
            data = {name: value for name, value in data.items() if name not in self.errors}
        return ReportFilters(
            results=tuple(data.get("result") or ()),
            stages=tuple((self.stages[stage][1], tuple(self.stages[stage][2])) for stage in data.get("stage") or ()),
            departments=(data["department"],) if data.get("department") else (),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            query=data.get("q") or "",
        )

    @property
    def active(self) -> bool:
        filters = self.filters()
        return any([filters.results, filters.stages, filters.departments, filters.date_from, filters.date_to])
