"""All tables; importing this package registers them on SQLModel.metadata."""
from store.models.base import Versioned, utcnow
from store.models.org import Court, Division, Team, User, RoleGrant, Channel
from store.models.case import Case, ExcludedPeriod, ExtensionRequest, ReassignmentRequest, AssignmentDraw, ProceduralEvent, PartyNotice
from store.models.task import Delegation, SupervisionLapse, Task
from store.models.trace import TraceEntry, TraceCheckpoint
from store.models.outbox import Notice, DeliveryAttempt
from store.models.policy import PolicyOverride, PolicyOverrideVersion, PolicyStamp
from store.models.invitation import Invitation
from store.models.panel import PanelMember
from store.models.node import CaseNode
from store.models.party import Party
from store.models.enforcement import EnforcementCheck
from store.models.dossier import DossierEntry
from store.models.quota_exit import ExitProceeding, ExitSubmission, ExitWindow, ExitDocument
from store.models.petition import Petition
from store.models.supervision import (FourTypeFlag, FourTypeRuleCheck, FourTypeProposal, Supervision, SupervisionMeasure, RequiredReport,
                                      MeetingReferral, MeetingOpinion, CommitteeReferral, CommitteeParticipant,
                                      DraftReview, DraftReviewAction)
from store.models.review import AppealOutcome, Review, ReviewDraw, SpecialReview
from store.models.assessment import (AssessmentRecord, Evaluation, LadderStep, LeaderCaseload, Report, ScoreItem,
                                     UnitResult, WeeklyCommitment, IndicatorAlert, ReportComment)
from store.models.login import LoginThrottle
from store.models.flows import FlowRun, RunLease
from store.models.notice_settings import NoticePreference
from store.models.integrity import InterferenceRecord, InterferenceReport, InterferenceSummary

__all__ = [
    "Versioned", "utcnow", "Court", "Division", "Team", "User", "RoleGrant", "Channel",
    "Case", "ExcludedPeriod", "ExtensionRequest", "ReassignmentRequest", "AssignmentDraw",
    "ProceduralEvent", "PartyNotice", "Task", "Delegation", "SupervisionLapse", "TraceEntry", "Notice", "DeliveryAttempt",
    "PolicyOverride", "PolicyOverrideVersion", "PolicyStamp", "Invitation",
    "PanelMember", "CaseNode", "Party", "EnforcementCheck", "DossierEntry", "Petition",
    "FourTypeFlag", "FourTypeRuleCheck", "FourTypeProposal", "Supervision", "SupervisionMeasure", "RequiredReport", "MeetingReferral",
    "MeetingOpinion", "CommitteeReferral", "CommitteeParticipant", "DraftReview", "DraftReviewAction",
    "AppealOutcome", "Review", "ReviewDraw", "SpecialReview",
    "ExitProceeding", "ExitSubmission", "ExitWindow", "ExitDocument",
    "AssessmentRecord", "LadderStep", "WeeklyCommitment", "Report", "Evaluation", "ScoreItem", "LeaderCaseload",
    "UnitResult",
    "IndicatorAlert",
    "ReportComment",
    "LoginThrottle",
    "TraceCheckpoint",
    "FlowRun", "RunLease",
    "NoticePreference",
    "InterferenceRecord", "InterferenceReport", "InterferenceSummary",
]
