from .assessments import Assessment, DeliveryTeamMember, Department, PanelMember, Service
from .choices import DeliveryTeamRole, PanelRole, Phase, Rating, ReportActionStatus, ReportStatus
from .reports import PointRating, ReportAction, ReportPage

__all__ = [
    "Assessment",
    "DeliveryTeamMember",
    "DeliveryTeamRole",
    "Department",
    "PanelMember",
    "PanelRole",
    "Phase",
    "PointRating",
    "Rating",
    "ReportAction",
    "ReportActionStatus",
    "ReportPage",
    "ReportStatus",
    "Service",
]
