from .letters import (
    LETTER_EVENTS_CHAIN,
    TRANSITIONS,
    Action,
    LetterEvent,
    LetterSignature,
    ResponsibilityLetter,
    body_hash,
)
from .reminders import ReminderLog
from .records import Assignment, CommitteeMeeting, Inspection, MonthlyTask, Talk, TrendAnalysis, WorkDocument

__all__ = [
    "TRANSITIONS",
    "Action",
    "Assignment",
    "CommitteeMeeting",
    "Inspection",
    "LETTER_EVENTS_CHAIN",
    "LetterEvent",
    "LetterSignature",
    "MonthlyTask",
    "ReminderLog",
    "ResponsibilityLetter",
    "Talk",
    "TrendAnalysis",
    "WorkDocument",
    "body_hash",
]
