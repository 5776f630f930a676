"""Whether a page has view restrictions, without two queries on every request.

Wagtail checks every page it serves for view restrictions on the page and its ancestors (`check_view_restrictions`
calls `Page.get_view_restrictions`): a query for the ancestors and one for the restrictions, on every public page,
though restricted pages are few or none. So the paths of the restricted pages are kept in the shared "pages" cache
(Redis in production, so a change on one machine reaches all), and a page under none of them has no restrictions
without asking. Any change to a restriction, a page move, or an alias forgets them (cms.apps); the timeout bounds a
change made without signals. Where the cache fails, the paths are read from the database; where aliases exist
(an alias takes its source page's restrictions, which its path does not show), Wagtail's own queries answer.
`public()` on a page queryset, which lists only pages under no restriction, reads the same paths."""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from . import shared_cache

_CACHE_KEY = "cms:restricted-paths"


def forget(**kwargs) -> None:
    shared_cache.forget(_CACHE_KEY)


def forget_when_an_alias_is_saved(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        forget()


def _from_database() -> tuple[bool, tuple[str, ...]]:
    aliases = Page.objects.filter(alias_of__isnull=False).exists()
    paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True).order_by().distinct())
    return aliases, paths


def _known() -> tuple[bool, tuple[str, ...]]:
    """Whether any page is an alias, and the paths of the pages with view restrictions."""
    return shared_cache.read_through(_CACHE_KEY, _from_database)


def _restricted_paths() -> tuple[str, ...] | None:
    """The paths of the pages with view restrictions, or None where aliases make paths not enough."""
    aliases, paths = _known()
    return None if aliases else paths


class ViewRestrictionsFromCache:
    """For page models: Wagtail's view restrictions, answered from the cache when none can apply."""

    def get_view_restrictions(self):
        paths = _restricted_paths()
        if paths is not None and not any(self.path.startswith(path) for path in paths):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _public_q() -> Q:
    """Wagtail's `public_q()` (no page at or under a restricted page's path), from the cached paths. Wagtail's own
    reads restrictions by the restricted page's path alone, aliases or not, so the paths answer it in full."""
    _, paths = _known()
    q = Q()
    for path in paths:
        q &= ~Q(path__startswith=path)
    return q


def public(pages):
    """`pages.public()` for any page queryset, without a query for the restrictions."""
    return pages.filter(_public_q())


class PublicFromCache:
    """For page querysets: `public()` from the cached paths."""

    def public(self):
        return self.filter(_public_q())
