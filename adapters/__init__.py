"""The edges: HTTP, PostgreSQL, the embedded server, CLI, logging and the composition root."""
