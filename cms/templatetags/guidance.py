"""Links to pages the team edits in the CMS (guidance, the footer's pages), found by where they sit under the home
page. A page that is unpublished, deleted or behind a view restriction gives "" rather than a link, so templates
can leave the link out instead of sending people to a "page not found"."""

from django import template
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction, Site

from cms.models import GuidancePage

register = template.Library()

GUIDANCE_INDEX_SLUG = "guidance"
_REQUEST_ATTRIBUTE = "_cms_live_content_urls"


def _live_content_urls() -> dict[str, str]:
    """Every live, public guidance page's URL, keyed by its path under the home page ("guidance/cookies/"). One
    query: pages are few, and a template may ask for several links."""
    root_paths = [root.root_path for root in Site.get_site_root_paths()]
    restricted = PageViewRestriction.objects.annotate(length=Length("page__path")).filter(
        page__path=Substr(OuterRef("path"), 1, F("length"))
    )
    urls = {}
    for url_path in (
        GuidancePage.objects.live().filter(~Exists(restricted)).values_list("url_path", flat=True).order_by("path")
    ):
        root = next((root for root in root_paths if url_path.startswith(root)), None)
        if root is not None:
            urls.setdefault(url_path[len(root) :], "/" + url_path[len(root) :])
    return urls


def content_page_url(request, path: str) -> str:
    """The URL of the live page at `path` under the home page ("privacy-notice/"), or "". Asked once per request.
    Without a request (the 500 and 503 pages, rendered when the database may have gone away) there is no link."""
    if request is None:
        return ""
    urls = getattr(request, _REQUEST_ATTRIBUTE, None)
    if urls is None:
        urls = _live_content_urls()
        setattr(request, _REQUEST_ATTRIBUTE, urls)
    return urls.get(path, "")


@register.simple_tag(takes_context=True)
def guidance_url(context, slug: str) -> str:
    """`{% guidance_url "writing-an-assessment-report" as url %}`: the live guidance page at /guidance/<slug>/, or
    "" when there is none."""
    return content_page_url(context.get("request"), f"{GUIDANCE_INDEX_SLUG}/{slug}/")


@register.simple_tag(takes_context=True)
def content_url(context, slug: str) -> str:
    """`{% content_url "cookies" as url %}`: the live page at /<slug>/ under the home page, or "" when there is
    none."""
    return content_page_url(context.get("request"), f"{slug}/")
