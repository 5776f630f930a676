"""The Service Assessment Plus team's forms for a challenge: arranging or changing the meeting. Each only collects
and checks what was typed; workflow.services.challenges decides whether the change may happen."""

import datetime
import re
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone

from cms.dates import DateField
from workflow.models.challenges import PLACE_MAX_LENGTH

from .base import WithoutNullCharactersForm

TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str) -> datetime.time | None:
    """'2:30pm', '2pm', '14:30', 'midday': the time, or None if it is not one."""
    text = text.strip().lower().replace(" ", "")
    if text in ("midday", "noon", "12noon"):
        return datetime.time(12, 0)
    match = TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        return None  # "2" alone: morning or afternoon?
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class MeetingForm(WithoutNullCharactersForm):
    date = DateField(label="Date", name="Date of the meeting", help_text="For example, 3 12 2026")
    time = forms.CharField(
        label="Time",
        help_text="For example, 2:30pm or 14:30",
        max_length=20,
        error_messages={"required": "Enter the time of the meeting", "max_length": "Enter a time like 2:30pm"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
    )
    place = forms.CharField(
        label="Where",
        help_text="The room, or the link to the call.",
        max_length=PLACE_MAX_LENGTH,
        error_messages={
            "required": "Enter where the meeting is, or the link to the call",
            "max_length": f"Where the meeting is must be {PLACE_MAX_LENGTH:,} characters or fewer",
        },
    )
    attendees = forms.TypedMultipleChoiceField(
        label="Who to invite",
        help_text="People from the panel and the delivery team. Each gets an email invitation.",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        error_messages={
            "required": "Select the people to invite",
            "invalid_choice": "Select people from the report's panel and the service's delivery team only",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = people

    def clean(self):
        cleaned = super().clean()
        day, typed = cleaned.get("date"), cleaned.get("time")
        if typed and "time" not in self.errors:
            at = parse_time(typed)
            if at is None:
                self.add_error("time", "Enter a time like 2:30pm or 14:30")
            elif day is not None:
                starts = datetime.datetime.combine(day, at, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
                if starts < timezone.now():
                    self.add_error("date", "The meeting must be in the future")
                cleaned["starts_at"] = starts
        return cleaned
