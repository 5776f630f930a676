from .assessments import Assessment, DeliveryTeamMember, Department, PanelMember, Service
from .choices import DeliveryTeamRole, PanelRole, Phase, Rating, ReportActionStatus, ReportStatus
from .history import ReportStatusChange
from .outbox import NotifyTemplates, OutboxEmail, OutboxStatus
from .reports import PointRating, ReportAction, ReportPage

__all__ = [
    "Assessment",
    "DeliveryTeamMember",
    "DeliveryTeamRole",
    "Department",
    "NotifyTemplates",
    "OutboxEmail",
    "OutboxStatus",
    "PanelMember",
    "PanelRole",
    "Phase",
    "PointRating",
    "Rating",
    "ReportAction",
    "ReportActionStatus",
    "ReportPage",
    "ReportStatus",
    "ReportStatusChange",
    "Service",
]
