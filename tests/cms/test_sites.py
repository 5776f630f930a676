"""The request's Wagtail Site comes from the shared cache (cms.sites): the same Site Wagtail's own query would choose,
one query fewer on every page, and an edited Site is answered at once."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from cms import sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def several_sites():
    default = Site.objects.get(is_default_site=True)
    root = default.root_page
    Site.objects.create(hostname="reports.example.gov.uk", port=443, root_page=root)
    Site.objects.create(hostname="reports.example.gov.uk", port=8443, root_page=root)
    Site.objects.create(hostname="other.example.gov.uk", port=80, root_page=root)
    return default


@pytest.mark.parametrize(
    ("hostname", "port"),
    [
        ("reports.example.gov.uk", 443),
        ("reports.example.gov.uk", 8443),
        ("reports.example.gov.uk", 80),  # two Sites with the hostname, neither on this port: the default
        ("other.example.gov.uk", 80),
        ("other.example.gov.uk", 8080),  # one Site with the hostname, on another port: that one
        ("unknown.example.gov.uk", 80),
        ("127.0.0.1", 8000),
    ],
)
def test_the_cached_sites_choose_as_wagtail_does(several_sites, hostname, port):
    try:
        wagtails = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        wagtails = None
    assert sites.site_for(hostname, port) == wagtails


def test_no_default_site_and_an_unknown_host_is_no_site(several_sites):
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    sites.forget()
    assert sites.site_for("unknown.example.gov.uk", 80) is None
    assert sites.site_for("reports.example.gov.uk", 80) is None  # as Wagtail: several on other ports, none chosen


def test_a_page_takes_one_query_fewer_and_an_edited_site_is_answered_at_once(client):
    client.get("/guidance/")  # fills the caches, as a running server has them
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/guidance/").status_code == 200
    assert not [q for q in queries.captured_queries if 'FROM "wagtailcore_site"' in q["sql"]]

    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed"
    site.save()
    response = client.get("/guidance/")
    assert response.wsgi_request._wagtail_site.site_name == "Renamed"

    other = Page.objects.get(depth=1).add_child(instance=Page(title="Another home", slug="another-home"))
    site.root_page = other
    site.save()
    assert client.get("/guidance/").status_code == 404  # the guidance is not under the new root page


def test_without_the_cache_the_sites_come_from_the_database(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(caches["pages"], "get", broken)
    monkeypatch.setattr(caches["pages"], "set", broken)
    response = client.get("/guidance/")
    assert response.status_code == 200
    assert response.wsgi_request._wagtail_site == Site.objects.get(is_default_site=True)
    assert "Shared cache unavailable (cms:sites)" in caplog.text
