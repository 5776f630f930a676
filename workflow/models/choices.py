"""The fixed vocabularies of the domain, kept apart from the models so that rules (permissions,
deadlines) can use them without importing models."""

from django.db import models


class Phase(models.TextChoices):
    DISCOVERY = "discovery", "Discovery"
    ALPHA = "alpha", "Alpha"
    PRIVATE_BETA = "private_beta", "Private beta"
    PUBLIC_BETA = "public_beta", "Public beta"
    LIVE = "live", "Live"


class PanelRole(models.TextChoices):
    LEAD = "lead", "Lead assessor"
    USER_RESEARCH = "user_research", "User research assessor"
    DESIGN = "design", "Design assessor"
    TECHNICAL = "technical", "Technical assessor"
    OBSERVER = "observer", "Observer"


class DeliveryTeamRole(models.TextChoices):
    PRODUCT_MANAGER = "product_manager", "Product manager"
    DELIVERY_MANAGER = "delivery_manager", "Delivery manager"
    SRO = "sro", "Senior responsible owner"
    MEMBER = "member", "Team member"

    @classmethod
    def responders(cls) -> list[str]:
        """The roles that may accept or challenge a report."""
        return [cls.PRODUCT_MANAGER, cls.DELIVERY_MANAGER]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted, awaiting check"
    CHECKED = "checked", "Checked"
    SHARED = "shared", "Shared with the team"
    ACCEPTED = "accepted", "Accepted"
    CHALLENGED = "challenged", "Challenged"
    PUBLISHED = "published", "Published"
    # Taken down by the service assessment team after publishing: its page stays at its address with the reason.
    WITHDRAWN = "withdrawn", "Withdrawn"

    # The groups of statuses the rules talk about, each named once.

    @classmethod
    def editable_by_panel(cls) -> list[str]:
        """The panel edits a draft; during a challenge it makes the changes agreed with the team."""
        return [cls.DRAFT, cls.CHALLENGED]

    @classmethod
    def not_yet_shared(cls) -> list[str]:
        """Before the delivery team has it: the share-by deadline runs."""
        return [cls.DRAFT, cls.SUBMITTED, cls.CHECKED]

    @classmethod
    def awaiting_assessment_team(cls) -> list[str]:
        """Submitted by the panel, for the service assessment team to check and share, or return to the panel."""
        return [cls.SUBMITTED, cls.CHECKED]

    @classmethod
    def on_assessment_team_worklist(cls) -> list[str]:
        """From submission until the delivery team accepts: the team checks, shares, then waits on the response
        or the challenge."""
        return [cls.SUBMITTED, cls.CHECKED, cls.SHARED, cls.CHALLENGED]

    @classmethod
    def seen_by_delivery_team(cls) -> list[str]:
        """Shared with the delivery team, and everything after."""
        return [cls.SHARED, cls.CHALLENGED, cls.ACCEPTED, cls.PUBLISHED, cls.WITHDRAWN]

    @classmethod
    def accepted_by_delivery_team(cls) -> list[str]:
        """Accepted, published or not yet: the report's actions are the team's to do. Withdrawing takes the public
        page down, not the acceptance: the actions still stand."""
        return [cls.ACCEPTED, cls.PUBLISHED, cls.WITHDRAWN]

    @classmethod
    def served_at_its_address(cls) -> list[str]:
        """The public page answers: published, or withdrawn (with the notice saying so) so that links still work."""
        return [cls.PUBLISHED, cls.WITHDRAWN]

    @property
    def why_panel_cannot_edit(self) -> str:
        """In words for a panel member, why the report cannot be changed in this status."""
        return _PANEL_CANNOT_EDIT_BECAUSE.get(self, "The panel cannot change the report now.")


# A dict in the class body would be taken for a member.
_PANEL_CANNOT_EDIT_BECAUSE = {
    ReportStatus.SUBMITTED: "The report has been submitted to the service assessment team, so the panel can no "
    "longer change it. If something needs to change, ask the service assessment team to return it to the panel.",
    ReportStatus.CHECKED: "The service assessment team has checked the report, so the panel can no longer change it.",
    ReportStatus.SHARED: "The report has been shared with the delivery team, so the panel can no longer change it.",
    ReportStatus.ACCEPTED: "The delivery team has accepted the report, so it can no longer be changed.",
    ReportStatus.PUBLISHED: "The report has been accepted and published, so it can no longer be changed.",
    ReportStatus.WITHDRAWN: "The report has been withdrawn, so it can no longer be changed.",
}


class Rating(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"

    @classmethod
    def needing_actions(cls) -> list[str]:
        return [cls.AMBER, cls.RED]

    @classmethod
    def overall(cls, ratings) -> "Rating | None":
        """The rule the lead assessor starts from: any red gives red, else any amber gives amber, else green."""
        given = {rating for rating in ratings if rating}
        if not given:
            return None
        for rating in (cls.RED, cls.AMBER):
            if rating in given:
                return rating
        return cls.GREEN


class ReportActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
