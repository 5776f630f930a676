"""The read-only headless API (Wagtail API v2 at /api/v2/): published reports, with their ratings and
actions, and guidance pages. The fields are declared here, not on the models, so workflow knows nothing of
the API."""

from bisect import bisect_left

from django.db.models import Q
from rest_framework import serializers
from rest_framework.fields import SkipField
from wagtail.api.conf import APIField
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import (
    DetailUrlField,
    PageHtmlUrlField,
    PageParentField,
    PageSerializer,
    StreamField,
    get_serializer_class,
)
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, Site

from cms import figures
from cms.models import GuidancePage
from cms.public_address import absolute_url, page_url, rebased
from workflow import questions
from workflow.models import ReportPage

from . import selectors
from .models import ListedReport


class ActionSerializer(serializers.Serializer):
    description = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.CharField()


class ReportAnswersField(serializers.Field):
    """The answers to the report's published questions that have no field of their own, as the JSON export has
    them; never an unpublished one."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, report):
        return questions.open_answers(report, questions.REPORT)


class PointAnswersField(ReportAnswersField):
    def to_representation(self, rating):
        # The ratings come prefetched from their report, which they keep: no query each.
        return questions.open_answers(rating.report, questions.POINT, rating)


class PointSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    rating = serializers.CharField()
    done_well = serializers.CharField()
    to_improve = serializers.CharField()
    answers = PointAnswersField()
    actions = ActionSerializer(many=True)


class ServiceSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(source="service.public_id")
    name = serializers.CharField(source="service.name")
    department = serializers.CharField(source="service.department.name")


class StandardSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    phase = serializers.CharField()
    stage = serializers.CharField(source="stage_label")
    type = serializers.CharField(source="type.name")
    reassessment = serializers.BooleanField(source="is_reassessment")
    date = serializers.DateField()
    standard = StandardSerializer()


REPORT_API_FIELDS = [
    APIField("service", serializer=ServiceSerializer(source="assessment", read_only=True)),
    APIField("assessment_summary", serializer=AssessmentSerializer(source="assessment", read_only=True)),
    APIField("overall_rating"),
    APIField("service_description"),
    APIField("service_users"),
    APIField("answers", serializer=ReportAnswersField()),
    APIField("points", serializer=PointSerializer(source="ratings", many=True, read_only=True)),
    # The day of the latest correction (the page's "Updated on"), null for a report never corrected.
    APIField("updated", serializer=serializers.DateField(source="updated_on", read_only=True)),
]


class BodyWithFigures(StreamField):
    """A content page's body as Wagtail's API gives it, with the figures its text names (`{SHARE_WITHIN_DAYS}`) as
    they stand, as the page itself shows them (cms.figures)."""

    def to_representation(self, value):
        return _with_figures(super().to_representation(value), figures.in_force(self.context.get("request")))


def _with_figures(value, in_force):
    if isinstance(value, str):
        return figures.fill(value, in_force)
    if isinstance(value, list):
        return [_with_figures(item, in_force) for item in value]
    if isinstance(value, dict):
        return {key: _with_figures(item, in_force) for key, item in value.items()}
    return value


GUIDANCE_API_FIELDS = [APIField("summary"), APIField("body", serializer=BodyWithFigures())]


# As long as the public reports list's search box: a longer query is no search a person types, and every word
# nests one more level in the SQLite search expression, so thousands of words overflow Python's stack.
SEARCH_LIMIT = 200
# Far beyond any number of pages. Past 2**63 SQLite and PostgreSQL fail (a 500) instead of finding nothing.
OFFSET_LIMIT = 2**31 - 1


def refuse_hostile_query(request) -> None:
    """Refuses, with a 400 and a message, the query parameters that Wagtail's API would pass on until the database
    or the search backend failed (a 500); and makes a search with double quotes safe on SQLite."""
    query = request.GET
    if any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()):
        # PostgreSQL cannot hold NUL in text, and SQLite's full-text search ends its string there.
        raise BadRequestError("query parameters cannot contain NUL (0x00) characters")
    search = query.get("search")
    if search is not None and len(search) > SEARCH_LIMIT:
        raise BadRequestError(f"search must be {SEARCH_LIMIT} characters or fewer")
    if query.get("search_operator", "or") not in ("and", "or"):
        raise BadRequestError("search_operator must be 'and' or 'or'")
    offset = query.get("offset", "0")
    if offset.isascii() and offset.strip().isdigit() and int(offset) > OFFSET_LIMIT:
        raise BadRequestError(f"offset cannot be higher than {OFFSET_LIMIT}")
    if search is not None and (not search.strip() or '"' in search):
        # SQLite's full-text search quotes each word and fails on an unpaired quote inside one; the search
        # ignores punctuation anyway, so a quote is searched as the space it is. A search with no words at all
        # fails in the search backend: it is no search, so it is dropped.
        query = request._request.GET = query.copy()
        query["search"] = search.replace('"', " ")
        if not query["search"].strip():
            del query["search"]


# Wagtail builds the API's absolute URLs from WAGTAILAPI_BASE_URL or the Site the request came in on; ours come
# from BASE_URL, like every other public link, whatever host name the request used.


class PublicHtmlUrlField(PageHtmlUrlField):
    def to_representation(self, page):
        return page_url(page)


class PublicDetailUrlField(DetailUrlField):
    def get_attribute(self, instance):
        path = self.context["router"].get_object_detail_urlpath(type(instance), instance.pk)
        if not path:
            raise SkipField
        return absolute_url(path)


class PublicRelatedPageField(PageParentField):
    """A related page (parent, alias_of) as Wagtail shows it, with its URLs from BASE_URL."""

    def to_representation(self, value):
        serializer_class = get_serializer_class(
            value.__class__,
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=PublicPageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)


class PublicAliasOfField(PublicRelatedPageField):
    def get_attribute(self, instance):
        return instance.alias_of


class PublicPageSerializer(PageSerializer):
    detail_url = PublicDetailUrlField(read_only=True)
    html_url = PublicHtmlUrlField(read_only=True)
    parent = PublicRelatedPageField(read_only=True)
    alias_of = PublicAliasOfField(read_only=True)


# The query parameters of the whole list in Wagtail's order, a page at a time: what other systems read to take
# everything. Any other (a search, a filter, a type, an order) is answered by Wagtail's own query.
WHOLE_LIST = frozenset({"offset", "limit", "fields", "format"})


class WholeList:
    """Every public page in the API's order (Wagtail's tree order, `path`), counted and sliced as Wagtail's paginator
    does a queryset, without reading every page: the reports come from their list rows (`ListedReport`) by an index on
    their path, the guidance pages (a few dozen) are read whole, and the two are merged. A slice is then read as pages
    through the endpoint's own rules (`pages(ids)`), so a list row left by mistake shows nothing the API would not."""

    def __init__(self, guidance, reports, pages):
        self.guidance = list(guidance.order_by("path").values_list("path", "pk"))
        self.reports = reports.order_by("path", "report")
        self.pages = pages

    def count(self) -> int:
        return len(self.guidance) + self.reports.count()

    def __getitem__(self, window: slice):
        start, stop = window.start, window.stop
        # Every guidance page might come before the window: from that many reports before it, the reports read reach
        # each one in the window, and where each page of either kind falls in the whole list is then known exactly.
        first = max(0, start - len(self.guidance))
        reports = list(self.reports.values_list("path", "report")[first:stop]) if stop > first else []
        guidance_paths = [path for path, _ in self.guidance]
        report_paths = [path for path, _ in reports]
        placed = [(first + i + bisect_left(guidance_paths, path), pk) for i, (path, pk) in enumerate(reports)]
        placed += [(j + first + bisect_left(report_paths, path), pk) for j, (path, pk) in enumerate(self.guidance)]
        ids = [pk for place, pk in sorted(placed) if start <= place < stop]
        return self.pages(ids).filter(pk__in=ids).order_by("path")


class PublicPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        if view is not None and queryset.model is Page and set(request.GET) <= WHOLE_LIST:
            queryset = view.whole_list() or queryset
        return super().paginate_queryset(queryset, request, view)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Only live, public guidance pages and published reports; nothing else, and nothing to write."""

    http_method_names = ["get", "head", "options"]
    base_serializer_class = PublicPageSerializer
    pagination_class = PublicPagination

    def find_view(self, request):
        response = super().find_view(request)
        response["Location"] = rebased(response["Location"])
        return response

    @classmethod
    def get_body_fields(cls, model):
        extra = {ReportPage: REPORT_API_FIELDS, GuidancePage: GUIDANCE_API_FIELDS}.get(model, [])
        return cls._convert_api_fields(cls.body_fields + list(getattr(model, "api_fields", ())) + extra)

    def get_base_queryset(self, ids=None):
        """What the API shows: live, public guidance pages and published reports (of these ids, when given)."""
        guidance = GuidancePage.objects.live().public()
        reports = selectors.published_reports()
        if ids is not None:
            guidance, reports = guidance.filter(pk__in=ids), reports.filter(pk__in=ids)
        return super().get_base_queryset().filter(Q(id__in=guidance.values("id")) | Q(id__in=reports.values("id")))

    def whole_list(self) -> WholeList | None:
        site = Site.find_for_request(self.request)
        if site is None:  # Wagtail's own query refuses the request
            return None
        guidance = GuidancePage.objects.live().public().descendant_of(site.root_page, inclusive=True)
        return WholeList(guidance, ListedReport.objects.all(), pages=lambda ids: self.get_base_queryset(ids))

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is ReportPage:
            queryset = queryset.select_related(
                "assessment__service__department", "assessment__type", "assessment__standard"
            ).prefetch_related("ratings__actions")
        return queryset

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_hostile_query(request)

    def find_object(self, queryset, request):
        if "id" in request.GET:
            try:
                int(request.GET["id"])
            except ValueError as error:
                # Wagtail passes the id to the database as it is, and a word there is an error (a 500).
                raise BadRequestError("id must be a whole number") from error
        return super().find_object(queryset, request)

    def check_query_parameters(self, queryset):
        if self.request.GET.get("type") and queryset.model not in (ReportPage, GuidancePage):
            raise BadRequestError("type must be workflow.ReportPage or cms.GuidancePage")
        return super().check_query_parameters(queryset)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
