"""The email outbox in the Wagtail admin: every email's status, attempts and last error, a filter by status,
search by address, and a "Resend" action for failed ones. Nobody adds, edits or deletes outbox rows by
hand. A panel on the admin dashboard tells the people who see the outbox when emails have failed.

The Notify template ids are a setting (Settings > Notify templates), registered in notify.models.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import OutboxEmail, OutboxStatus
from .outbox import CannotResend, resend

# The outbox list's query for its failed emails (?emails=failed: OutboxFilterSet.emails), for other apps to link to.
FAILED_FILTER = ("emails", "failed")


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """Rows are written by the service only: nobody, not even a superuser, adds, edits or deletes them."""

    WRITE = frozenset({"add", "change", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.WRITE])


register_permission_policy(OutboxEmail, OutboxPermissionPolicy(OutboxEmail))


def _error(email: OutboxEmail) -> str:
    return Truncator(email.last_error).chars(90)


class OutboxFilterSet(WagtailFilterSet):
    # Named as FAILED_FILTER's parameter (tests/notify/test_outbox_admin.py follows the link).
    emails = django_filters.ChoiceFilter(
        label="Your actions",
        choices=[(FAILED_FILTER[1], "Failed, to resend")],
        empty_label="All",
        widget=forms.RadioSelect,
        method="filter_emails",
    )

    def filter_emails(self, queryset, name, value):
        return queryset.failed() if value == FAILED_FILTER[1] else queryset


class OutboxIndexView(generic.IndexView):
    base_filterset_class = OutboxFilterSet

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.can_resend and self.user_has_permission("resend"):
            buttons.append(Button("Resend", url=_resend_url(instance), icon_name="redirect", priority=5))
        return buttons


class OutboxInspectView(generic.InspectView):
    def get_field_label(self, field_name, field):
        return "About" if field_name == "subject" else super().get_field_label(field_name, field)

    def get_subject_display_value(self):
        subject = self.object.subject
        if subject is None:
            return "-"
        url = subject_url(subject, self.request.user)
        return format_html('<a href="{}">{}</a>', url, subject) if url else str(subject)

    def get_personalisation_display_value(self):
        if self.object.is_secret:
            return "Not shown: it holds a sign-in link."
        return "\n".join(f"{key}: {value}" for key, value in self.object.personalisation.items())

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.object.can_resend and self.user_has_permission("resend"):
            buttons = [HeaderButton("Resend", url=_resend_url(self.object), icon_name="redirect"), *buttons]
        return buttons


# The app that an email is about says where the admin shows that subject: a function registered for this hook takes
# (subject, user) and answers a URL, or None to leave it to the next, and at last to Wagtail's own admin URL finder.
SUBJECT_URL_HOOK = "notify_subject_admin_url"


def subject_url(subject, user) -> str | None:
    for find in hooks.get_hooks(SUBJECT_URL_HOOK):
        if url := find(subject, user):
            return url
    return AdminURLFinder(user).get_edit_url(subject)


def _resend_url(email: OutboxEmail) -> str:
    return reverse("outbox:resend", args=[email.pk])


class ResendView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks to confirm; POST resends and goes back to the email."""

    model = OutboxEmail
    permission_required = "resend"
    template_name = "notify/confirm_resend.html"
    page_title = "Resend email"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(OutboxEmail, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("outbox:index"), "label": "Email outbox"},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            email=self.object,
            inspect_url=reverse("outbox:inspect", args=[self.object.pk]),
            resend_url=_resend_url(self.object),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            sent = resend(self.object)
        except CannotResend as refusal:
            messages.error(request, str(refusal))
            return redirect("outbox:inspect", self.object.pk)
        if sent.pk == self.object.pk:
            messages.success(request, f"The email to {self.object.email_address} will be sent again.")
        else:
            messages.success(request, f"A new copy of the email to {self.object.email_address} will be sent.")
        return redirect("outbox:inspect", sent.pk)


class OutboxViewSet(ModelViewSet):
    model = OutboxEmail
    name = "outbox"
    icon = "mail"
    menu_label = "Email outbox"
    menu_order = 850
    add_to_admin_menu = True
    add_to_reference_index = False
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    list_filter = ["status", "kind"]
    search_fields = ["email_address"]
    search_backend_name = None
    # Required by ModelViewSet; unused, since the permission policy refuses add, change and delete to all.
    form_fields = ["email_address"]
    ordering = ["-created_at"]
    list_per_page = 50
    inspect_view_fields = [
        "id",
        "kind",
        "email_address",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "completed_at",
        "notify_id",
        "template_id",
        "subject",
        "resent_from",
        "personalisation",
    ]

    @cached_property
    def list_display(self):
        return [
            "__str__",
            StatusTagColumn(
                "status",
                label="Status",
                accessor="get_status_display",
                primary=lambda e: e.status in OutboxStatus.resendable(),
            ),
            Column("attempts", label="Attempts"),
            Column("last_error", label="Last error", accessor=_error),
            DateColumn("created_at", label="Queued"),
        ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/<uuid:pk>/", ResendView.as_view(), name="resend"),
        ]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet()


class FailedEmailsPanel(Component):
    """On the admin dashboard, for people who can see the outbox: how many emails failed."""

    name = "failed_emails"
    order = 50

    def render_html(self, parent_context):
        request = parent_context["request"]
        if not request.user.has_perm("notify.view_outboxemail"):
            return ""
        counts = dict(
            OutboxEmail.objects.failed()
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        if not counts:
            return ""
        index = reverse("outbox:index")
        rows = [
            (label, counts[status], f"{index}?status={status}")
            for status, label in OutboxStatus.choices
            if counts.get(status)
        ]
        return render_to_string("notify/failed_emails_panel.html", {"rows": rows})


@hooks.register("construct_homepage_panels")
def add_failed_emails_panel(request, panels):
    panels.insert(0, FailedEmailsPanel())
