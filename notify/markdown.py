"""Personalisation as plain text.

GOV.UK Notify escapes HTML in personalisation, then formats the whole email as its Markdown: text people type
(comments, reasons, actions, names of people and services) could add a link whose target is hidden, a heading, an
inset, a list, a rule or a table, or make its own line vanish as a link definition. Each is neutralised with a
zero width space, which a reader does not see: before a character that would start one of these at the start of
a line, and after every closing bracket (a link needs "](", "][" or "]:"). Notify removes zero width spaces from
the items of a list, so their brackets are escaped with a backslash instead, which Notify's Markdown removes.
Bare web addresses still become links, but a reader sees where they go.
"""

import re

ZERO_WIDTH_SPACE = "\u200b"
_FORMATTING_LINE_START = re.compile(r"(^|\r\n|\r|\n)( *)(?=[#^>*+\-•_=|:~`\[]|\d+[.)])")
_CLOSING_BRACKET = re.compile(r"\](?!\u200b)")
# Personalisation that keeps its line breaks; any other value is one line, as a line break in a name would start a
# new paragraph of the email.
MULTILINE = frozenset(
    {
        "comment",
        "reasons",
        "reason",
        "details",
        "outcome",
        "agreed_changes",
        "question",
        "answer",
        "change_note",
        "progress",
        "preferred_dates",
    }
)


def plain_text(value: str, *, multiline: bool = True) -> str:
    """The value, shown by Notify as the text it is. Running it twice changes nothing more."""
    if not multiline:
        value = " ".join(value.split())
    value = _CLOSING_BRACKET.sub("]" + ZERO_WIDTH_SPACE, value)
    return _FORMATTING_LINE_START.sub(lambda match: match[1] + match[2] + ZERO_WIDTH_SPACE, value)


def _plain_list_item(value) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(str(value).split()))


def plain_personalisation(personalisation: dict) -> dict:
    return {
        key: [_plain_list_item(item) for item in value]
        if isinstance(value, list)
        else plain_text(value, multiline=key in MULTILINE)
        if isinstance(value, str)
        else value
        for key, value in personalisation.items()
    }
