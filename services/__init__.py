"""Use cases of one tenant: its eventsourcing Application, projections, history, replay."""
