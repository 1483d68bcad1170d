"""PostgreSQL infrastructure: the shared pool, per-tenant event stores, views, projector."""
