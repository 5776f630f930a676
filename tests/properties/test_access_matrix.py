"""Who gets what, at every address the service answers.

Every URL pattern is found by walking the URL resolver. Each pattern the project owns must have a row in
tests/properties/access_matrix_data.MATRIX saying what each role gets; a new pattern without one fails here, and so
does a row for a pattern that has gone. Wagtail's and Django's own admin patterns (hundreds of them) are
held to one rule instead: nobody outside the central teams gets past the admin's sign-in.

One test per role requests every row of the matrix as that person, then every admin pattern the rule
covers, and reports every answer that differs from the matrix in one failure. Requests that change state
are also made as POSTs, each rolled back afterwards so that the next starts from the same reports; a POST
answered with a refusal must have changed nothing.
"""

import dataclasses
import datetime
import functools
import itertools
import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.regex_helper import normalize
from sesame.utils import get_token

from tests.cast import make_cast, report_in
from tests.factories import AssessmentFactory, DepartmentFactory, PanelMemberFactory, ServiceFactory

from .access_matrix_data import (
    ADMIN_LOGIN,
    DJANGO_ADMIN_LOGIN,
    MATRIX,
    PUBLIC_ADMIN_ROUTES,
    ROLES,
    Row,
)

PROJECT_MODULES = ("workflow", "cms", "publishing")
# The roles with no business in any admin: the rule below holds for them on every admin pattern.
OUTSIDE_ADMIN = ROLES[:6]
# Only staff (superusers here) use the Django admin; the central teams work in the Wagtail admin.
OUTSIDE_DJANGO_ADMIN = ROLES[:8]
CAST_MEMBER = {
    "other_service_pm": "other_service_product_manager",
    "product_manager": "product_manager",
    "assessor_not_on_panel": "assessor_not_on_panel",
    "panel_assessor": "researcher",
    "lead_assessor": "lead",
    "assessment_team": "assessment_team",
    "plus_team": "plus",
    "superuser": "superuser",
}


# --- the URL patterns ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str | None
    namespace: str
    chain: tuple  # the resolvers and pattern, outermost first
    urlconf: str  # the module of the outermost include, which says whose pattern it is


def _join(route: str, more: str) -> str:
    # As Django joins them for ResolverMatch.route, so a route found by resolving a URL compares equal.
    return more if not route else route + more.removeprefix("^")


def _urlconf_name(resolver: URLResolver) -> str:
    urlconf = resolver.urlconf_name
    return urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")


