"""Rebuilding a long-lived assessment with and without snapshots, measured in one run.

    .venv/bin/python bench/snapshots.py [--events 1000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

from adapters.bootstrap import build_container
from adapters.embedded import start_embedded
from adapters.postgres.eventstore import tenant_factory
from adapters.postgres.mapper import MsgspecMapper
from adapters.postgres.versions import schema_of
from adapters.settings import Settings
from domain.assessment import Aggregation, RankingGroup
from domain.cause import Cause
from services.application import TenantApplication
from services.setup import ComponentSpec, SetupSpec
from tenants.templates import rubric_template


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
    tmp = Path(tempfile.mkdtemp(prefix="kaoping-bench-"))
    url = os.environ.get("KAOPING_DATABASE_URL") or start_embedded(tmp)
    container = build_container(Settings.from_env({"KAOPING_DATA_DIR": str(tmp)}), url, "kp_b")
    slug = f"snap_{uuid.uuid4().hex[:8]}"
    created = container.platform.create_tenant(slug, "基准", Cause("operator", "operator", "b"))
    admin = Cause(str(created.admin_id), "admin", "bench")
    app = container.app(slug)
    name, step, indicators = rubric_template()
    rubric = app.draft_rubric(name, step, indicators, admin)
    app.publish_rubric(rubric.id, admin)
    spec = SetupSpec("基准", (ComponentSpec("r", "常态化", rubric.id, 1, Decimal(100)),),
                     Aggregation(), 1, (), (RankingGroup("g", "组"),))
    assessment = app.create_assessment(spec, admin).id
    for i in range(37):
        school = app.register_school(f"学校{i}", "g", "小学", None, False, admin)
        app.add_subject(assessment, "school", school.id, "g", admin)
    while app.assessment(assessment).version < args.events:
        app.draw(assessment, "seed", admin)  # each draw is an event with 37 ids
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
