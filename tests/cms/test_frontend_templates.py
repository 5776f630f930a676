"""GOV.UK form and component templates, checked against GOV.UK Frontend's own fixtures.

Each component in govuk-frontend has a fixtures.json: the Design System's examples, each
with the exact HTML the component must produce. We render the same example with Django's
form renderer and our templates (templates/django/forms/, templates/includes/) and compare
the HTML after normalising it: whitespace, attribute order and class order do not count.

Differences that are ours on purpose are mapped, not hidden:
- ids follow Django: the input is ``<name>``, the hint ``<name>_helptext``, the error
  ``<name>_error`` and radio/checkbox options ``<name>_0``, ``<name>_1``… where GOV.UK uses
  ``<id>``, ``<id>-hint``, ``<id>-error`` and ``<id>``, ``<id>-2``…; the fixture's ids are
  rewritten to ours before comparing (id, for, aria-describedby and link fragments).
- Django adds ``aria-invalid="true"`` to a field with errors; it is dropped from ours.

Needs the npm packages (``cd site && npm ci``); skipped, and says so, without them.
"""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings

REPO = Path(__file__).resolve().parents[2]
COMPONENTS = REPO / "site" / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "components"

if not COMPONENTS.is_dir():
    pytest.skip(
        "govuk-frontend is not installed (site/node_modules missing): run `cd site && npm ci`",
        allow_module_level=True,
    )


def fixture(component, name):
    """The HTML of one example in a GOV.UK Frontend component's fixtures.json."""
    data = json.loads((COMPONENTS / component / "fixtures.json").read_text(encoding="utf-8"))
    for example in data["fixtures"]:
        if example["name"] == name:
            return example["html"]
    raise LookupError(f"{component} has no fixture named {name!r}")


# --- HTML normalisation -------------------------------------------------------------------

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
ID_ATTRIBUTES = {"id", "for", "aria-describedby", "aria-labelledby", "aria-controls"}


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ["#root", {}, []]
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = [tag, dict(attrs), []]
        self.stack[-1][2].append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1][2].append([tag, dict(attrs), []])

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            self.stack[-1][2].append(text)


def normalise(html, id_map=None, drop_attrs=(), href_map=None):
    """One element per line, attributes sorted, classes sorted, whitespace collapsed."""
    id_map = id_map or {}
    href_map = href_map or {}
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    lines = []

    def attr_value(name, value):
        value = "" if value is None else value
        if name == "class":
            return " ".join(sorted(value.split()))
        if name in ID_ATTRIBUTES:
            return " ".join(id_map.get(token, token) for token in value.split())
        if name == "href":
            if value in href_map:
                return href_map[value]
            if value.startswith("#"):
                return "#" + id_map.get(value[1:], value[1:])
        return value

    def walk(node, depth):
        if isinstance(node, str):
            lines.append("  " * depth + repr(node))
            return
        tag, attrs, children = node
        shown = sorted((name, attr_value(name, value)) for name, value in attrs.items() if name not in drop_attrs)
        lines.append("  " * depth + f"<{tag}" + "".join(f' {n}="{v}"' for n, v in shown) + ">")
        for child in children:
            walk(child, depth + 1)

    for child in builder.root[2]:
        walk(child, 0)
    return "\n".join(lines)


def govuk_ids(govuk_id, our_id, options=0):
    """Map a GOV.UK fixture's ids (input, hint, error, options) to Django's."""
    mapping = {f"{govuk_id}-hint": f"{our_id}_helptext", f"{govuk_id}-error": f"{our_id}_error"}
    if options:
        mapping[govuk_id] = f"{our_id}_0"
        for index in range(1, options):
            mapping[f"{govuk_id}-{index + 1}"] = f"{our_id}_{index}"
    else:
        mapping[govuk_id] = our_id
    return mapping


def render_field(name, field, data=None, initial=None):
    """Render one field of a one-field form with {{ field.as_field_group }}.

    ids are the bare field name (auto_id="%s") and, as GOV.UK recommends, no HTML5
    `required` attribute (forms use server-side validation)."""

    class OneFieldForm(forms.Form):
        use_required_attribute = False

    form = OneFieldForm(data=data, initial=initial, auto_id="%s")
    form.fields[name] = field
    if data is not None:
        form.full_clean()
    return form[name].as_field_group()


def assert_same_html(ours, theirs, id_map):
    assert normalise(ours, drop_attrs={"aria-invalid"}) == normalise(theirs, id_map=id_map)


# --- form fields against GOV.UK fixtures ----------------------------------------------------


def test_input_default():
    ours = render_field("test-name", forms.CharField(label="National Insurance number", required=False))
    assert_same_html(ours, fixture("input", "default"), govuk_ids("test-name", "test-name"))


def test_input_with_error_and_hint():
    message = "Enter a National Insurance number in the correct format"
    field = forms.CharField(
        label="National insurance number",
        help_text="It’s on your National Insurance card, benefit letter, payslip or P60. For example, ‘QQ 12 34 56 C’.",
        error_messages={"required": message},
    )
    ours = render_field("with-error-hint", field, data={})
    assert 'class="govuk-input govuk-input--error"' in ours
    assert_same_html(ours, fixture("input", "with error and hint"), govuk_ids("with-error-hint", "with-error-hint"))