def endpoints() -> list[Endpoint]:
    found = []

    def walk(patterns, route, namespace, chain, urlconf):
        for pattern in patterns:
            here = _join(route, str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else namespace
                walk(
                    pattern.url_patterns,
                    here,
                    inner or pattern.namespace or "",
                    (*chain, pattern),
                    urlconf or _urlconf_name(pattern),
                )
            elif isinstance(pattern, URLPattern):
                found.append(Endpoint(here, pattern.name, namespace, (*chain, pattern), urlconf))

    walk(get_resolver().url_patterns, "", "", (), "")
    return found


def _is_admin(route: str) -> bool:
    return route.startswith(("admin/", "django-admin/"))


def _project_admin_namespaces_and_names() -> tuple[set[str], set[str]]:
    """The admin view sets and URLs the project registers (workflow/wagtail_hooks.py, workflow/admin/,
    cms/wagtail_hooks.py), told apart from Wagtail's own by the module that defines them or their model."""
    from wagtail import hooks
    from wagtail.admin.viewsets import viewsets

    get_resolver().url_patterns  # noqa: B018 - registers the view sets, as serving the first request does

    def ours(thing) -> bool:
        module = getattr(thing, "__module__", "") or ""
        return module.split(".")[0] in PROJECT_MODULES

    namespaces = set()
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if ours(type(viewset)) or (isinstance(model, type) and ours(model)):
            namespaces.add(viewset.url_namespace)
    names = {
        pattern.name
        for hook in hooks.get_hooks("register_admin_urls")
        if ours(hook)
        for pattern in hook()
        if getattr(pattern, "name", None)
    }
    return namespaces, names


def project_owned(endpoint: Endpoint, admin_namespaces: set[str], admin_names: set[str]) -> bool:
    if endpoint.route.startswith("django-admin/"):
        return False
    if endpoint.route.startswith("admin/"):
        return endpoint.namespace.split(":")[0] in admin_namespaces or endpoint.name in admin_names
    # Wagtail's page serving, last in cms/urls.py, answers for every page of the site tree.
    return endpoint.urlconf != "wagtail.urls"


# --- placeholder addresses for the admin rule ---------------------------------------------------------------

PLACEHOLDERS = ("1", "x", "00000000-0000-4000-8000-000000000001")


def _piece_options(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        names = re.findall(r"<(?:\w+:)?\w+>", route)
        options = []
        for values in itertools.product(PLACEHOLDERS, repeat=len(names)):
            pieces = re.split(r"<(?:\w+:)?\w+>", route)
            options.append("".join(itertools.chain.from_iterable(zip(pieces, [*values, ""], strict=True))))
        return options
    source = pattern.regex.pattern
    # A group that is a choice of words (the Django admin's app labels) takes its first word.
    words = {name: [choices.split("|")[0]] for name, choices in re.findall(r"\(\?P<(\w+)>([\w|]+)\)", source)}
    options = []
    for form, params in normalize(source):
        for values in itertools.product(*(words.get(param, PLACEHOLDERS) for param in params)):
            options.append(form % dict(zip(params, values, strict=True)))
    return [*options, "x/"]


@functools.cache
def admin_placeholders() -> list[tuple[Endpoint, str]]:
    """Every admin pattern the matrix does not list, with an address for it."""
    return [
        (endpoint, url)
        for endpoint in endpoints()
        if _is_admin(endpoint.route) and endpoint.route not in MATRIX and (url := placeholder_url(endpoint))
    ]


def placeholder_url(endpoint: Endpoint) -> str | None:
    """An address this pattern (and no other before it) answers, its arguments filled with made-up values."""
    for pieces in itertools.product(*(_piece_options(link.pattern) for link in endpoint.chain)):
        url = "/" + "".join(pieces)
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            continue
        if match.route == endpoint.route and match.func is endpoint.chain[-1].callback:
            return url
    return None


# --- the people and the reports -----------------------------------------------------------------------------


def _on_the_same_panel(cast, **fields):
    """The cast again around another assessment of the same service, with the same panel: each report status
    needs an assessment of its own."""
    assessment = AssessmentFactory(service=cast.assessment.service, **fields)
    for seat in cast.assessment.panel_members.all():
        PanelMemberFactory(assessment=assessment, user=seat.user, role=seat.role)
    return dataclasses.replace(cast, assessment=assessment)


def build_world():
    """The cast, a report in each status, and one of everything else an address can name."""
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from cms.models import AssessmentType, ServiceStandard
    from notify import kinds
    from notify.models import NotifyTemplates, OutboxEmail, OutboxStatus
    from workflow.models import (
        DeliveryTeamMember,
        Phase,
        PolicyFigures,
        ReportAction,
        ReportFormHelpTexts,
        ReportStatus,
    )
    from workflow.services import feedback
    from workflow.services.actions import action_record_progress
    from workflow.services.booking import booking_request
    from workflow.services.clarifications import clarification_ask
    from workflow.services.comments import comment_add
    from workflow.services.follow_ups import follow_up_request

    today = timezone.localdate()
    cast = make_cast(date=today - datetime.timedelta(days=30))
    # Asked for before any report has open amber actions, which would refuse it.
    booking = booking_request(service=cast.assessment.service, user=cast.product_manager, phase=Phase.PRIVATE_BETA)
    reports = {
        status: report_in(status, _on_the_same_panel(cast, date=today - datetime.timedelta(days=days)))
        for status, days in [
            (ReportStatus.DRAFT, 2),
            (ReportStatus.SUBMITTED, 4),
            (ReportStatus.CHECKED, 6),
            (ReportStatus.SHARED, 8),
            (ReportStatus.CHALLENGED, 10),
            (ReportStatus.PUBLISHED, 12),
        ]
    }
    draft = reports[ReportStatus.DRAFT]
    action = ReportAction.objects.filter(rating__report=draft, rating__number=6).get()
    comment = comment_add(report=draft, user=cast.lead, text="Is point 6 amber?", point_number=6)
    published = reports[ReportStatus.PUBLISHED]
    published_action = ReportAction.objects.filter(rating__report=published).get()
    follow_up = follow_up_request(
        report=published, user=cast.product_manager, support="call", actions=[published_action], details="Point 6."
    )
    # The delivery team's work on its actions: one open (published_action), one waiting for review.
    ready_action = ReportAction.objects.create(rating=published_action.rating, description="Test with users.")
    action_record_progress(action=ready_action, user=cast.product_manager, text="Tested.", ready_for_review=True)
    ready_action.refresh_from_db()
    shared_action = ReportAction.objects.filter(rating__report=reports[ReportStatus.SHARED]).get()
    challenged_comment = comment_add(
        report=reports[ReportStatus.CHALLENGED], user=cast.lead, text="The team is right.", point_number=6
    )
    email = OutboxEmail.objects.exclude(kind__in=kinds.SECRET_KINDS).order_by("created_at").first()
    OutboxEmail.objects.filter(pk=email.pk).update(status=OutboxStatus.FAILED, attempts=10, last_error="HTTP 500")
    question = clarification_ask(
        report=reports[ReportStatus.SHARED], user=cast.product_manager, rating_id=None, question="Why amber?"
    )

    survey = feedback.survey_page()
    invitation = feedback.invitation(assessment=reports[ReportStatus.PUBLISHED].assessment, email="kim@example.gov.uk")
    document = get_document_model().objects.create(
        title="Guidance for assessors", file=ContentFile(b"Guidance.", name="guidance.txt")
    )
    # Rows written by a process that never loaded the admin's URLs (manage.py seed_demo, a shell, a data
    # migration) have no entries in Wagtail's reference index, so the admin cannot see what protects them.
    with disable_reference_index_auto_update():
        seeded = ServiceFactory(department=DepartmentFactory(name="Department seeded by a command")).department
    private = Collection.get_first_root_node().add_child(name="Private")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="the-password"
    )

    answers = {
        field.clean_name: "Great" if field.field_type == "radio" else "Well run." for field in survey.get_form_fields()
    }
    ids = {
        **{str(status): report.pk for status, report in reports.items()},
        **{f"{status}_slug": report.slug for status, report in reports.items()},
        "draft_version": draft.version,
        "submitted_version": reports[ReportStatus.SUBMITTED].version,
        "rating_version": draft.ratings.get(number=1).version,
        "action": action.pk,
        "comment": comment.pk,
        "challenged_comment": challenged_comment.pk,
        "published_action": published_action.pk,
        "follow_up": follow_up.pk,
        "ready_action": ready_action.pk,
        "ready_action_version": ready_action.version,
        "shared_action": shared_action.pk,
        "question": question.pk,
        "action_version": action.version,
        "fresh": cast.assessment.pk,
        "service": cast.assessment.service_id,
        "department": cast.assessment.service.department_id,
        "seeded_department": seeded.pk,
        "panel_member": cast.assessment.panel_members.get(user=cast.researcher).pk,
        "delivery_team_member": DeliveryTeamMember.objects.get(user=cast.sro).pk,
        "booking": booking.pk,
        "outbox": email.pk,
        "standard": ServiceStandard.objects.get(name="GOV.UK Service Standard").pk,
        "assessment_type": AssessmentType.objects.get(slug="peer-review").pk,
        "report_form": AssessmentType.objects.get(slug="assessment").report_form_id,
        "survey": survey.pk,
        "invitation": invitation.pk,
        "invitation_token": invitation.token,
        "survey_answers": {**answers, "token": str(invitation.token)},
        "survey_answers_without_token": answers,
        "document": document.pk,
        "document_file": os.path.basename(document.file.name),
        "restriction": restriction.pk,
        "token": get_token(cast.sro),
        "sro_email": cast.sro.email,
        "notify_templates": NotifyTemplates.load().pk,
        "help_texts": ReportFormHelpTexts.load().pk,
        "policy_figures": PolicyFigures.load().pk,
        "person": cast.assessor_not_on_panel.pk,
        "person_form": {
            "first_name": "Changed",
            "last_name": cast.assessor_not_on_panel.last_name,
            "email": cast.assessor_not_on_panel.email,
            "is_active": "on",
            "roles": "Assessors",
        },
        "superuser_person": cast.superuser.pk,
        "plus_person": cast.plus.pk,
        # The challenge meeting's form: a day next year, with the lead assessor invited.
        "meeting_lead": cast.lead.pk,
        "meeting_year": today.year + 1,
        "correction": correction_data(reports[ReportStatus.PUBLISHED]),
    }
    return cast, ids


def correction_data(report) -> dict:
    """The correction page's answers for a published report, as shown, with point 6 corrected and a change note."""
    data = {
        "report-version": report.version,
        "report-service_description": report.service_description,
        "report-service_users": report.service_users,
        "note": "Corrected point 6.",
    }
    for rating in report.ratings.prefetch_related("actions"):
        prefix = f"point-{rating.number}"
        data |= {f"{prefix}-version": rating.version, f"{prefix}-done_well": rating.done_well}
        data[f"{prefix}-to_improve"] = "Corrected." if rating.number == 6 else rating.to_improve
        for action in rating.actions.all():
            data |= {
                f"action-{action.pk}-version": action.version,
                f"action-{action.pk}-description": action.description,
            }
    return data


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for all the roles, in a transaction rolled back after the last. Each test's own transaction
    (pytest-django's) nests inside it as a savepoint, so every role starts from the same database."""
    media = tmp_path_factory.mktemp("media")
    # Documents are served from files on disk, as in production; the test settings' in-memory storage
    # claims paths it never writes to.
    storages = {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    # A web process has loaded its URLs, and with them registered the admin's models with Wagtail's reference
    # index, before anyone saves anything: without that, the rows built here would have no references, and
    # the admin's delete views would not know a department with services cannot be deleted.
    get_resolver().url_patterns  # noqa: B018
    with override_settings(MEDIA_ROOT=media, STORAGES=storages), django_db_blocker.unblock(), transaction.atomic():
        cast, ids = build_world()
        yield cast, ids, fingerprint()
        transaction.set_rollback(True)


@functools.cache
def _fingerprint_queries() -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.models import Page, Revision

    from cms.models import AssessmentType, ReportForm, ServiceStandard, ServiceStandardPoint
    from notify.models import NotifyTemplates, OutboxEmail
    from workflow.models import (
        ActionUpdate,
        Assessment,
        BookingRequest,
        Clarification,
        DeliveryTeamMember,
        Department,
        FeedbackInvitation,
        PanelMember,
        PointRating,
        PolicyFigures,
        ReportAction,
        ReportComment,
        ReportCorrection,
        ReportFormHelpTexts,
        ReportPage,
        ReportStatusChange,
        Service,
    )
    from workflow.models.feedback import FeedbackSubmission

    def every_field(model):
        return tuple(field.attname for field in model._meta.concrete_fields if not field.primary_key)

    rows = {
        Department: ("name", "slug"),
        Service: ("name", "department_id", "description"),
        Assessment: ("service_id", "date", "phase"),
        PanelMember: ("assessment_id", "user_id", "role"),
        DeliveryTeamMember: ("service_id", "user_id", "role"),
        Page: ("title", "slug", "live", "locked", "has_unpublished_changes", "path"),
        ReportPage: ("status", "version", "overall_rating", "service_description", "service_users", "answers"),
        PointRating: ("rating", "version", "done_well", "to_improve", "answers"),
        ReportAction: ("description", "version", "status", "due_date", "ready_for_review_at", "closed_at"),
        ActionUpdate: ("action_id", "kind", "text"),
        ReportStatusChange: ("transition",),
        ReportComment: ("text", "point_number", "parent_id", "resolved_at", "resolved_by_id"),
        ReportCorrection: ("report_id", "note", "made_by_id"),
        BookingRequest: ("status",),
        Clarification: ("question", "rating_id", "answer", "answered_at", "working_days_added"),
        OutboxEmail: ("status", "attempts"),
        FeedbackInvitation: ("email", "used_at"),
        FeedbackSubmission: ("form_data",),
        ServiceStandard: ("name", "version", "status"),
        ServiceStandardPoint: ("title",),
        AssessmentType: ("name", "published", "scope", "report_form"),
        ReportForm: ("name", "report_questions", "point_questions"),
        NotifyTemplates: every_field(NotifyTemplates),
        ReportFormHelpTexts: every_field(ReportFormHelpTexts),
        PolicyFigures: every_field(PolicyFigures),
        Revision: ("object_id",),
        get_document_model(): ("title",),
        get_user_model(): ("email", "first_name", "last_name", "password", "is_active", "is_staff", "is_superuser"),
        get_user_model().groups.through: ("group_id",),
        get_user_model().user_permissions.through: ("permission_id",),
    }
    quote = connection.ops.quote_name
    queries = []
    for model, fields in rows.items():
        opts = model._meta
        columns = ", ".join(quote(column) for column in [opts.pk.column, *(opts.get_field(f).column for f in fields)])
        # Names from the models themselves, quoted: nothing here comes from a request.
        queries.append((model.__name__, f"SELECT {columns} FROM {quote(opts.db_table)} ORDER BY 1"))  # noqa: S608
    return queries


def fingerprint() -> dict:
    """What a refused request must leave as it was: every row people or the service can change (not sessions
    or sign-in times, which signing in changes). Plain SQL: it runs after every POST."""
    with connection.cursor() as cursor:
        found = {}
        for name, sql in _fingerprint_queries():
            cursor.execute(sql)
            found[name] = cursor.fetchall()
    return found


# --- asking, and comparing answers ---------------------------------------------------------------------------


def answer_of(response) -> str:
    if 300 <= response.status_code < 400:
        return f"{response.status_code} {urlsplit(response['Location']).path}"
    return str(response.status_code)


def _fill(value, ids):
    return value.format(**ids) if isinstance(value, str) else value


def parse(expected, ids) -> tuple[str, bool]:
    """The expected answer as answer_of writes it, and whether the request must change the database."""
    text = _fill(str(expected), ids)
    return text.removesuffix(" !"), text.endswith(" !")


def matches(seen: str, expected: str) -> bool:
    if expected.endswith("*"):
        return seen.startswith(expected[:-1])
    return seen == expected


def _why(response) -> str:
    info = getattr(response, "exc_info", None)
    return f" ({info[0].__name__}: {info[1]})" if info else ""


class RolledBack(Exception):
    pass


def post_rolled_back(client, url, data, before) -> tuple[object, bool | None]:
    """POSTs, notes whether the database changed from `before`, and undoes it. None: the request broke the
    transaction."""
    changed = None
    try:
        with transaction.atomic():
            response = client.post(url, data or {})
            try:
                changed = fingerprint() != before
            except Exception:  # noqa: BLE001 - a broken transaction is itself the finding
                changed = None
            raise RolledBack
    except RolledBack:
        pass
    return response, changed


PRIVATE = {"private", "no-store"}


def _directives(header: str) -> set[str]:
    return {directive.strip().lower() for directive in header.split(",") if directive.strip()}


def sign_in(client, cast, role):
    client.cookies.clear()
    if role != "anonymous":
        client.force_login(getattr(cast, CAST_MEMBER[role]))
    return session_of(client)


def session_of(client) -> str | None:
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def rows_of(entry) -> list[Row]:
    return entry if isinstance(entry, list) else [entry]


# --- the tests -----------------------------------------------------------------------------------------------


def test_every_project_url_has_an_entry_and_every_entry_a_url():
    namespaces, names = _project_admin_namespaces_and_names()
    found = endpoints()
    routes = {endpoint.route for endpoint in found}
    problems = [
        f"new URL {endpoint.route} ({endpoint.name or 'unnamed'}) has no entry in the access matrix: "
        "add what each role should get to tests/properties/access_matrix_data.py"
        for endpoint in found
        if project_owned(endpoint, namespaces, names) and endpoint.route not in MATRIX
    ]
    problems += [
        f"the access matrix has an entry for {route}, which is no longer a URL: remove it"
        for route in [*MATRIX, *PUBLIC_ADMIN_ROUTES]
        if route not in routes
    ]
    # Each row's address must reach the pattern it is filed under, not one before it.
    placeholders = set(re.findall(r"{(\w+)}", repr(MATRIX)))
    for route, entry in MATRIX.items():
        for row in rows_of(entry):
            reached = set()
            for value in PLACEHOLDERS:
                try:
                    reached.add(resolve(row.url.format(**dict.fromkeys(placeholders, value)).split("?")[0]).route)
                except Resolver404:
                    reached.add("nothing")
            if route in routes and route not in reached:
                problems.append(f"the row {row.url} is filed under {route} but reaches {', '.join(sorted(reached))}")
    assert not problems, "\n".join(problems)


def test_every_admin_pattern_can_be_given_a_placeholder_address():
    found = endpoints()
    # A pattern of Wagtail's that the project answers for itself, earlier in cms/urls.py (signing out), is
    # reached through the project's own.
    ours = {e.route for e in found if len(e.chain) == 1 and _is_admin(e.route)}
    unreachable = [
        e.route
        for e in found
        if _is_admin(e.route) and not (len(e.chain) > 1 and e.route in ours) and placeholder_url(e) is None
    ]
    assert not unreachable, "no placeholder address reaches: " + ", ".join(unreachable)


@pytest.fixture
def quiet_refusals():
    """Hundreds of refusals are the point here: logging each 4xx (and each sign-in django-axes records) only
    slows the run. Errors are still logged."""
    loggers = [logging.getLogger(name) for name in ("django.request", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(role, world, quiet_refusals):
    cast, ids, as_built = world
    client = Client(raise_request_exception=False)
    session = sign_in(client, cast, role)
    column = ROLES.index(role)
    wrong = []

    def ask(method, url, data=None):
        nonlocal session
        if method == "GET":
            response, changed = client.get(url), False
        else:
            response, changed = post_rolled_back(client, url, data, as_built)
        # Messages nobody reads would pile up in the cookie (then the session) and slow every later request.
        client.cookies.pop("messages", None)
        # Signing in or out changes who the next request is from: undone in the database by the rollback, but not
        # in the client.
        if session_of(client) != session:
            session = sign_in(client, cast, role)
        # No cache but the person's own browser may keep any answer to a signed-in person.
        if role != "anonymous" and not PRIVATE.issubset(_directives(response.get("Cache-Control", ""))):
            wrong.append(f"{method} {url} as {role}: Cache-Control {response.get('Cache-Control')!r}, not private")
        return response, changed

    def check(method, url, expected, data=None):
        response, changed = ask(method, url, data)
        seen = answer_of(response)
        want, must_change = parse(expected, ids)
        if not matches(seen, want):
            wrong.append(f"{method} {url} as {role}: got {seen}{_why(response)}, expected {want}")
        elif changed is None:
            wrong.append(f"{method} {url} as {role}: the request broke the database transaction")
        elif changed != must_change:
            what = "changed nothing" if must_change else "CHANGED the database"
            wrong.append(f"{method} {url} as {role}: answered {seen} but {what}")

    rows = [row for entry in MATRIX.values() for row in rows_of(entry)]
    for row in rows:
        check("GET", _fill(row.url, ids), row.get[column])

    # The admin rule, for every admin pattern the matrix does not list.
    if role in OUTSIDE_DJANGO_ADMIN:
        for endpoint, url in admin_placeholders():
            django = endpoint.route.startswith("django-admin/")
            if not django and role not in OUTSIDE_ADMIN:
                continue  # the central teams in the Wagtail admin: the matrix rows say what they get
            seen = answer_of(ask("GET", url)[0])
            if endpoint.route in PUBLIC_ADMIN_ROUTES:
                if seen.startswith("5"):
                    wrong.append(f"GET {url} as {role}: got {seen}")
                continue
            login = DJANGO_ADMIN_LOGIN if django else ADMIN_LOGIN
            if seen not in (login, "403"):
                wrong.append(f"GET {url} as {role}: got {seen}, expected {login} or 403")

    for row in rows:
        if row.post is not None:
            data = ids[row.data] if isinstance(row.data, str) else row.data or {}
            data = {key: _fill(value, ids) for key, value in data.items()}
            check("POST", _fill(row.url, ids), row.post[column], data)

    assert not wrong, f"{len(wrong)} answers differ from the access matrix:\n" + "\n".join(wrong)
