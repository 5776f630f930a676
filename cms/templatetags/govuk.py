"""GOV.UK components that pages repeat many times, as tags rather than includes: a report page shows a rating
tag for every point, and an include per tag is a measurable share of rendering it."""

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst

register = template.Library()

RAG_TAG_COLOURS = {"green": ("green", "Green"), "amber": ("yellow", "Amber"), "red": ("red", "Red")}


@register.simple_tag
def rag_tag(rating, label=""):
    """A RAG rating in words as a GOV.UK tag, so the rating never rests on colour alone. `rating` is "green",
    "amber", "red" or "" (not rated); `label` replaces the default words."""
    colour, words = RAG_TAG_COLOURS.get(rating, ("grey", capfirst(str(rating)) if rating else "Not rated"))
    return format_html('<strong class="govuk-tag govuk-tag--{} app-rag-tag">{}</strong>', colour, label or words)


@register.simple_tag
def pagination_numbers(page):
    """The page numbers GOV.UK pagination shows: first, last, the current page and one either side, with
    `None` where an ellipsis stands for the gap. Worked out by the paginator, so a list of 500 pages costs no
    more to render than a list of 5."""
    ellipsis = page.paginator.ELLIPSIS
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return [None if number == ellipsis else number for number in numbers]
