"""Rebuilding a long-lived assessment with and without snapshots, measured in one run.

    .venv/bin/python bench/snapshots.py [--events 1000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import time
import uuid

from common import bench_container, bench_tenant  # bench/ is the script's folder

from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.versions import schema_of
from services.application import TenantApplication


def timed_load(app: TenantApplication, aggregate_id: uuid.UUID, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        app.repository.get(aggregate_id)
    return (time.perf_counter() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    container, _, _ = bench_container()
    slug, admin, spec = bench_tenant(container, "snap")
    app = container.app(slug)
    assessment = app.create_assessment(spec, admin).id
    for i in range(37):
        school = app.register_school(f"学校{i}", "g", "小学", None, False, admin)
        app.add_subject(assessment, "school", school.id, "g", admin)
    while app.assessment(assessment).version < args.events:
        app.draw(assessment, "seed", admin.because("bench"))  # an event with 37 ids each
    events = app.assessment(assessment).version
    schema = schema_of(slug)
    role = container.roles.name(slug)
    plain = TenantApplication(tenant_factory(container.pool, schema, role=role,
                                             create_tables=False, cache=False), MsgspecMapper())
    snapped = TenantApplication(tenant_factory(container.pool, schema, role=role,
                                               create_tables=False, snapshotting=True,
                                               cache=False), MsgspecMapper())
    without = timed_load(plain, assessment, args.repeat)
    with_snapshot = timed_load(snapped, assessment, args.repeat)
    container.close()
    print(f"assessment with {events} events (37 subjects, snapshot every 100)")
    print(f"rebuild from all events:    {without * 1000:8.2f} ms")
    print(f"rebuild from a snapshot:    {with_snapshot * 1000:8.2f} ms")
    print(f"ratio (all events / snapshot): {without / with_snapshot:5.1f}×")


if __name__ == "__main__":
    main()
