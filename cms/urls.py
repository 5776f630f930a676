from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import routing

# The database going away gets its own page (503, nothing was saved, try again); every other fault the 500 page.
handler500 = "cms.views.server_error"

# Signing out: a GET only asks "Sign out?" and changes nothing, the form's POST (with its CSRF token) ends the session
# on the server. Wagtail's own admin sign-out view is not used: it deletes the session cookie on every answer, even
# a 405 to a GET or a 403 to a forged POST, without ending the session, so an <img> elsewhere could sign people
# out of this browser while a copy of the cookie went on working.
SIGN_OUT_METHODS = ["get", "post", "options"]
SIGN_OUT_PAGE = "registration/sign_out.html"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before the Wagtail admin's URLs, so that this view answers for its "Log out" (which POSTs here).
    path(
        "admin/logout/",
        auth_views.LogoutView.as_view(
            http_method_names=SIGN_OUT_METHODS, template_name=SIGN_OUT_PAGE, next_page="wagtailadmin_login"
        ),
        name="admin_sign_out",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sign-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path(
        "sign-out/",
        auth_views.LogoutView.as_view(http_method_names=SIGN_OUT_METHODS, template_name=SIGN_OUT_PAGE),
        name="logout",
    ),
    # Notify's delivery receipts: the address is set in Notify, so it stays /notify/callback/.
    path("notify/", include("notify.urls")),
    path("", include("workflow.urls")),
    path("", include("publishing.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every page not matched above, so it comes last: its pages found through cms.routing (one query for a
# page, not one or two per level), and its own utility views (under _util/) as Wagtail's URLs give them.
urlpatterns += [
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", routing.serve),
    path("", include(wagtail_urls)),
]
