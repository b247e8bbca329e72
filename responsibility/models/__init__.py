from .letters import LetterEvent, LetterSignature, ResponsibilityLetter
from .records import Assignment, CommitteeMeeting, Inspection, MonthlyTask, Talk, TrendAnalysis, WorkDocument

__all__ = [
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
]
