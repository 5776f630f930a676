"""The read-only headless API (Wagtail API v2 at /api/v2/): published reports, with their ratings and
actions, and guidance pages. The fields are declared here, not on the models, so workflow knows nothing of
the API."""

from django.db.models import Q
from rest_framework import serializers
from wagtail.api.conf import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from cms.models import GuidancePage
from workflow.models import ReportPage

from . import selectors


class ActionSerializer(serializers.Serializer):
    description = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.CharField()


class PointSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    rating = serializers.CharField()
    done_well = serializers.CharField()
    to_improve = serializers.CharField()
    actions = ActionSerializer(many=True)


class ServiceSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(source="service.public_id")
    name = serializers.CharField(source="service.name")
    department = serializers.CharField(source="service.department.name")


class AssessmentSerializer(serializers.Serializer):
    phase = serializers.CharField()
    stage = serializers.CharField(source="stage_label")
    reassessment = serializers.BooleanField(source="is_reassessment")
    date = serializers.DateField()


REPORT_API_FIELDS = [
    APIField("service", serializer=ServiceSerializer(source="assessment", read_only=True)),
    APIField("assessment_summary", serializer=AssessmentSerializer(source="assessment", read_only=True)),
    APIField("overall_rating"),
    APIField("service_description"),
    APIField("service_users"),
    APIField("points", serializer=PointSerializer(source="ratings", many=True, read_only=True)),
]
GUIDANCE_API_FIELDS = [APIField("summary"), APIField("body")]


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Only live, public guidance pages and published reports; nothing else, and nothing to write."""

    http_method_names = ["get", "head", "options"]

    @classmethod
    def get_body_fields(cls, model):
        extra = {ReportPage: REPORT_API_FIELDS, GuidancePage: GUIDANCE_API_FIELDS}.get(model, [])
        return cls._convert_api_fields(cls.body_fields + list(getattr(model, "api_fields", ())) + extra)

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(
                Q(id__in=GuidancePage.objects.live().public().values("id"))
                | Q(id__in=selectors.published_reports().values("id"))
            )
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is ReportPage:
            queryset = queryset.select_related("assessment__service__department").prefetch_related("ratings__actions")
        return queryset

    def check_query_parameters(self, queryset):
        if self.request.GET.get("type") and queryset.model not in (ReportPage, GuidancePage):
            raise BadRequestError("type must be workflow.ReportPage or cms.GuidancePage")
        return super().check_query_parameters(queryset)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
