"""Rich text the team types in the admin, shown in GOV.UK styles. Wagtail writes bare `<a>`, `<ul>` and `<ol>`, which
GOV.UK Frontend leaves unstyled (links without the focus state, lists without bullets):

    {% load govuk_richtext %}{{ point.assessor_guidance|govuk_richtext }}
"""

import re

from django import template
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

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
