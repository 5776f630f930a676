"""The GOV.UK date input: a date typed as day, month and year in three boxes, never the browser's date picker.

`DateField` takes the three boxes (`<name>_day`, `<name>_month`, `<name>_year`) and, so that old links and
bookmarks keep working, a single ISO date (`<name>=2026-03-27`) too. Its messages follow the GOV.UK Design
System's date input pattern: "… must include a month", "… must be a real date".

Public pages use `DateInput` (GOV.UK Frontend markup); the Wagtail admin uses `AdminDateInput`, the same three
boxes in the admin's own styles."""

import datetime

from django import forms

PARTS = ("day", "month", "year")


class DateInput(forms.MultiWidget):
    template_name = "cms/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({part: forms.TextInput(attrs=dict(numeric)) for part in PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        # A single ISO date is what earlier versions of the page (and people's bookmarks) send.
        if name in data and not any(f"{name}_{part}" in data for part in PARTS):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        # The error summary links to the first box, as the GOV.UK pattern asks.
        return f"{id_}_0" if id_ else ""


class AdminDateInput(DateInput):
    template_name = "cms/widgets/admin_date_input.html"


class DateField(forms.Field):
    """A date from the GOV.UK date input. `name` is how the messages call it ("Due date", "Start date")."""

    widget = DateInput
    default_hint = "For example, 27 3 2027"

    def __init__(self, *, name: str | None = None, **kwargs):
        kwargs.setdefault("help_text", self.default_hint)
        given_messages = kwargs.get("error_messages") or {}
        super().__init__(**kwargs)
        self.name = name or str(self.label or "Date")
        if "required" not in given_messages:
            self.error_messages["required"] = f"Enter the {self.name[:1].lower()}{self.name[1:]}"

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise forms.ValidationError(f"{self.name} must be a real date", code="invalid") from None
        if not value:
            return None
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        missing = [part for part, text in zip(PARTS, parts, strict=True) if not text]
        if missing:
            raise forms.ValidationError(f"{self.name} must include a {' and a '.join(missing)}", code="incomplete")
        day, month, year = parts
        if not all(text.isdigit() for text in parts):
            raise forms.ValidationError(f"{self.name} must be a real date", code="invalid")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"{self.name} must be a real date", code="invalid") from None

    def prepare_value(self, value):
        return value
