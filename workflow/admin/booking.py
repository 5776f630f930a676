"""Booking requests in the Wagtail admin: the service assessment team accepts one (date and panel, which makes the
assessment and its draft report) or rejects it with a reason. Decisions go through workflow.services.booking."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from cms.dates import AdminDateInput, DateField
from cms.models import PointsInScope
from workflow import booking_rules, permissions, roles
from workflow.forms.base import PointNumbersField
from workflow.models import Assessment, BookingRequest, BookingStatus, PanelRole
from workflow.services.booking import BookingRefused, booking_accept, booking_reject


def _assessors():
    return get_user_model().objects.filter(groups__name=roles.ASSESSORS).order_by("first_name", "last_name")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")], widget=forms.RadioSelect)
    date = DateField(required=False, label="Assessment date", widget=AdminDateInput)
    confidential = forms.BooleanField(
        required=False,
        label="Confidential assessment",
        help_text=Assessment._meta.get_field("confidential").help_text,
    )
    reason = forms.CharField(
        required=False,
        label="Reason for rejecting",
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, booking: BookingRequest, **kwargs):
        super().__init__(*args, **kwargs)
        if booking.type.scope == PointsInScope.CHOSEN:
            self.fields["points_chosen"] = PointNumbersField(
                required=False,
                label="Points to cover",
                help_text=f"The points of the {booking.type.standard.name} this {booking.type.name.lower()} covers, "
                "for example 3, 5, 9.",
            )
        for role, label in PanelRole.choices:
            self.fields[f"panel_{role}"] = forms.ModelChoiceField(queryset=_assessors(), required=False, label=label)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept":
            if not data.get("date") and "date" not in self.errors:
                self.add_error("date", self.fields["date"].error_messages["required"])
            if not data.get(f"panel_{PanelRole.LEAD}"):
                self.add_error(f"panel_{PanelRole.LEAD}", "Choose the lead assessor.")
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for rejecting the request.")
        return data

    def panel(self):
        return [
            (self.cleaned_data[f"panel_{role}"], role)
            for role, _ in PanelRole.choices
            if self.cleaned_data.get(f"panel_{role}")
        ]


class DecideView(WagtailAdminTemplateMixin, FormView):
    form_class = DecisionForm
    template_name = "workflow/admin/booking_decide.html"
    page_title = "Answer the booking request"
    header_icon = "calendar"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_decide_booking(request.user):
            raise PermissionDenied
        self.booking = get_object_or_404(
            BookingRequest.objects.select_related("service", "requested_by", "type__standard"), pk=kwargs["pk"]
        )
        if self.booking.status != BookingStatus.REQUESTED:
            messages.error(request, f"This request has already been {self.booking.get_status_display().lower()}.")
            return redirect("bookings:inspect", self.booking.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.booking)

    def get_breadcrumbs_items(self):
        # Without its own crumbs the admin's header names the page "Home".
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("bookings:index"), "label": BookingViewSet.menu_label},
            {"url": reverse("bookings:inspect", args=[self.booking.pk]), "label": str(self.booking)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "booking": self.booking}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What the booking rules would refuse if the request were accepted now, each linked to its point or action on
        # the team's report page; the request may still be rejected.
        blockers = booking_rules.booking_blockers(
            service=self.booking.service,
            assessment_type=self.booking.type,
            phase=self.booking.phase,
            follows=self.booking.follows,
            deciding=self.booking,
        )
        context.update(
            booking=self.booking,
            blockers=[(blocker.words, blocker.link("assessment_team:report")) for blocker in blockers],
            record_url=reverse("records:service", args=[self.booking.service_id]),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                booking = booking_accept(
                    booking=self.booking,
                    user=self.request.user,
                    date=data["date"],
                    panel=form.panel(),
                    confidential=data["confidential"],
                    points_chosen=data.get("points_chosen"),
                )
                messages.success(
                    self.request, f"Accepted: {booking.assessment} is booked and its draft report is ready."
                )
            else:
                booking_reject(booking=self.booking, user=self.request.user, reason=data["reason"])
                messages.success(self.request, "The request has been rejected.")
        except BookingRefused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
            return self.form_invalid(form)
        return redirect("bookings:inspect", self.booking.pk)


class BookingInspectView(generic.InspectView):
    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.object.status == BookingStatus.REQUESTED and permissions.may_decide_booking(self.request.user):
            buttons = [
                HeaderButton(
                    "Accept or reject", url=reverse("bookings:decide", args=[self.object.pk]), icon_name="tick"
                ),
                *buttons,
            ]
        return buttons


class BookingIndexView(generic.IndexView):
    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        if instance.status == BookingStatus.REQUESTED and permissions.may_decide_booking(self.request.user):
            return reverse("bookings:decide", args=[instance.pk])
        return None


class NoGenericEdit(generic.EditView):
    """Decisions are made in the decide view, through the booking service, never by editing the row."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("bookings:decide", kwargs["pk"])


class NoGenericAdd(generic.CreateView):
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class BookingViewSet(ModelViewSet):
    model = BookingRequest
    name = "bookings"
    icon = "calendar"
    menu_label = "Booking requests"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = BookingIndexView
    inspect_view_class = BookingInspectView
    add_view_class = NoGenericAdd
    edit_view_class = NoGenericEdit
    search_backend_name = None
    search_fields = ["service__name", "notes"]
    list_filter = ["status", "type", "phase"]
    form_fields = ["notes"]  # required by ModelViewSet; the edit view goes to the decision instead
    ordering = ["-created_at", "-pk"]
    inspect_view_fields = [
        "service",
        "type",
        "phase",
        "follows",
        "requested_by",
        "created_at",
        "preferred_dates",
        "notes",
        "status",
        "decided_by",
        "decided_at",
        "reason",
        "assessment",
    ]

    @cached_property
    def list_display(self):
        return [
            # The request's page (its details and, while it waits, the answer) is a click on the service's name.
            TitleColumn("service", label="Service", accessor="service", url_name="bookings:inspect"),
            Column("type", label="Request", accessor="type"),
            Column("phase", label="Phase", accessor="get_phase_display"),
            StatusTagColumn(
                "status", label="Status", accessor="get_status_display", primary=lambda b: b.status == "requested"
            ),
            DateColumn("created_at", label="Asked on"),
        ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("decide/<int:pk>/", DecideView.as_view(), name="decide")]
