"""Answers the whole site gives the same way, whichever app made the response."""

from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers


class PrivateWhenSignedIn:
    """A response to a signed-in person is theirs alone: no proxy, CDN or shared browser cache may keep it, whatever
    the view said (a public page seen while signed in shows their name and their links). Public visitors keep the
    page cache's own headers (publishing.cache)."""

    HEADER = "private, no-store"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Asked before as well as after: the answer to signing out is still the signed-in person's.
        signed_in = self._signed_in(request)
        response = self.get_response(request)
        if signed_in or self._signed_in(request):
            response["Cache-Control"] = self.HEADER
            response.headers.pop("Expires", None)
            response.headers.pop("ETag", None)
            response.headers.pop("Last-Modified", None)
            patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def _signed_in(request) -> bool:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated


class MethodNotAllowedPage:
    """Django's views answer a wrong method (a GET of an address that only takes a form's POST, say, from a
    bookmark or a link in an old email) with an empty 405. People get a GOV.UK page saying what to do instead; the
    status and its Allow header stay, for programs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            response.content = render_to_string("405.html", {"method": request.method}, request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
