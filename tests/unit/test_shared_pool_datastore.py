"""What we rely on when we hand the library's datastore our pool: a patch release of
eventsourcing that sets a new attribute fails here, not in production."""

from __future__ import annotations

from eventsourcing.postgres import PostgresDatastore
from psycopg_pool import ConnectionPool

from adapters.postgres.eventstore import SharedPoolDatastore


def test_the_shared_datastore_has_every_attribute_the_library_sets() -> None:
    ours_pool: ConnectionPool = ConnectionPool("", open=False)
    library = PostgresDatastore(dbname="", host="", port=0, user="", password="")
    ours = SharedPoolDatastore(ours_pool, "t_x", "kp_x")
    missing = set(vars(library)) - set(vars(ours))
    assert not missing
    assert ours.pool is ours_pool
    assert (ours.schema, ours.role) == ("t_x", "kp_x")

