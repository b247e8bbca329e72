from .letters import TRANSITIONS, Action, LetterEvent, LetterSignature, ResponsibilityLetter, body_hash
from .records import Assignment, CommitteeMeeting, Inspection, MonthlyTask, Talk, TrendAnalysis, WorkDocument

__all__ = [
    "TRANSITIONS",
    "Action",
    "Assignment",
    "CommitteeMeeting",
    "Inspection",
    "LetterEvent",
    "LetterSignature",
    "MonthlyTask",
    "ResponsibilityLetter",
    "Talk",
    "TrendAnalysis",
    "WorkDocument",
    "body_hash",
]
