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
