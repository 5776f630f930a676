"""The delivery team asks for an assessment of one of the assessment types (a reassessment of its red points, an
amber evidence review), and sees its requests and their answers. The service assessment team answers in the
Wagtail admin (workflow.admin.booking)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from cms.models import AssessmentType
from workflow import permissions
from workflow.forms.base import NULL_CHARACTERS, WithoutNullCharactersForm
from workflow.models import BookingRequest, Phase, Service
from workflow.services.booking import BookingRefused, booking_request


class BookingForm(WithoutNullCharactersForm):
    # invalid_choice is set on every choice: Django's own message repeats the value sent, whatever it is.
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label="Which service?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the service", "invalid_choice": "Select the service"},
    )
    # Named and valued as before types were content ("kind=reassessment"), so links and bookmarks still work.
    kind = forms.ModelChoiceField(
        queryset=AssessmentType.objects.all(),
        to_field_name="slug",
        label="What do you need?",
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="A reassessment looks again at the points rated red in your last assessment; an amber evidence "
        "review, at those rated amber.",
        error_messages={"required": "Select the kind of assessment", "invalid_choice": "Select the kind of assessment"},
    )
    phase = forms.ChoiceField(
        label="Which phase is the service in?",
        choices=Phase.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the phase", "invalid_choice": "Select the phase"},
    )
    preferred_dates = forms.CharField(
        label="When would suit your team? (optional)",
        help_text="For example, the weeks starting 5 and 12 October.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={NULL_CHARACTERS: "Your preferred dates must not contain null characters"},
    )
    notes = forms.CharField(
        label="Anything else we should know? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={NULL_CHARACTERS: "Your notes must not contain null characters"},
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        if services.count() == 1:
            self.fields["service"].initial = services.first()


def _services(user):
    return Service.objects.filter(team_members__user=user).distinct().order_by("name")


def _check(user):
    if not permissions.may_book_assessments(user):
        raise PermissionDenied


@login_required
@require_GET
def index(request):
    _check(request.user)
    requests = (
        BookingRequest.objects.filter(service__in=_services(request.user))
        .select_related("service", "assessment", "follows", "type")
        .order_by("-created_at", "-pk")
    )
    return render(request, "workflow/booking/index.html", {"booking_requests": requests})


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    _check(request.user)
    services = _services(request.user)
    # Bound on every POST, even an empty one, so that a post without fields is told what is missing.
    form = BookingForm(request.POST if request.method == "POST" else None, services=services)
    blockers, refused_service = [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking_request(
                service=data["service"],
                user=request.user,
                assessment_type=data["kind"],
                phase=data["phase"],
                preferred_dates=data["preferred_dates"],
                notes=data["notes"],
            )
        except BookingRefused as refused:
            # Each reason links to its point or action on the team's report page; one about the booking as a whole,
            # to the choice of what to book.
            blockers = [(blocker.words, blocker.link("delivery:report")) for blocker in refused.blockers] or [
                (reason, "") for reason in refused.reasons
            ]
            refused_service = data["service"]
        else:
            messages.success(request, "Your request has been sent to the service assessment team.")
            return redirect("booking:index")
    return render(
        request,
        "workflow/booking/new.html",
        {"form": form, "blockers": blockers, "refused_service": refused_service, "page_errors": bool(blockers)},
    )


urlpatterns = [
    path("", index, name="index"),
    path("new/", new, name="new"),
]
