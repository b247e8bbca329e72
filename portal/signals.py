"""Signals the ground floor sends so the apps above it can react without being imported."""

from django.dispatch import Signal

# Sent inside committee_set_parent's transaction with ``committee`` and ``parent``
# (None when detached): the assessment opens the new parent's running assessments
# for a committee that joins it.
parent_changed = Signal()
