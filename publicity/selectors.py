"""Reads of the publicity app, scoped to the actor or to one committee and year."""
