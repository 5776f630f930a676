"""StreamField blocks for content pages, each rendered as its GOV.UK Design System component."""

from django.core.exceptions import BadRequest
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
