"""GOV.UK components that pages repeat many times, as tags rather than includes: a report page shows a rating
tag for every point, and an include per tag is a measurable share of rendering it.

The colour of every GOV.UK tag the service shows is chosen here or, for a report's status, in
workflow/templatetags/report_status.py, and nowhere else: one meaning, one colour, on every page, in the admin and
in the insights charts (tests/test_one_colour.py scans the code for any other)."""

import html

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

register = template.Library()

RAG_TAG_COLOURS = {"green": ("green", "Green"), "amber": ("yellow", "Amber"), "red": ("red", "Red")}

# Tags that are neither a report's status nor a rating, by what they mean.
NOTICE_TAG_COLOURS = {
    "overdue": ("red", "Overdue"),
    "due-today": ("orange", "Due today"),
    "booking-requested": ("grey", "Waiting for an answer"),
    "booking-accepted": ("green", "Accepted"),
    "booking-rejected": ("red", "Rejected"),
    "action-open": ("grey", "Open"),
    "action-ready": ("blue", "Ready for review"),
    "action-more-needed": ("orange", "More needed"),
    "action-closed": ("green", "Closed"),
}

# What each govuk-tag--<colour> looks like in govuk-frontend 6.6 (components/tag/_mixin.scss, as built into
# site/dist/govuk/govuk-frontend.min.css): (text, background). Charts draw a rating as its tag looks, the
# background as the fill and the text colour for the outline and any number written on it, which the tag's own
# contrast keeps readable. A plain govuk-tag is blue; "turquoise" and "pink" are frontend 6's deprecated names for
# teal and magenta.
TAG_HEX = {
    "blue": ("#0f385c", "#d2e2f1"),
    "green": ("#083d29", "#cfe4dc"),
    "purple": ("#2a1950", "#ddd6ec"),
    "red": ("#651b1b", "#f4d7d7"),
    "orange": ("#7a3c1c", "#fde4d7"),
    "teal": ("#0b4144", "#d0e6e7"),
    "turquoise": ("#0b4144", "#d0e6e7"),
    "magenta": ("#651b3e", "#f4d7e5"),
    "pink": ("#651b3e", "#f4d7e5"),
    "yellow": ("#7a3c1c", "#ffee80"),
    "grey": ("#0b0c0c", "#cecece"),
}


def tag_hex(colour: str) -> tuple[str, str]:
    """The (text, background) colours of a GOV.UK tag colour."""
    return TAG_HEX.get(colour, TAG_HEX["blue"])


def rag_colour(rating) -> str:
    return RAG_TAG_COLOURS.get(rating, ("grey", ""))[0]


def _tag(colour: str, words, extra_class: str = ""):
    return format_html('<strong class="govuk-tag govuk-tag--{}{}">{}</strong>', colour, extra_class, words)


@register.simple_tag
def rag_tag(rating, label=""):
    """A RAG rating in words as a GOV.UK tag, so the rating never rests on colour alone. `rating` is "green",
    "amber", "red" or "" (not rated); `label` replaces the default words."""
    colour, words = RAG_TAG_COLOURS.get(rating, ("grey", capfirst(str(rating)) if rating else "Not rated"))
    return _tag(colour, label or words, " app-rag-tag")


@register.simple_tag
def notice_tag(kind, label=""):
    """A tag that is neither a status nor a rating, by what it means: {% notice_tag "overdue" %},
    {% notice_tag "due-today" %}, {% notice_tag "booking-accepted" %}; `label` replaces the default words."""
    colour, words = NOTICE_TAG_COLOURS.get(kind, ("grey", capfirst(str(kind))))
    return _tag(colour, words if label in ("", None) else label)


def page_has_errors(context) -> bool:
    """Whether the page shows an error: a bound form in its context, under any name, with errors, or `page_errors`
    set by a page whose errors are not a form's. The one rule behind "Error: " in the page's title."""
    if context.get("page_errors"):
        return True
    # By type, not isinstance: isinstance would evaluate every lazy value in the context (the policy figures, a
    # query) to ask its class, on every page.
    return any(
        issubclass(type(value), forms.BaseForm) and value.is_bound and value.errors
        for value in context.flatten().values()
    )


@register.simple_tag(takes_context=True)
def error_prefix(context):
    """ "Error: " before the title of a page that shows an error (GOV.UK's error summary pattern)."""
    return "Error: " if page_has_errors(context) else ""


@register.simple_tag
def pagination_numbers(page):
    """The page numbers GOV.UK pagination shows: first, last, the current page and one either side, with
    `None` where an ellipsis stands for the gap. Worked out by the paginator, so a list of 500 pages costs no
    more to render than a list of 5."""
    ellipsis = page.paginator.ELLIPSIS
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return [None if number == ellipsis else number for number in numbers]


# --- Form widgets' attributes and options ----------------------------------------------------------------------
# Written in Python rather than as template loops: a loop over each option's attributes, with a test for each, cost
# the reports list's filters (18 checkboxes, 21 departments) more than the rest of its page.


def _escape(value) -> str:
    # Django's conditional_escape without its lazy-string wrapper, which was most of these tags' own time.
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict, skip: tuple[str, ...]) -> str:
    # As Django's attrs.html writes them: True as the bare name, False left out.
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if name not in skip and value is not False
    )


@register.simple_tag
def widget_attrs(attrs: dict):
    """A widget's attributes less "class", which the GOV.UK widget templates write themselves."""
    return mark_safe(_attrs(attrs, ("class",)))  # noqa: S308 - every part escaped by _escape


@register.simple_tag
def error_class(attrs: dict, block: str):
    """ " <block>--error" where Django marked the widget aria-invalid (its bound field has errors)."""
    invalid = attrs.get("aria-invalid")
    return f" {block}--error" if invalid and invalid != "false" else ""


@register.simple_tag
def checkbox_item(option: dict):
    """One GOV.UK checkbox, with its label, for an option of CheckboxSelectMultiple."""
    attrs = option["attrs"]
    value = "" if option["value"] is None else f' value="{_escape(option["value"])}"'
    label_for = f' for="{_escape(attrs["id"])}"' if attrs.get("id") else ""
    return mark_safe(  # noqa: S308 - every part escaped by _escape
        '<div class="govuk-checkboxes__item">\n'
        f'    <input class="govuk-checkboxes__input" type="{_escape(option["type"])}" name="{_escape(option["name"])}"'
        f"{value}{_attrs(attrs, ('class',))}>\n"
        f'    <label class="govuk-label govuk-checkboxes__label"{label_for}>{_escape(option["label"])}</label>\n'
        "  </div>"
    )


@register.simple_tag
def select_option(option: dict):
    """One <option> of a select."""
    return mark_safe(  # noqa: S308 - every part escaped by _escape
        f'<option value="{_escape(option["value"])}"{_attrs(option["attrs"], ())}>{_escape(option["label"])}</option>'
    )
