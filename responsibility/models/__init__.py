from .letters import (
    ALTERED_STATE,
    LETTER_DOCUMENT_KIND,
    LETTER_EVENTS_CHAIN,
    TRANSITIONS,
    Action,
    LetterDocument,
    LetterEvent,
    LetterSignature,
    ResponsibilityLetter,
    body_hash,
    document_state,
)
from .reminders import ReminderLog
from .records import Assignment, CommitteeMeeting, Inspection, MonthlyTask, Talk, TrendAnalysis, WorkDocument

__all__ = [
    "ALTERED_STATE",
    "TRANSITIONS",
    "Action",
    "Assignment",
    "CommitteeMeeting",
    "Inspection",
    "LETTER_DOCUMENT_KIND",
    "LETTER_EVENTS_CHAIN",
    "LetterDocument",
    "LetterEvent",
    "LetterSignature",
    "MonthlyTask",
    "ReminderLog",
    "ResponsibilityLetter",
    "Talk",
    "TrendAnalysis",
    "WorkDocument",
    "body_hash",
    "document_state",
]
