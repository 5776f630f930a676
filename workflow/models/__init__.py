from .assessments import Assessment, DeliveryTeamMember, Department, PanelMember, Service
from .booking import BookingRequest, BookingStatus
from .choices import DeliveryTeamRole, PanelRole, Phase, Rating, ReportActionStatus, ReportStatus
from .clarifications import Clarification
from .comments import ReportComment
from .content import PolicyFigures, ReportFormHelpTexts
from .feedback import FeedbackFormField, FeedbackInvitation, FeedbackSubmission, FeedbackSurveyPage
from .history import ReportStatusChange
from .people import RoleChange
from .reports import PointRating, ReportAction, ReportPage

__all__ = [
    "Assessment",
    "BookingRequest",
    "BookingStatus",
    "Clarification",
    "DeliveryTeamMember",
    "DeliveryTeamRole",
    "Department",
    "FeedbackFormField",
    "FeedbackInvitation",
    "FeedbackSubmission",
    "FeedbackSurveyPage",
    "PanelMember",
    "PanelRole",
    "Phase",
    "PolicyFigures",
    "PointRating",
    "Rating",
    "ReportAction",
    "ReportComment",
    "ReportActionStatus",
    "ReportPage",
    "ReportFormHelpTexts",
    "ReportStatus",
    "ReportStatusChange",
    "RoleChange",
    "Service",
]
