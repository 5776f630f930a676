"""StreamField blocks for content pages, each rendered as its GOV.UK Design System component."""

from django.core.exceptions import BadRequest, ValidationError
from django.db import models
from wagtail import blocks

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=255)
    size = blocks.ChoiceBlock(choices=[("l", "Large (h2)"), ("m", "Medium (h3)")], default="l")

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"


class InsetTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "openquote"
        template = "cms/blocks/inset_text.html"


class WarningTextBlock(blocks.CharBlock):
    class Meta:
        icon = "warning"
        template = "cms/blocks/warning_text.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=255)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        template = "cms/blocks/details.html"


class ContentBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="cms/blocks/paragraph.html")
    inset_text = InsetTextBlock(features=["bold", "link"])
    warning_text = WarningTextBlock()
    details = DetailsBlock()

    def value_from_datadict(self, data, files, prefix):
        # The editor always sends the block count and each block's hidden fields; a post without them (made by hand,
        # or cut short) is refused as a bad request, not a server error.
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError) as error:
            raise BadRequest("The page's content was sent incomplete.") from error


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    YES_NO = "yes_no", "Yes or no"
    CHOICE = "choice", "One of a list"
    DATE = "date", "Date"

    @classmethod
    def text(cls) -> list[str]:
        return [cls.SHORT_TEXT, cls.LONG_TEXT]


# The columns the report's first four questions have always been kept in. Search, the open data, the exports and
# the demo read them, so the questions that use them stay text and stay published.
REPORT_COLUMNS = [
    ("service_description", "The report's service description"),
    ("service_users", "The report's service users"),
]
POINT_COLUMNS = [("done_well", "The point's “done well”"), ("to_improve", "The point's “to improve”")]


def options(text: str) -> list[str]:
    """The options of a "one of a list" question, typed one a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionBlock(blocks.StructBlock):
    """One question of a report form. Its block id is the question's id: reports keep their answers under it."""

    label = blocks.CharBlock(max_length=255, help_text="The question, as the panel and readers of the report see it.")
    hint = blocks.TextBlock(required=False, rows=2, help_text="Shown under the question in the report form.")
    kind = blocks.ChoiceBlock(choices=QuestionKind.choices, default=QuestionKind.LONG_TEXT, label="Kind of answer")
    choices = blocks.TextBlock(
        required=False, rows=4, label="Options", help_text="For “One of a list”: the options, one a line."
    )
    required = blocks.BooleanBlock(
        required=False,
        help_text="The lead assessor cannot submit the report until it is answered. It can be left empty while "
        "the panel writes the report.",
    )
    published = blocks.BooleanBlock(
        required=False, default=True, help_text="Shown on the published report and in the open data."
    )

    def __init__(self, columns: list[tuple[str, str]], **kwargs):
        stored_in = blocks.ChoiceBlock(
            choices=[("", "With the question"), *columns],
            required=False,
            label="Answer kept in",
            help_text="Leave “With the question” for a question you add. The other places are where reports have "
            "always kept the first four questions' answers; only one question may use each.",
        )
        super().__init__([("stored_in", stored_in)], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["kind"] == QuestionKind.CHOICE:
            listed = options(value["choices"])
            if not listed:
                errors["choices"] = ValidationError("Give the options, one a line, for a question answered from a list")
            elif len(set(listed)) != len(listed):
                errors["choices"] = ValidationError("Give each option once")
        if value["stored_in"]:
            if value["kind"] not in QuestionKind.text():
                errors["kind"] = ValidationError("An answer kept in the report's own column is short or long text")
            if not value["published"]:
                errors["published"] = ValidationError(
                    "An answer kept in the report's own column is always published: search and the open data read it"
                )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class QuestionsBlock(blocks.StreamBlock):
    """The questions of a report form, in order."""

    def __init__(self, columns: list[tuple[str, str]], **kwargs):
        super().__init__([("question", QuestionBlock(columns))], **kwargs)

    def value_from_datadict(self, data, files, prefix):
        # As ContentBlock: a post cut short, or made by hand, is a bad request rather than a server error.
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError) as error:
            raise BadRequest("The questions were sent incomplete.") from error

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        used: set[str] = set()
        ids: set[str] = set()
        for index, child in enumerate(value):
            column = child.value["stored_in"]
            if column and column in used:
                errors[index] = blocks.StructBlockValidationError(
                    block_errors={"stored_in": ValidationError("Another question already keeps its answer there")}
                )
            used.add(column)
            # Answers are kept under the question's id, so two questions with one id would share an answer.
            if child.id in ids:
                errors[index] = ValidationError("This question repeats another: remove it and add it again")
            if child.id:
                ids.add(child.id)
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value
