"""People and their roles: the service assessment team invites people and gives or takes the roles of the process;
every change of anyone's access, however it is made, is recorded as a RoleChange.

Recording hangs off the model signals rather than the admin's forms, so that a superuser's edit in Wagtail's own
user admin, a bulk "assign role", the Django admin and a shell are recorded as surely as the team's forms."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from simple_history.models import HistoricalRecords

from workflow import permissions
from workflow.models import RoleChange

# The account flags that are access, in the words the audit view shows.
FLAGS = {"is_superuser": "Superuser", "is_staff": "Staff (Django admin)", "is_active": "Can sign in"}
HELD = {True: "Yes", False: "No"}


class PersonRefused(Exception):
    """The change cannot be made; the message says why in plain words."""


def email_in_use(address: str) -> bool:
    """An email address is one person's: it is where their sign-in links go. A new person's address is their
    username too."""
    people = get_user_model()._default_manager.all()
    address = address.strip()
    return people.filter(email__iexact=address).exists() or people.filter(username__iexact=address).exists()


def person_invite(*, by, email: str, first_name: str, last_name: str, roles: list[str]):
    """An account for someone new, with the process roles given. They have no password: they sign in with a link
    sent to their email address (/sign-in/link/)."""
    if not permissions.may_manage_people(by):
        raise PermissionDenied
    User = get_user_model()
    address = email.strip()
    if email_in_use(address):
        raise PersonRefused("There is already an account with this email address")
    with transaction.atomic():
        person = User(username=address.lower(), email=address, first_name=first_name, last_name=last_name)
        person.set_unusable_password()
        person.save()
        _set_process_roles(person, roles)
    return person


def person_update(*, by, person, first_name: str, last_name: str, is_active: bool, roles: list[str]):
    """Name, whether they can sign in, and their process roles: nothing else. Not the email address: sign-in links
    go to it, so changing it would be signing in as them."""
    if not permissions.may_manage_person(by, person):
        raise PermissionDenied
    with transaction.atomic():
        person.first_name, person.last_name, person.is_active = first_name, last_name, is_active
        person.save(update_fields=["first_name", "last_name", "is_active"])
        _set_process_roles(person, roles)
    return person


def _set_process_roles(person, roles: list[str]) -> None:
    unknown = set(roles) - set(permissions.PROCESS_ROLES)
    if unknown:
        raise PermissionDenied(f"Not a role of the process: {', '.join(sorted(unknown))}")
    process = Group.objects.filter(name__in=permissions.PROCESS_ROLES)
    # Only the process roles are touched: any other group the person has stays as it was.
    person.groups.remove(*process.exclude(name__in=roles))
    person.groups.add(*process.filter(name__in=roles))


# --- recording ------------------------------------------------------------------------------------------------


def _acting_user():
    """Who is making the change: the signed-in person of the request in hand (django-simple-history's middleware
    keeps it), or None for the service itself (a command, a scheduled task)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _record(person, role: str, held_before: bool, held_after: bool) -> None:
    RoleChange.objects.create(
        person=person,
        person_name=(person.get_full_name() or person.get_username())[:300],
        role=role,
        from_value=HELD[held_before],
        to_value=HELD[held_after],
        by=_acting_user(),
    )


def _flags_before_save(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        # A sign-in saves last_login alone: no need to look.
        instance._flags_before = None
        return
    if instance.pk is None:
        instance._flags_before = {}
        return
    instance._flags_before = sender._default_manager.filter(pk=instance.pk).values(*FLAGS).first() or {}


def _record_flags(sender, instance, created, **kwargs):
    before = getattr(instance, "_flags_before", None)
    if before is None:
        return
    for flag, role in FLAGS.items():
        # A new account is active without anyone deciding it; a new superuser or member of staff is worth a row.
        was = before.get(flag, flag == "is_active")
        now = bool(getattr(instance, flag))
        if was != now:
            _record(instance, role, was, now)
    instance._flags_before = None


def _record_groups(sender, instance, action, reverse, model, pk_set, **kwargs):
    User = get_user_model()
    if action in ("pre_remove", "pre_clear"):
        # What is actually held now, so that removing a group someone never had records nothing.
        if reverse:  # group.user_set
            held = User.groups.through.objects.filter(group=instance)
            if pk_set is not None:
                held = held.filter(user_id__in=pk_set)
            instance._removing = list(held.values_list("user_id", flat=True))
        else:  # user.groups
            held = User.groups.through.objects.filter(user=instance)
            if pk_set is not None:
                held = held.filter(group_id__in=pk_set)
            instance._removing = list(held.values_list("group_id", flat=True))
        return
    if action in ("post_remove", "post_clear"):
        ids, added = getattr(instance, "_removing", []), False
        instance._removing = []
    elif action == "post_add":
        ids, added = pk_set or (), True
    else:
        return
    if reverse:
        for person in User._default_manager.filter(pk__in=ids):
            _record(person, instance.name, not added, added)
    else:
        for group in Group.objects.filter(pk__in=ids):
            _record(instance, group.name, not added, added)


def _record_group_deleted(sender, instance, **kwargs):
    # Deleting a group takes it from its members without any m2m signal.
    for person in instance.user_set.all():
        _record(person, instance.name, True, False)


def connect_recording() -> None:
    User = get_user_model()
    pre_delete.connect(_record_group_deleted, sender=Group, dispatch_uid="workflow.people.group_deleted")
    pre_save.connect(_flags_before_save, sender=User, dispatch_uid="workflow.people.flags_before")
    post_save.connect(_record_flags, sender=User, dispatch_uid="workflow.people.flags_after")
    m2m_changed.connect(_record_groups, sender=User.groups.through, dispatch_uid="workflow.people.groups")