def test_textarea_with_hint_and_error_message():
    field = forms.CharField(
        label="With hint and error",
        help_text="Hint",
        error_messages={"required": "Error message"},
        # Django's Textarea also writes cols="40"; GOV.UK's CSS sets the width.
        widget=forms.Textarea(attrs={"rows": "5", "cols": False}),
    )
    ours = render_field("with-hint-error", field, data={})
    assert_same_html(
        ours,
        fixture("textarea", "with hint and error message"),
        govuk_ids("with-hint-error", "with-hint-error"),
    )


def test_select_with_hint_text_and_error_message():
    field = forms.ChoiceField(
        label="Label text goes here",
        help_text="Hint text goes here",
        error_messages={"required": "Error message goes here"},
        choices=[
            ("1", "GOV.UK frontend option 1"),
            ("2", "GOV.UK frontend option 2"),
            ("3", "GOV.UK frontend option 3"),
        ],
    )
    ours = render_field("select-2", field, data={})
    assert_same_html(ours, fixture("select", "with hint text and error message"), govuk_ids("select-2", "select-2"))


def test_radios_inline():
    field = forms.ChoiceField(
        label="Have you changed your name?",
        help_text="This includes changing your last name or spelling your name differently.",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    ours = render_field("example", field, initial={"example": "no"})
    assert_same_html(ours, fixture("radios", "inline"), govuk_ids("example", "example", options=2))


def test_radios_with_hint_and_error_message():
    field = forms.ChoiceField(
        label="Have you changed your name?",
        help_text="This includes changing your last name or spelling your name differently.",
        error_messages={"required": "Please select an option"},
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    ours = render_field("example-error-message-hint", field, data={})
    assert_same_html(
        ours,
        fixture("radios", "with hint and error message"),
        govuk_ids("example-error-message-hint", "example-error-message-hint", options=2),
    )


def test_checkboxes_with_error_message_and_hint():
    field = forms.MultipleChoiceField(
        label="What is your nationality?",
        help_text="If you have dual nationality, select all options that are relevant to you.",
        error_messages={"required": "Please select an option"},
        choices=[("british", "British"), ("irish", "Irish")],
        widget=forms.CheckboxSelectMultiple,
    )
    ours = render_field("example", field, data={})
    assert_same_html(
        ours, fixture("checkboxes", "with error message and hint"), govuk_ids("example", "example", options=2)
    )


# --- includes against GOV.UK fixtures -----------------------------------------------------


def test_error_summary():
    class PassportForm(forms.Form):
        passport_issued = forms.DateField(
            error_messages={"required": "The date your passport was issued must be in the past"}
        )
        postcode = forms.CharField(error_messages={"required": "Enter a postcode, like AA1 1AA"})

    form = PassportForm(data={})
    ours = render_to_string("includes/error_summary.html", {"form": form})
    id_map = {"example-error-1": "id_passport_issued", "example-error-2": "id_postcode"}
    assert normalise(ours) == normalise(fixture("error-summary", "default"), id_map=id_map)


def test_error_summary_links_radios_to_their_first_option():
    class PhaseForm(forms.Form):
        phase = forms.ChoiceField(choices=[("alpha", "Alpha")], widget=forms.RadioSelect)

    ours = render_to_string("includes/error_summary.html", {"form": PhaseForm(data={})})
    assert 'href="#id_phase_0"' in ours


def test_pagination_keeps_other_parameters():
    page = Paginator(list(range(30)), 10).page(2)
    request = RequestFactory().get("/reports/", {"page": "2"})
    ours = render_to_string("includes/pagination.html", {"page": page}, request=request)
    href_map = {
        "/previous": "?page=1",
        "/next": "?page=3",
        "/page/1": "?page=1",
        "/page/2": "?page=2",
        "/page/3": "?page=3",
    }
    assert normalise(ours) == normalise(fixture("pagination", "default"), href_map=href_map)

    request = RequestFactory().get("/reports/", {"page": "2", "phase": "beta", "q": "tax & benefits"})
    ours = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert 'href="?page=3&amp;phase=beta&amp;q=tax+%26+benefits"' in ours
    assert "page=2&amp;page" not in ours


def test_pagination_renders_nothing_for_one_page():
    page = Paginator(list(range(5)), 10).page(1)
    assert render_to_string("includes/pagination.html", {"page": page}).strip() == ""


@pytest.mark.parametrize(
    ("rating", "label", "tag_class", "words"),
    [
        ("green", "", "govuk-tag--green", "Green"),
        ("amber", "", "govuk-tag--yellow", "Amber"),
        ("red", "", "govuk-tag--red", "Red"),
        ("", "", "govuk-tag--grey", "Not rated"),
        ("amber", "Amber (met with conditions)", "govuk-tag--yellow", "Amber (met with conditions)"),
    ],
)
def test_rag_tag_shows_the_rating_in_words(rating, label, tag_class, words):
    html = render_to_string("includes/rag_tag.html", {"rating": rating, "label": label})
    assert normalise(html) == normalise(f'<strong class="govuk-tag {tag_class} app-rag-tag">{words}</strong>')


# --- page templates ---------------------------------------------------------------------------

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
def test_500_page_renders_without_a_request():
    # Django's server_error view renders 500.html with an empty context.
    html = render_to_string("500.html")
    assert "<title>Sorry, there is a problem with the service – Service assessment reports – GOV.UK</title>" in html
    assert '<html lang="en" class="govuk-template">' in html
    assert "Sign out" not in html
    assert "<script>" not in html  # no inline script: CSP
    assert 'type="module"' in html and "/init.js" in html
