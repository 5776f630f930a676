"""Published pages are cached, send cache headers and validators, and publishing clears the cache."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests.cast import make_cast, report_in
from tests.factories import ServiceFactory
from workflow.models import ReportPage, ReportStatus
from workflow.services import transitions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


@pytest.fixture
def report():
    return report_in(ReportStatus.PUBLISHED, make_cast(service=ServiceFactory(name="Cached service")))


@pytest.mark.parametrize("which", ["report", "list", "filtered list", "feed", "sitemap", "sitemap page"])
@override_settings(PUBLIC_PAGE_CACHE_SECONDS=123)
def test_public_pages_send_cache_headers_and_validators(client, report, which):
    path = {
        "report": report.url,
        "list": "/reports/",
        "filtered list": "/reports/?result=amber",
        "feed": "/reports/feed/",
        "sitemap": "/sitemap.xml",
        "sitemap page": "/sitemap-pages.xml?p=1",
    }[which]
    first = client.get(path)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=123"
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"].endswith("GMT")
    assert "Cookie" in first["Vary"]
    assert first["X-Page-Cache"] == "miss"

    second = client.get(path)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]

    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_conditional_get_on_a_cold_cache_is_answered_304_too(client, report):
    etag = client.get(report.url)["ETag"]
    cache.clear()
    response = client.get(report.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_the_cached_page_is_served_without_the_database(client, report, django_assert_num_queries):
    client.get(report.url)
    with django_assert_num_queries(0):
        assert client.get(report.url)["X-Page-Cache"] == "hit"


def test_publishing_a_report_clears_the_cached_list(client, report):
    cast = make_cast(service=ServiceFactory(name="Newly published service"))
    assert report.pk in [r.pk for r in client.get("/reports/").context["reports"]]
    shared = report_in(ReportStatus.SHARED, cast)
    assert client.get("/reports/")["X-Page-Cache"] == "hit"  # sharing changes nothing public
    transitions.report_transition(report=shared, name="accept", user=cast.product_manager)
    response = client.get("/reports/")
    assert response["X-Page-Cache"] == "miss"
    assert "Newly published service" in response.text


def test_a_404_is_not_cached_and_publishing_then_serves_the_page(client):
    cast = make_cast(service=ServiceFactory(name="Soon published"))
    shared = report_in(ReportStatus.SHARED, cast)
    path = shared.url_path.removeprefix("/home")
    assert client.get(path).status_code == 404
    transitions.report_transition(report=shared, name="accept", user=cast.product_manager)
    assert client.get(path).status_code == 200


def test_unpublishing_clears_the_cache(client, report):
    path = report.url
    assert client.get(path).status_code == 200
    assert client.get(path)["X-Page-Cache"] == "hit"
    ReportPage.objects.get(pk=report.pk).unpublish()
    assert client.get(path).status_code == 404
    assert report.pk not in [r.pk for r in client.get("/reports/").context["reports"]]


def test_correcting_a_published_report_clears_the_cache(client, report):
    assert "Cached service" in client.get(report.url).text
    page = ReportPage.objects.get(pk=report.pk)
    page.title = "Corrected service name"
    page.save_revision().publish()
    assert "Corrected service name" in client.get(report.url).text


def test_signed_in_people_and_other_methods_bypass_the_cache(client, report):
    client.get(report.url)
    assert client.get(report.url)["X-Page-Cache"] == "hit"
    assert client.head(report.url)["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in client.post(report.url)
    client.force_login(make_cast().assessment_team)
    response = client.get(report.url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")
    assert "Sign out" in response.text


def test_the_cache_is_keyed_by_query_string(client, report):
    assert report.pk in [r.pk for r in client.get("/reports/?result=amber").context["reports"]]
    response = client.get("/reports/?result=red")
    assert response["X-Page-Cache"] == "miss"
    assert report.pk not in [r.pk for r in response.context["reports"]]


# The page cache on a Redis server nobody listens on: every call fails at once with a connection error.
REDIS_DOWN = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "redis-down"},
    "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
}


@override_settings(CACHES=REDIS_DOWN)
def test_with_the_cache_down_pages_are_built_from_the_database(client, report):
    for path in (report.url, "/reports/", "/reports/feed/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "X-Page-Cache" not in response
    assert "Cached service" in client.get("/reports/").text


@override_settings(CACHES=REDIS_DOWN)
def test_with_the_cache_down_accepting_still_publishes(client):
    cast = make_cast(service=ServiceFactory(name="Published without a cache"))
    shared = report_in(ReportStatus.SHARED, cast)
    client.force_login(cast.product_manager)

    response = client.post(reverse("delivery:accept", args=[shared.pk]))

    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.status == ReportStatus.PUBLISHED and shared.live
    assert Client().get(shared.url).status_code == 200


def redis_reachable() -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "with-redis"},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"},
    }
)
def test_on_redis_publishing_clears_what_every_web_machine_serves(client, report):
    from django.core.cache import caches

    caches["pages"].clear()
    assert client.get("/reports/")["X-Page-Cache"] == "miss"
    assert client.get("/reports/")["X-Page-Cache"] == "hit"

    later = report_in(ReportStatus.PUBLISHED, make_cast(service=ServiceFactory(name="Published on Redis")))

    response = client.get("/reports/")
    assert response["X-Page-Cache"] == "miss" and "Published on Redis" in response.text
    assert client.get(later.url).status_code == 200
    caches["pages"].clear()


@pytest.mark.parametrize("edit", ["standard", "assessment type"])
@override_settings(PUBLIC_PAGE_CACHE_SECONDS=123)
def test_the_team_editing_a_standard_or_an_assessment_type_clears_the_cached_pages(client, report, edit):
    assert client.get(report.url)["X-Page-Cache"] == "miss"
    assert client.get(report.url)["X-Page-Cache"] == "hit"

    assessment = report.assessment
    if edit == "standard":
        assessment.standard.name = "A renamed standard"
        assessment.standard.save()
        words = "A renamed standard"
    else:
        assessment.type.stage_suffix = "renamed review"
        assessment.type.save()
        words = "renamed review"

    response = client.get(report.url)
    assert response["X-Page-Cache"] == "miss"
    assert words in response.text


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=123)
def test_a_published_reports_assessment_changed_clears_the_cached_pages(client, report):
    assert client.get("/reports/")["X-Page-Cache"] == "miss"
    assert client.get("/reports/")["X-Page-Cache"] == "hit"

    assessment = report.assessment
    assessment.date = datetime.date(2020, 2, 29)
    assessment.save()

    response = client.get("/reports/")
    assert response["X-Page-Cache"] == "miss"
    assert "29 February 2020" in response.text


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=123)
def test_an_unpublished_reports_assessment_changed_leaves_the_cached_pages(client, report):
    draft = report_in(ReportStatus.DRAFT, make_cast(service=ServiceFactory(name="Draft service")))
    client.get("/reports/")
    assert client.get("/reports/")["X-Page-Cache"] == "hit"

    draft.assessment.date = datetime.date(2020, 2, 29)
    draft.assessment.save()

    assert client.get("/reports/")["X-Page-Cache"] == "hit"
