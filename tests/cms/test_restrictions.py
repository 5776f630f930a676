"""View restrictions answered from the cache (cms.restrictions): a page under no restricted page skips Wagtail's two
queries, and a restriction added, removed or moved into place applies at the next request."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms import restrictions
from cms.models import GuidancePage

pytestmark = pytest.mark.django_db


def guidance_index():
    return GuidancePage.objects.get(slug="guidance")


def restriction_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q for q in queries.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]


def test_a_page_under_no_restriction_asks_no_restriction_query(client):
    client.get("/guidance/")
    response, queries = restriction_queries(client, "/guidance/")
    assert response.status_code == 200
    assert queries == []


def test_a_restriction_added_then_removed_applies_at_the_next_request(client):
    index = guidance_index()
    assert client.get("/guidance/").status_code == 200  # the cache now says: nothing is restricted

    restriction = PageViewRestriction.objects.create(page=index, restriction_type="password", password="secret")
    response = client.get("/guidance/")
    assert response.status_code == 200
    assert "password" in response.text.lower()
    assert "How service assessments work" not in response.text

    restriction.delete()
    response = client.get("/guidance/")
    assert "How service assessments work" in response.text


def test_a_page_moved_under_a_restricted_page_is_restricted_at_once(client):
    index = guidance_index()
    home = index.get_parent()
    child = index.get_children().live().first()
    private = home.add_child(instance=GuidancePage(title="Private", slug="private"))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    child_path = child.url_path.removeprefix(home.url_path)
    assert client.get(f"/{child_path}").status_code == 200

    Page.objects.get(pk=child.pk).move(private, pos="last-child")
    response = client.get(f"/private/{child.slug}/")
    assert response.status_code == 200
    assert "password" in response.text.lower()
    assert child.title not in response.text.split("<h1", 1)[-1][:200]


def test_with_aliases_or_without_the_cache_wagtail_decides(client, monkeypatch):
    index = guidance_index()
    PageViewRestriction.objects.create(page=index, restriction_type="password", password="secret")
    index.create_alias(parent=index.get_parent(), update_slug="guidance-alias")
    restrictions.forget()
    response, queries = restriction_queries(client, "/guidance-alias/")
    assert queries, "with an alias, Wagtail's own queries answer"
    assert "How service assessments work" not in response.text

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(caches["pages"], "get", broken)
    monkeypatch.setattr(caches["pages"], "set", broken)
    assert "How service assessments work" not in client.get("/guidance/").text


def test_a_restriction_is_forgotten_again_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=guidance_index(), restriction_type="password", password="secret")
        # What a request on another connection would cache between the change and its commit: no restrictions.
        caches["pages"].set(restrictions._CACHE_KEY, (False, ()), 300)
    assert caches["pages"].get(restrictions._CACHE_KEY) is None
