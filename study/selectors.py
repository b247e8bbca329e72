"""Reads of the study app, scoped to the actor or to one committee and year."""
