from .letters import LetterEvent, LetterSignature, ResponsibilityLetter
from .reminders import ReminderLog
from .records import Assignment, CommitteeMeeting, Inspection, MonthlyTask, Talk, TrendAnalysis, WorkDocument

__all__ = [
    "Assignment",
    "CommitteeMeeting",
    "Inspection",
    "LetterEvent",
    "LetterSignature",
    "MonthlyTask",
    "ReminderLog",
    "ResponsibilityLetter",
    "Talk",
    "TrendAnalysis",
    "WorkDocument",
]
