"""Figures that text typed in the admin shows as they stand now: `{SHARE_WITHIN_DAYS}` in a content page's text shows
the figure registered under that name, so guidance never goes out of date when the figure is changed.

cms keeps none of the figures: the app that does registers where to read them when it starts (workflow registers
its policy figures in force), so cms imports nothing of it, as notify's email descriptions do."""

import re
from collections.abc import Callable, Mapping

# Capitals, digits and underscores in braces, as the figures' owner names them: other text in braces shows as typed.
# Wagtail's rich text editor keeps braces as plain text, so a name typed there survives saving.
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")

HELP_TEXT = (
    "To show one of the service's policy figures as it stands, type its name in capitals in curly brackets, for "
    "example {SHARE_WITHIN_DAYS}: Settings > Policy figures gives each figure's name."
)


def _none(request) -> Mapping[str, int]:
    return {}


_source: Callable[[object], Mapping[str, int]] = _none


def register(source: Callable[[object], Mapping[str, int]]) -> None:
    """`source(request)` gives every figure by name; the request (None outside one) lets it read them once a request."""
    global _source
    _source = source


def in_force(request=None) -> Mapping[str, int]:
    return _source(request)


def fill(text: str, figures: Mapping[str, int]) -> str:
    """`text` with each `{NAME}` of `figures` as its figure. Put in as a whole number, which holds no markup, so filled
    HTML is as safe as it was."""
    if "{" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: str(int(figures[m[1]])) if m[1] in figures else m[0], text)
