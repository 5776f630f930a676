"""People management in the admin cannot raise anyone's privileges.

The service assessment team invites people, deactivates them and gives or takes the roles of the process; it never
makes a superuser or member of staff, gives a permission directly, sets a password, puts anyone in either central
team, or edits a superuser, a central team member or itself. Every form a team member can reach is posted here
with every privileged field, and what was stored is checked. Every change of anyone's roles is recorded."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from tests.factories import UserFactory
from workflow import roles
from workflow.models import RoleChange

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct-horse-battery-staple"
# Made up here, so that the secret scan (tests/cms/test_security.py) never mistakes it for a real one.
NEW_PASSWORD = "-".join(["a", "brand", "new", "password", "chosen", "by", "an", "attacker"])


@pytest.fixture
def assessment_team(client):
    member = UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM], first_name="Sam", last_name="Okafor")
    client.force_login(member)
    return member


@pytest.fixture
def people():
    return {
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "plus": UserFactory(groups=[roles.SERVICE_ASSESSMENT_PLUS_TEAM]),
        "other_assessment_team_member": UserFactory(groups=[roles.SERVICE_ASSESSMENT_TEAM]),
        "staff": UserFactory(is_staff=True),
        "assessor": UserFactory(groups=[roles.ASSESSORS], first_name="Rhiannon", last_name="Evans"),
        "delivery": UserFactory(groups=[roles.DELIVERY_TEAM_MEMBERS]),
    }


def group(name):
    return Group.objects.get(name=name)


def privileged_fields():
    """Everything a hostile post might add to a people form."""
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [group(roles.SERVICE_ASSESSMENT_PLUS_TEAM).pk, group(roles.SERVICE_ASSESSMENT_TEAM).pk],
        "user_permissions": list(
            Permission.objects.filter(codename__in=["change_user", "delete_user"]).values_list("pk", flat=True)
        ),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "password": NEW_PASSWORD,
        "username": "renamed-by-post",
        "last_login": "2020-01-01 00:00",
    }


class FormFields(HTMLParser):
    """What a browser would post from a page's forms, as the page shows them."""

    def __init__(self):
        super().__init__()
        self.data, self._select = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "textarea" and name:
            self.data.setdefault(name, [])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    return parser.data


def snapshot(user):
    user = User.objects.get(pk=user.pk)
    return {
        "username": user.username,
        "password": user.password,
        "is_superuser": user.is_superuser,
        "is_staff": user.is_staff,
        "is_active": user.is_active,
        "first_name": user.first_name,
        "email": user.email,
        "groups": set(user.groups.values_list("name", flat=True)),
        "permissions": set(user.user_permissions.values_list("codename", flat=True)),
    }


# --- inviting ----------------------------------------------------------------------------------------------------


