"""Pages of the responsibility app: record CRUD, letters, the month and matrix pages."""
