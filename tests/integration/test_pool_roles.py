"""A pooled connection remembers the tenant role it acts as (ADR 0008); whoever takes it next
still acts as exactly who they are. One connection in the pool, so every checkout is it."""

import psycopg
import pytest
from psycopg.sql import SQL, Identifier

from adapters.postgres.pool import make_pool
from adapters.postgres.versions import schema_of


def current_user(conn) -> str:
    return conn.execute("SELECT current_user AS u").fetchone()["u"]


def test_one_connection_acts_as_each_tenant_in_turn_and_as_the_server_between(
        container, database_url, make_tenant) -> None:
    a, b = make_tenant("甲区"), make_tenant("乙区")
    role_a, role_b = container.roles.name(a.slug), container.roles.name(b.slug)
    pool = make_pool(database_url, max_size=1)
    try:
        with pool.acting_as(role_a) as conn:
            first = conn
            assert current_user(conn) == role_a
        with pool.acting_as(role_a) as conn:  # kept, not set again
            assert conn is first and current_user(conn) == role_a
        with pool.acting_as(role_b) as conn:
            assert conn is first and current_user(conn) == role_b
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(SQL("SELECT * FROM {}.kaoping_events").format(
                    Identifier(schema_of(a.slug))))
        with pool.connection() as conn:  # the server's own work: never as a tenant
            assert conn is first
            assert conn.execute("SELECT current_user = session_user AS s").fetchone()["s"]
        with pool.acting_as(role_a) as conn:
            assert current_user(conn) == role_a
    finally:
        pool.close()


def test_a_role_that_cannot_be_taken_leaves_no_connection_acting_as_another(
        container, database_url, make_tenant) -> None:
    a = make_tenant("甲区")
    pool = make_pool(database_url, max_size=1)
    try:
        with pool.acting_as(container.roles.name(a.slug)):
            pass
        with pytest.raises(psycopg.errors.InvalidParameterValue), \
                pool.acting_as("kp_no_such_role"):
            pass
        with pool.connection() as conn:
            assert conn.execute("SELECT current_user = session_user AS s").fetchone()["s"]
    finally:
        pool.close()


def test_the_event_stores_reads_and_writes_act_as_the_tenants_role(container, tenant) -> None:
    datastore = tenant.app.recorder.datastore
    with datastore.get_connection() as conn:  # what repository.get and insert_events use
        assert current_user(conn) == container.roles.name(tenant.slug)