def test_the_assessment_team_invites_someone_as_an_assessor_and_nothing_more(client, assessment_team):
    page = client.get("/admin/users/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Invite someone" in html
    for hidden in ('name="is_superuser"', 'name="password1"', 'name="groups"', 'name="is_staff"'):
        assert hidden not in html

    response = client.post(
        "/admin/users/new/",
        {
            **privileged_fields(),
            "first_name": "Ana",
            "last_name": "Lopez",
            "email": "Ana.Lopez@example.gov.uk",
            "roles": [roles.ASSESSORS],
        },
    )

    assert response.status_code == 302
    person = User.objects.get(email="Ana.Lopez@example.gov.uk")
    assert person.username == "ana.lopez@example.gov.uk"
    assert not person.is_superuser and not person.is_staff and person.is_active
    assert set(person.groups.values_list("name", flat=True)) == {roles.ASSESSORS}
    assert not person.user_permissions.exists()
    # No password at all: they sign in with an emailed link.
    assert not person.has_usable_password()
    change = RoleChange.objects.get(person=person)
    assert (change.role, change.from_value, change.to_value, change.by) == (
        roles.ASSESSORS,
        "No",
        "Yes",
        assessment_team,
    )


@pytest.mark.parametrize("role", [roles.SERVICE_ASSESSMENT_PLUS_TEAM, roles.SERVICE_ASSESSMENT_TEAM, "Superusers"])
def test_the_team_cannot_invite_anyone_into_a_central_team(client, assessment_team, role):
    before = User.objects.count()
    response = client.post(
        "/admin/users/new/",
        {"first_name": "Ana", "last_name": "Lopez", "email": "ana@example.gov.uk", "roles": [role]},
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert User.objects.count() == before
    assert not RoleChange.objects.filter(by=assessment_team).exists()


def test_inviting_an_address_that_has_an_account_says_so_and_creates_nothing(client, assessment_team, people):
    before = User.objects.count()
    response = client.post(
        "/admin/users/new/",
        {"first_name": "A", "last_name": "B", "email": people["superuser"].email.upper(), "roles": []},
    )
    assert response.status_code == 200
    assert "There is already an account with this email address" in response.content.decode()
    assert User.objects.count() == before


def test_an_empty_invitation_is_refused_with_each_missing_field_named(client, assessment_team):
    response = client.post("/admin/users/new/", {})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required") >= 3


# --- editing -----------------------------------------------------------------------------------------------------


def test_the_assessment_team_edits_name_access_and_process_roles_only(client, assessment_team, people):
    assessor = people["assessor"]
    before = snapshot(assessor)
    page = client.get(f"/admin/users/edit/{assessor.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for hidden in ('name="is_superuser"', 'name="password1"', 'name="groups"', 'name="username"'):
        assert hidden not in html

    response = client.post(
        f"/admin/users/edit/{assessor.pk}/",
        {
            **privileged_fields(),
            "first_name": "Rhian",
            "last_name": "Evans",
            "email": "rhian.evans@example.gov.uk",
            "is_active": "on",
            "roles": [roles.DELIVERY_TEAM_MEMBERS],
        },
    )

    assert response.status_code == 302
    after = snapshot(assessor)
    assert after["first_name"] == "Rhian"
    assert after["groups"] == {roles.DELIVERY_TEAM_MEMBERS}
    # Not the email address: sign-in links go to it, so changing it would be signing in as them.
    for unchanged in ("username", "password", "is_superuser", "is_staff", "permissions", "is_active", "email"):
        assert after[unchanged] == before[unchanged], unchanged
    recorded = set(
        RoleChange.objects.filter(person=assessor, by=assessment_team).values_list(
            "role", "from_value", "to_value", "by"
        )
    )
    assert recorded == {
        (roles.ASSESSORS, "Yes", "No", assessment_team.pk),
        (roles.DELIVERY_TEAM_MEMBERS, "No", "Yes", assessment_team.pk),
    }


def test_the_assessment_team_deactivates_someone_who_then_cannot_sign_in(client, assessment_team, people):
    delivery = people["delivery"]
    response = client.post(
        f"/admin/users/edit/{delivery.pk}/",
        {"first_name": "D", "last_name": "M", "roles": [roles.DELIVERY_TEAM_MEMBERS]},
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=delivery.pk).is_active
    change = RoleChange.objects.get(person=delivery, by=assessment_team)
    assert (change.role, change.from_value, change.to_value) == ("Can sign in", "Yes", "No")

    client.logout()
    signed_in = client.post("/sign-in/", {"username": delivery.username, "password": PASSWORD})
    assert signed_in.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("whom", ["superuser", "plus", "other_assessment_team_member", "staff", "self"])
def test_the_team_cannot_open_or_post_the_edit_of_a_superuser_a_central_team_member_or_themselves(
    client, assessment_team, people, whom
):
    person = assessment_team if whom == "self" else people[whom]
    before = snapshot(person)
    assert client.get(f"/admin/users/edit/{person.pk}/").status_code == 404
    response = client.post(
        f"/admin/users/edit/{person.pk}/",
        {**privileged_fields(), "first_name": "X", "last_name": "Y", "email": "x@example.gov.uk", "roles": []},
    )
    assert response.status_code == 404
    assert snapshot(person) == before
    assert client.get(f"/admin/users/history/{person.pk}/").status_code == 404


def test_the_assessment_teams_list_of_people_holds_only_the_people_it_manages(client, assessment_team, people):
    html = client.get("/admin/users/").content.decode()
    assert people["assessor"].username in html and people["delivery"].username in html
    for hidden in ("superuser", "plus", "other_assessment_team_member", "staff"):
        assert people[hidden].username not in html
    assert assessment_team.username not in html


def test_the_assessment_team_deletes_nobody(client, assessment_team, people):
    for person in (people["assessor"], people["superuser"]):
        assert client.get(f"/admin/users/delete/{person.pk}/").status_code in (302, 403)
        client.post(f"/admin/users/delete/{person.pk}/")
        assert User.objects.filter(pk=person.pk).exists()


# --- every other door to people --------------------------------------------------------------------------------


def test_bulk_actions_cannot_give_a_central_team_or_deactivate_anyone(client, assessment_team, people):
    everyone = [assessment_team, *people.values()]
    before = {person.pk: snapshot(person) for person in everyone}
    ids = "&".join(f"id={person.pk}" for person in everyone)
    answers = [
        client.post(
            f"/admin/bulk/auth/user/assign_role/?{ids}", {"role": group(roles.SERVICE_ASSESSMENT_PLUS_TEAM).pk}
        ),
        client.post(f"/admin/bulk/auth/user/set_active_state/?{ids}", {"mark_as_active": "False"}),
        client.post(f"/admin/bulk/auth/user/delete/?{ids}"),
    ]
    # Wagtail's bulk pages answer (these addresses exist), refusing item by item: nobody is theirs to change.
    assert [answer.status_code for answer in answers] == [302] * 3
    assert {person.pk: snapshot(person) for person in everyone} == before


def test_the_assessment_team_cannot_change_a_group(client, assessment_team):
    assessment_team_group = group(roles.SERVICE_ASSESSMENT_TEAM)
    before = set(assessment_team_group.permissions.values_list("pk", flat=True))
    assert client.get(f"/admin/groups/edit/{assessment_team_group.pk}/").status_code in (302, 403)
    client.post(
        f"/admin/groups/edit/{assessment_team_group.pk}/",
        {"name": assessment_team_group.name, "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    client.post("/admin/groups/new/", {"name": "Everything", "is_superuser": "on"})
    assert set(assessment_team_group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Everything").exists()


def test_there_are_no_admin_api_tokens_to_make(client, assessment_team, people):
    # Wagtail's API tokens come with its v3 API, which is not installed: nobody can make one for anybody.
    from wagtail.models import APIToken

    assert client.get("/admin/api-tokens/").status_code == 404
    assert client.post("/admin/api-tokens/new/", {"name": "mine", "user": people["superuser"].pk}).status_code == 404
    assert not APIToken.objects.exists()


def test_the_django_admin_is_closed_to_the_assessment_team(client, assessment_team, people):
    assert client.get("/django-admin/auth/user/add/").status_code == 302
    client.post(
        f"/django-admin/auth/user/{people['assessor'].pk}/change/",
        {**privileged_fields(), "username": people["assessor"].username},
    )
    assert not User.objects.get(pk=people["assessor"].pk).is_superuser


def test_the_assessment_team_edits_only_its_own_name_in_its_account_settings(client, assessment_team):
    before = snapshot(assessment_team)
    shown = form_fields(client.get("/admin/account/").content.decode())
    response = client.post(
        "/admin/account/",
        {
            **shown,
            **privileged_fields(),
            **{
                f"{panel}-{key}": value
                for panel in ("name_email", "locale", "notifications")
                for key, value in privileged_fields().items()
            },
            "name_email-first_name": "Samuel",
        },
    )
    assert response.status_code == 302
    after = snapshot(assessment_team)
    assert after["first_name"] == "Samuel"
    for unchanged in ("username", "password", "is_superuser", "is_staff", "groups", "permissions", "is_active"):
        assert after[unchanged] == before[unchanged], unchanged


def test_the_plus_team_manages_nobody(client, people):
    client.force_login(people["plus"])
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.get("/admin/users/new/").status_code in (302, 403)
    client.post(
        f"/admin/users/edit/{people['assessor'].pk}/",
        {"first_name": "X", "last_name": "Y", "email": "x@example.gov.uk", "roles": [], **privileged_fields()},
    )
    client.post("/admin/users/new/", {"first_name": "X", "last_name": "Y", "email": "new@example.gov.uk", "roles": []})
    assert User.objects.get(pk=people["assessor"].pk).first_name == "Rhiannon"
    assert not User.objects.filter(email="new@example.gov.uk").exists()


# --- superusers, and the record ------------------------------------------------------------------------------------


def test_a_superuser_keeps_wagtails_whole_user_form_and_is_recorded(client, people):
    superuser = people["superuser"]
    client.force_login(superuser)
    assessor = people["assessor"]
    page = client.get(f"/admin/users/edit/{assessor.pk}/").content.decode()
    assert 'name="is_superuser"' in page and 'name="groups"' in page

    response = client.post(
        f"/admin/users/edit/{assessor.pk}/",
        {
            "username": assessor.username,
            "email": assessor.email,
            "first_name": assessor.first_name,
            "last_name": assessor.last_name,
            "is_active": "on",
            "groups": [group(roles.ASSESSORS).pk, group(roles.SERVICE_ASSESSMENT_PLUS_TEAM).pk],
        },
    )

    assert response.status_code == 302
    change = RoleChange.objects.get(person=assessor, by=superuser)
    assert (change.role, change.from_value, change.to_value, change.by) == (
        roles.SERVICE_ASSESSMENT_PLUS_TEAM,
        "No",
        "Yes",
        superuser,
    )


def test_role_changes_show_in_the_audit_view_with_who_whom_from_to_and_when(client, assessment_team, people):
    client.post(
        f"/admin/users/edit/{people['assessor'].pk}/",
        {"first_name": "Rhiannon", "last_name": "Evans", "email": people["assessor"].email, "is_active": "on"},
    )
    change = RoleChange.objects.get(by=assessment_team)
    html = client.get("/admin/audit/?what=people").content.decode()
    assert "Rhiannon Evans" in html
    assert f"{roles.ASSESSORS}: Yes → No" in html
    assert "Sam Okafor" in html
    assert change.at.strftime("%Y") in html
    # And among everything else.
    assert f"{roles.ASSESSORS}: Yes → No" in client.get("/admin/audit/").content.decode()


def test_a_permission_the_code_no_longer_gives_is_taken_away_on_migrate():
    assessment_team_group = group(roles.SERVICE_ASSESSMENT_TEAM)
    assessment_team_group.permissions.add(
        Permission.objects.get(codename="change_user", content_type__app_label="auth")
    )
    roles.ensure_groups()
    assert not assessment_team_group.permissions.filter(codename="change_user").exists()
    assert assessment_team_group.permissions.filter(codename="manage_people").exists()


@pytest.mark.parametrize("extra", ["Editors", "Moderators", "a permission of their own"])
def test_someone_with_more_than_the_process_roles_is_an_administrators_to_manage(client, assessment_team, extra):
    person = UserFactory(groups=[roles.ASSESSORS])
    if extra.startswith("a permission"):
        person.user_permissions.add(Permission.objects.get(codename="delete_image"))
    else:
        person.groups.add(Group.objects.get_or_create(name=extra)[0])
    before = snapshot(person)
    assert client.get(f"/admin/users/edit/{person.pk}/").status_code == 404
    client.post(f"/admin/users/edit/{person.pk}/", {"first_name": "X", "last_name": "Y", "roles": []})
    assert snapshot(person) == before
    assert person.username not in client.get("/admin/users/").content.decode()


def test_the_email_address_shows_but_cannot_be_changed_so_nobody_can_redirect_someones_sign_in_links(
    client, assessment_team, people
):
    assessor = people["assessor"]
    page = client.get(f"/admin/users/edit/{assessor.pk}/").content.decode()
    assert assessor.email in page and "Only an administrator can change an email address" in page
    client.post(
        f"/admin/users/edit/{assessor.pk}/",
        {"first_name": "R", "last_name": "E", "email": "attacker@example.com", "is_active": "on", "roles": []},
    )
    assert User.objects.get(pk=assessor.pk).email == assessor.email
    client.logout()
    client.post("/sign-in/link/", {"email": "attacker@example.com"})
    assert not User.objects.filter(email__iexact="attacker@example.com").exists()


def test_there_is_no_password_reset_by_django_email(client, people):
    # Notify sends every email; staff who forget a password ask for a sign-in link instead.
    assert client.get("/admin/password_reset/").status_code == 404
    assert client.post("/admin/password_reset/", {"email": people["assessor"].email}).status_code == 404


@pytest.mark.parametrize("viewset", ["panel_members", "delivery_team_members"])
def test_the_assessment_team_seats_only_people_it_manages_who_hold_the_role(client, assessment_team, people, viewset):
    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory()
    role, holder = (
        ("lead", people["assessor"]) if viewset == "panel_members" else ("product_manager", people["delivery"])
    )
    where = {"assessment": assessment.pk} if viewset == "panel_members" else {"service": assessment.service_id}
    # Themselves, a superuser and a central team member, even holding the role, and someone without the role.
    for name in (roles.ASSESSORS, roles.DELIVERY_TEAM_MEMBERS):
        for person in (assessment_team, people["superuser"], people["plus"]):
            person.groups.add(group(name))
    model = {"panel_members": "panelmember", "delivery_team_members": "deliveryteammember"}[viewset]
    from django.apps import apps

    seats = apps.get_model("workflow", model).objects
    without_role = people["delivery"] if viewset == "panel_members" else people["assessor"]
    for person in (assessment_team, people["superuser"], people["plus"], without_role):
        response = client.post(f"/admin/{viewset}/new/", {**where, "user": person.pk, "role": role})
        assert response.status_code == 200, person
        assert "Select a valid choice" in response.content.decode()
        assert not seats.filter(user=person).exists()
    response = client.post(f"/admin/{viewset}/new/", {**where, "user": holder.pk, "role": role})
    assert response.status_code == 302
    assert seats.filter(user=holder).exists()


def test_deleting_a_group_is_recorded_for_each_member(people):
    extra = Group.objects.create(name="Short-lived")
    extra.user_set.add(people["assessor"], people["delivery"])
    extra.delete()
    lost = RoleChange.objects.filter(role="Short-lived", to_value="No")
    assert set(lost.values_list("person", flat=True)) == {people["assessor"].pk, people["delivery"].pk}
