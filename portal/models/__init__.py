from .attachment import Attachment
from .base import LiveManager, Record
from .chain import ChainHead, ChainLink
from .jobs import ImportJob
from .notification import Notification
from .organisation import Branch, Committee, Department, Person, Role
from .seal import IssuedDocument, SealCertificate, SealEvent

__all__ = [
    "Attachment",
    "Branch",
    "ChainHead",
    "ChainLink",
    "Committee",
    "Department",
    "ImportJob",
    "IssuedDocument",
    "LiveManager",
    "Notification",
    "Person",
    "Record",
    "Role",
    "SealCertificate",
    "SealEvent",
]
