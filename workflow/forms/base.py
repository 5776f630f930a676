"""What every form of the service does with what people post, whichever page it is on."""

from django import forms

NUL = "\x00"
NULL_CHARACTERS = "null_characters_not_allowed"  # the code of Django's ProhibitNullCharactersValidator
# A NUL comes from a pasted control character nobody can see, so the message says what to do about it.
CHOICE_MESSAGE = "Select one of the options"
NULL_CHARACTERS_MESSAGE = "Your answer must not contain null characters: type it again rather than pasting it"


class WithoutNullCharactersForm(forms.Form):
    """Refuses any field sent with a NUL character, without ever showing the NUL back.

    Django's own check rejects NUL in text, but the form then re-renders the text as sent, NUL and all, and a
    choice sent with a NUL is echoed in Django's "Select a valid choice. … is not one of the available choices".
    So the NULs are taken out of the data before any field sees it: typed text comes back without them, under
    the field's "null_characters_not_allowed" message; a choice (nobody types one) comes back unselected, under
    the field's own "required" or "invalid_choice" message."""

    def __init__(self, data=None, *args, **kwargs):
        self.fields_sent_with_nul: set[str] = set()
        super().__init__(data, *args, **kwargs)
        if self.is_bound:
            self.data = self._without_nul(self.data)

    def _without_nul(self, data):
        data = data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            # A field typed in several boxes (the date input's day, month and year) posts one key per box.
            keys = [key, *(key + suffix for suffix in getattr(field.widget, "widgets_names", ()))]
            for key in (key for key in keys if key in data):
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                if not any(isinstance(value, str) and NUL in value for value in values):
                    continue
                self.fields_sent_with_nul.add(name)
                if isinstance(field, forms.ChoiceField):  # model choices too
                    del data[key]
                    continue
                cleaned = [value.replace(NUL, "") if isinstance(value, str) else value for value in values]
                if hasattr(data, "setlist"):
                    data.setlist(key, cleaned)
                else:
                    data[key] = cleaned[-1]
        return data

    def clean(self):
        cleaned_data = super().clean()
        for name in sorted(self.fields_sent_with_nul):
            if name in self.errors:  # a choice taken away is already reported as missing
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                code, message = "invalid_choice", field.error_messages.get("invalid_choice", "")
                # Django's own message names the value sent, which is the very thing not to show.
                if "%(" in message:
                    message = CHOICE_MESSAGE
            else:
                code, message = NULL_CHARACTERS, field.error_messages.get(NULL_CHARACTERS) or NULL_CHARACTERS_MESSAGE
            self.add_error(name, forms.ValidationError(message, code=code))
        return cleaned_data


class PointNumbersField(forms.CharField):
    """Point numbers typed as "3, 5, 9": whether each is a point of the standard is the assessment's rule
    (Assessment.clean), since only it knows the standard."""

    default_error_messages = {"invalid": "Enter point numbers separated by commas, for example 3, 5, 9"}

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(number) for number in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return []
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not all(part.isascii() and part.isdigit() and len(part) <= 3 for part in parts):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return sorted({int(part) for part in parts})
