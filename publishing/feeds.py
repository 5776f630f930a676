"""An Atom feed of newly published reports, at /reports/feed/."""

import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cms.public_address import absolute_url, page_url

from . import selectors

# Characters XML 1.0 cannot hold. A name typed in the admin may carry one (a pasted control character): it is
# dropped from the feed, which would otherwise fail or be unreadable.
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    return NOT_XML.sub("", str(value))


class PublishedReportsFeed(Feed):
    feed_type = Atom1Feed
    title = "Service assessment reports"
    subtitle = "Reports of service assessments, newest published first."
    items_count = 50

    # Absolute, so that Django's Feed does not put the request's host in front: the feed is cached and read
    # elsewhere, and its links must name the public address (BASE_URL).
    def link(self):
        return absolute_url("/reports/")

    def feed_url(self):
        return absolute_url(reverse("reports_feed"))

    def items(self):
        return selectors.newest_published(self.items_count)

    def item_title(self, item):
        # A corrected report says so, as GOV.UK's feeds do: readers who saw it first learn its text changed.
        updated = "Updated: " if item.corrected_at else ""
        return xml_text(f"{updated}{item.title}: {item.assessment.stage_name}, {item.assessment.date:%-d %B %Y}")

    def item_description(self, item):
        result = item.get_overall_rating_display() or "Not rated"
        return xml_text(
            f"The report for the {item.title} {item.assessment.stage_name.lower()} on "
            f"{item.assessment.date:%-d %B %Y}, against the {item.assessment.standard.name}. Result: {result}. "
            f"From {item.assessment.service.department}."
        )

    def item_link(self, item):
        return page_url(item)

    def item_guid(self, item):
        return f"urn:uuid:{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.corrected_at or item.last_published_at

    def item_author_name(self, item):
        return xml_text(item.assessment.service.department)

    def item_categories(self, item):
        return [
            xml_text(item.assessment.stage_label),
            xml_text(item.get_overall_rating_display()),
            xml_text(item.assessment.standard.name),
        ]
