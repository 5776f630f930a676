from .action_updates import ActionUpdate, ActionUpdateKind
from .assessments import Assessment, DeliveryTeamMember, Department, PanelMember, Service
from .booking import BookingRequest, BookingStatus
from .challenges import ChallengeMeeting, ChallengeOutcome
from .choices import DeliveryTeamRole, PanelRole, Phase, Rating, ReportActionStatus, ReportStatus
from .clarifications import Clarification
from .comments import ReportComment
from .content import PolicyFigures, ReportFormHelpTexts
from .corrections import ReportCorrection
from .feedback import FeedbackFormField, FeedbackInvitation, FeedbackSubmission, FeedbackSurveyPage
from .follow_ups import FollowUpRequest, FollowUpStatus, FollowUpSupport
from .history import ReportStatusChange
from .people import RoleChange
from .reports import PointRating, ReportAction, ReportPage

__all__ = [
    "ActionUpdate",
    "ActionUpdateKind",
    "Assessment",
    "BookingRequest",
    "BookingStatus",
    "ChallengeMeeting",
    "ChallengeOutcome",
    "Clarification",
    "DeliveryTeamMember",
    "DeliveryTeamRole",
    "Department",
    "FeedbackFormField",
    "FeedbackInvitation",
    "FeedbackSubmission",
    "FeedbackSurveyPage",
    "FollowUpRequest",
    "FollowUpStatus",
    "FollowUpSupport",
    "PanelMember",
    "PanelRole",
    "Phase",
    "PolicyFigures",
    "PointRating",
    "Rating",
    "ReportAction",
    "ReportComment",
    "ReportCorrection",
    "ReportActionStatus",
    "ReportPage",
    "ReportFormHelpTexts",
    "ReportStatus",
    "ReportStatusChange",
    "RoleChange",
    "Service",
]
