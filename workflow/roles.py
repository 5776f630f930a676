"""The groups people are put in, and what each may do. Kept in step with the code on every migrate, so a
new permission reaches every environment without a hand-made change in the admin."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

SERVICE_ASSESSMENT_TEAM = "Service assessment team"
SERVICE_ASSESSMENT_PLUS_TEAM = "Service Assessment Plus team"
ASSESSORS = "Assessors"
DELIVERY_TEAM_MEMBERS = "Delivery team members"

WORKFLOW_MODELS = [
    "department",
    "service",
    "assessment",
    "panelmember",
    "deliveryteammember",
    "pointrating",
    "reportaction",
]

GROUP_MODEL_PERMISSIONS: dict[str, list[str]] = {
    SERVICE_ASSESSMENT_TEAM: [
        "wagtailadmin.access_admin",
        *(f"workflow.{action}_{model}" for model in WORKFLOW_MODELS for action in ("add", "change", "delete", "view")),
        "workflow.view_reportpage",
        # Standards (with their points, edited inline), assessment types and their report forms; never deleted,
        # since assessments, reports and types name them.
        *(
            f"cms.{action}_{model}"
            for model in ("servicestandard", "assessmenttype", "reportform")
            for action in ("add", "change", "view")
        ),
        # The team invites people and gives them the roles of the process, through the limited forms of
        # workflow.admin.people. Not Django's auth.add_user / auth.change_user: those reach superuser status,
        # passwords and every group, in Wagtail's user admin and its bulk actions.
        "workflow.manage_people",
        # The email outbox (read-only, with a resend button for failed emails) and the Notify template ids.
        "notify.view_outboxemail",
        "notify.resend_outboxemail",
        "notify.change_notifytemplates",
        "workflow.change_reportformhelptexts",
        # The figures of the process's deadlines: the team's policy, not the Plus team's.
        "workflow.change_policyfigures",
        # Booking requests: the team accepts or rejects them (through workflow.services.booking).
        "workflow.view_bookingrequest",
        "workflow.change_bookingrequest",
        # Who was asked for feedback and whether they answered (the answers are in Forms).
        "workflow.view_feedbackinvitation",
    ],
    SERVICE_ASSESSMENT_PLUS_TEAM: [
        "wagtailadmin.access_admin",
        *(f"workflow.view_{model}" for model in WORKFLOW_MODELS),
        "workflow.view_reportpage",
        "workflow.view_bookingrequest",
        "cms.view_servicestandard",
        "cms.view_assessmenttype",
        "cms.view_reportform",
    ],
    ASSESSORS: ["workflow.assess"],
    DELIVERY_TEAM_MEMBERS: ["workflow.respond_for_service"],
}

# Page permissions on the whole site tree, for the team that edits guidance and the reports section.
GROUP_PAGE_PERMISSIONS: dict[str, list[str]] = {
    SERVICE_ASSESSMENT_TEAM: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
GROUP_COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    SERVICE_ASSESSMENT_TEAM: [
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_groups() -> None:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    for name, permissions in GROUP_MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        # Exactly these: a permission the code no longer gives is taken away on the next migrate too.
        group.permissions.set([_permission(dotted) for dotted in permissions])

    site_tree = Page.get_first_root_node()
    if site_tree is not None:
        for name, codenames in GROUP_PAGE_PERMISSIONS.items():
            group = Group.objects.get(name=name)
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=site_tree, permission=_permission(f"wagtailcore.{codename}")
                )

    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for name, permissions in GROUP_COLLECTION_PERMISSIONS.items():
            group = Group.objects.get(name=name)
            for dotted in permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(dotted)
                )


def ensure_groups_after_migrate(sender, using="default", **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # Django makes each app's permissions in that app's own post_migrate turn, and some of ours (wagtail,
    # auth) come after this app's turn: make them all now so the groups can be given them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_groups()
