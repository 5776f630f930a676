"""Rich text the team types in the admin, shown in GOV.UK styles. Wagtail writes bare `<a>`, `<ul>` and `<ol>`, which
GOV.UK Frontend leaves unstyled (links without the focus state, lists without bullets):

    {% load govuk_richtext %}{{ point.assessor_guidance|govuk_richtext }}

and, on content pages, with the `{NAME}`s of figures shown as they stand (cms.figures):

    {% figures_in_force value|govuk_richtext %}
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

from cms import figures

register = template.Library()

CLASSES = {"a": "govuk-link", "ul": "govuk-list govuk-list--bullet", "ol": "govuk-list govuk-list--number"}
# An opening tag of those elements; one that already has a class keeps it.
_OPENING_TAG = re.compile(r"<(a|ul|ol)(?=[\s>])([^>]*)>", re.IGNORECASE)


def _with_class(match: re.Match) -> str:
    name, attributes = match.group(1), match.group(2)
    if re.search(r"\sclass\s*=", attributes, re.IGNORECASE):
        return match.group(0)
    return f'<{name} class="{CLASSES[name.lower()]}"{attributes}>'


@register.filter
def govuk_richtext(value) -> str:
    return mark_safe(_OPENING_TAG.sub(_with_class, str(richtext(value))))  # noqa: S308 - Wagtail's own output


@register.simple_tag(takes_context=True)
def figures_in_force(context, text) -> str:
    """Plain text is escaped first; rich text comes safe from `govuk_richtext`. Either way only whole numbers go in.
    The figures are read once a request, or for this text alone where the template has no request."""
    escaped = conditional_escape(text)
    if "{" not in escaped:
        return escaped
    return mark_safe(figures.fill(escaped, figures.in_force(context.get("request"))))  # noqa: S308 - escaped above
