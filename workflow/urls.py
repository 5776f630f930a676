"""The signed-in pages of the report process, one URL module per kind of user."""

from django.urls import include, path, register_converter

from .converters import RowIdConverter

register_converter(RowIdConverter, "row_id")

urlpatterns = [
    path("dashboard/", include("workflow.views.common")),
    path("assessor/", include(("workflow.views.assessor", "assessor"))),
    path("team/", include(("workflow.views.delivery", "delivery"))),
    path("assessment-team/", include(("workflow.views.assessment_team", "assessment_team"))),
    path("plus/", include(("workflow.views.plus", "plus"))),
    path("bookings/", include(("workflow.views.booking", "booking"))),
    path("services/", include(("workflow.views.services", "records"))),
    path("sign-in/", include(("workflow.views.signin", "signin"))),
]
