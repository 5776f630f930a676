"""Pages found by their address in one query (cms.routing), and answering exactly as Wagtail's own routing would:
after a move, a rename, unpublishing or deletion, under a view restriction, and for Wagtail's own utility views."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms import routing
from cms.models import GuidancePage

pytestmark = pytest.mark.django_db


def guidance_child():
    return GuidancePage.objects.get(slug="guidance").get_children().live().specific().first()


def routing_queries(client, path):
    """The queries that look a page up by slug, as routing does (Wagtail's: two a level, and the home page)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"."slug" =' in q["sql"]]


def test_a_page_two_levels_down_is_found_in_one_query(client):
    child = guidance_child()
    path = f"/guidance/{child.slug}/"
    client.get(path)  # as a running server has them: the Site, the restrictions and this address's page type

    response, queries = routing_queries(client, path)

    assert response.status_code == 200
    assert child.title in response.text
    assert len(queries) == 1, queries


def test_the_page_is_its_own_model_and_wagtail_serves_it(client):
    child = guidance_child()
    response = client.get(f"/guidance/{child.slug}/")
    assert response.status_code == 200
    assert type(response.context["page"]) is GuidancePage
    assert response.context["page"].pk == child.pk


def test_a_page_renamed_moves_address_at_once(client):
    child = guidance_child()
    old = f"/guidance/{child.slug}/"
    assert client.get(old).status_code == 200

    child.slug = "a-new-address"
    child.save_revision().publish()

    assert client.get(old).status_code == 404
    response = client.get("/guidance/a-new-address/")
    assert response.status_code == 200
    assert child.title in response.text


def test_a_page_unpublished_or_deleted_is_not_found(client):
    child = guidance_child()
    path = f"/guidance/{child.slug}/"
    assert client.get(path).status_code == 200

    child.unpublish()
    assert client.get(path).status_code == 404

    child.save_revision().publish()
    assert client.get(path).status_code == 200

    Page.objects.get(pk=child.pk).delete()
    assert client.get(path).status_code == 404


def test_another_kind_of_page_at_a_remembered_address_is_served_as_itself(client):
    # The remembered page type is a hint: a page of another type put at the same address is still found.
    child = guidance_child()
    path = f"/guidance/{child.slug}/"
    index = child.get_parent()
    assert client.get(path).status_code == 200
    slug = child.slug
    Page.objects.get(pk=child.pk).delete()

    from publishing.models import ReportIndexPage

    replacement = index.add_child(instance=ReportIndexPage(title="Reports again", slug=slug))
    replacement.save_revision().publish()

    response = client.get(path)
    assert response.status_code == 200
    assert type(response.context["page"]) is ReportIndexPage


def test_view_restrictions_still_apply(client):
    child = guidance_child()
    path = f"/guidance/{child.slug}/"
    assert client.get(path).status_code == 200

    PageViewRestriction.objects.create(page=child, restriction_type="password", password="secret")

    response = client.get(path)
    assert response.status_code == 200
    assert "password" in response.text.lower()
    assert 'name="password"' in response.text


def test_the_home_page_and_an_unknown_address(client):
    assert client.get("/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/guidance/no-such-page/").status_code == 404


def test_wagtail_utility_views_are_still_reached(client):
    # The page route must leave Wagtail's own _util/ views to Wagtail.
    assert client.get("/_util/login/").status_code == 200


def test_with_translated_pages_wagtail_routes_every_address(rf, settings):
    # Wagtail routes from the root page in the request's language, which the address alone does not give.
    request = rf.get("/guidance/", HTTP_HOST="testserver")
    assert routing.live_page_at(request, "guidance/") is not None
    settings.WAGTAIL_I18N_ENABLED = True
    routing._addresses_are_enough.cache_clear()
    try:
        assert routing.live_page_at(request, "guidance/") is None
    finally:
        settings.WAGTAIL_I18N_ENABLED = False
        routing._addresses_are_enough.cache_clear()
