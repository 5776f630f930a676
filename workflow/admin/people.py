"""People in the Wagtail admin. Superusers keep Wagtail's own user admin, whole. The service assessment team
(`workflow.manage_people`, not Django's `auth.add_user` / `auth.change_user`) gets the same pages with forms that
hold only what it may change: a person's name, whether they can sign in, and the roles of the process
(workflow.permissions.PROCESS_ROLES); an email address only as it invites someone. Fields the page does not show
are never read, so posting `is_superuser`, `groups`, a password or anything else changes nothing.

Everything of Wagtail's that checks `auth.change_user` directly (bulk actions, API tokens, the Django admin) stays
closed to the team, because the team does not hold it."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from wagtail.admin.views.generic import UsageView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.users.views import users as wagtail_users

from workflow import permissions
from workflow.services.people import PersonRefused, email_in_use, person_invite, person_update

ROLE_CHOICES = [(name, name) for name in permissions.PROCESS_ROLES]
ROLE_HELP = (
    "Assessors sit on panels; delivery team members answer for their service's reports. Add the person to a panel "
    "or a service's delivery team under Assessments. Only an administrator gives access to the central teams."
)


class PeoplePermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions on users, and for holders of `workflow.manage_people` adding, changing and
    viewing the people workflow.permissions.manageable_people allows them: never deleting anyone."""

    TEAM_ACTIONS = frozenset({"add", "change", "view"})

    def user_has_permission(self, user, action):
        if action in self.TEAM_ACTIONS and permissions.may_manage_people(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if user.is_superuser:
            return super().user_has_permission_for_instance(user, action, instance)
        return self.user_has_permission(user, action) and permissions.may_manage_person(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if user.is_superuser or not set(actions) & self.TEAM_ACTIONS:
            return super().instances_user_has_any_permission_for(user, actions)
        return permissions.manageable_people(user, get_user_model()._default_manager.all())

    def users_with_any_permission(self, actions):
        users = super().users_with_any_permission(actions)
        if not set(actions) & self.TEAM_ACTIONS:
            return users
        manage = Permission.objects.filter(content_type__app_label="workflow", codename="manage_people")
        return (
            get_user_model()
            ._default_manager.filter(
                Q(pk__in=users.values("pk"))
                | Q(is_active=True, groups__permissions__in=manage)
                | Q(is_active=True, user_permissions__in=manage)
            )
            .distinct()
        )


class InviteForm(forms.ModelForm):
    """Someone new. No password: they sign in with a link emailed to them."""

    roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, help_text=ROLE_HELP
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._meta.fields:
            self.fields[name].required = True
        if self.instance.pk:
            self.initial["roles"] = list(
                self.instance.groups.filter(name__in=permissions.PROCESS_ROLES).values_list("name", flat=True)
            )

    def clean_email(self):
        address = self.cleaned_data["email"]
        if email_in_use(address):
            raise forms.ValidationError("There is already an account with this email address")
        return address


class EditPersonForm(InviteForm):
    """The email address is shown, never changed here: it is where the person's sign-in links go, so whoever could
    change it could sign in as them. An administrator corrects it."""

    email = forms.EmailField(
        label="Email address",
        disabled=True,
        required=False,
        help_text="Only an administrator can change an email address: sign-in links are sent to it.",
    )
    is_active = forms.BooleanField(
        label="Can sign in",
        required=False,
        help_text="Untick to deactivate the account: the person can no longer sign in. Nothing they did is lost.",
    )

    field_order = ["first_name", "last_name", "email", "is_active", "roles"]

    class Meta(InviteForm.Meta):
        fields = ["first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("email", self.instance.email)
        self.initial.setdefault("is_active", self.instance.is_active)

    def clean_email(self):
        return self.instance.email


class _LimitedForTeam:
    """Wagtail's view for a superuser; the team's own form and page otherwise."""

    team_form_class = None
    team_template_name = None

    @property
    def for_team(self) -> bool:
        return not self.request.user.is_superuser

    def get_form_class(self):
        return self.team_form_class if self.for_team else super().get_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.for_team:
            kwargs.pop("editing_self", None)
        return kwargs

    def get_template_names(self):
        return [self.team_template_name] if self.for_team else super().get_template_names()

    def form_valid(self, form):
        if not self.for_team:
            return super().form_valid(form)
        try:
            return super().form_valid(form)
        except PersonRefused as refusal:
            # Another account took the address between the form's check and the save.
            form.add_error("email", str(refusal))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class PeopleIndexView(wagtail_users.IndexView):
    def get_base_queryset(self):
        return permissions.manageable_people(self.request.user, super().get_base_queryset())

    @property
    def add_item_label(self):
        return "Invite someone" if not self.request.user.is_superuser else super().add_item_label


class PeopleCreateView(_LimitedForTeam, wagtail_users.CreateView):
    team_form_class = InviteForm
    team_template_name = "wagtailadmin/generic/create.html"

    def get_page_title(self):
        return "Invite someone" if self.for_team else super().get_page_title()

    def get_page_subtitle(self):
        # The header shows the title alone, not "Invite someone: User".
        return "" if self.for_team else super().get_page_subtitle()

    def save_instance(self):
        if not self.for_team:
            return super().save_instance()
        data = self.form.cleaned_data
        return person_invite(
            by=self.request.user,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            roles=data["roles"],
        )

    def get_success_message(self, instance):
        if not self.for_team:
            return super().get_success_message(instance)
        return f"{instance.get_full_name()} can now sign in with a link sent to {instance.email} (from /sign-in/link/)."


class _OnlyTheirPeople:
    """A page about one person opens for the team only if the person is one of theirs; for anyone else it is not
    found, the same answer as for an account that does not exist."""

    def get_object(self):
        person = super().get_object()
        user = self.request.user
        if not user.is_superuser and not permissions.may_manage_person(user, person):
            # Someone who manages nobody is refused as for any admin page they may not use.
            raise Http404 if permissions.may_manage_people(user) else PermissionDenied
        return person


class PeopleEditView(_OnlyTheirPeople, _LimitedForTeam, wagtail_users.EditView):
    team_form_class = EditPersonForm
    team_template_name = "wagtailadmin/generic/edit.html"

    def save_instance(self):
        if not self.for_team:
            return super().save_instance()
        data = self.form.cleaned_data
        # The form changed the instance in memory as it validated; the service saves from the cleaned data alone.
        person = get_user_model()._default_manager.get(pk=self.object.pk)
        return person_update(
            by=self.request.user,
            person=person,
            first_name=data["first_name"],
            last_name=data["last_name"],
            is_active=data["is_active"],
            roles=data["roles"],
        )


class PeopleDeleteView(wagtail_users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PeopleHistoryView(_OnlyTheirPeople, wagtail_users.HistoryView):
    pass


class PeopleUsageView(_OnlyTheirPeople, UsageView):
    pass


class PeopleViewSet(wagtail_users.UserViewSet):
    index_view_class = PeopleIndexView
    add_view_class = PeopleCreateView
    edit_view_class = PeopleEditView
    delete_view_class = PeopleDeleteView
    history_view_class = PeopleHistoryView
    usage_view_class = PeopleUsageView
    # Copying an account would start from Wagtail's whole form, groups and superuser status included.
    copy_view_enabled = False
