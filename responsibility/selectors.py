"""Reads of the responsibility app, scoped to the actor or to one committee and year."""
