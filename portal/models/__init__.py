from .base import LiveManager, Record
from .organisation import Branch, Committee, Department, Person, Role

__all__ = ["Branch", "Committee", "Department", "LiveManager", "Person", "Record", "Role"]
