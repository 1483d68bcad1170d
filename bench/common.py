"""What the benchmarks share: a database, a container, a tenant with the 珠晖 rubric."""

from __future__ import annotations

import os
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

from adapters.bootstrap import build_container
from adapters.container import Container
from adapters.embedded import start_embedded
from adapters.settings import Settings
from domain.assessment import Aggregation, RankingGroup
from domain.cause import Cause
from services.setup import ComponentSpec, SetupSpec
from tenants.templates import rubric_template

TOKEN = "kp_bench_operator_token"


def bench_container() -> tuple[Container, str, Path]:
    """KAOPING_DATABASE_URL if set, else an embedded PostgreSQL in a temporary folder."""
    tmp = Path(tempfile.mkdtemp(prefix="kaoping-bench-"))
    url = os.environ.get("KAOPING_DATABASE_URL") or start_embedded(tmp)
    settings = Settings.from_env({"KAOPING_DATA_DIR": str(tmp), "KAOPING_POOL_MAX": "10"})
    return build_container(settings, url, TOKEN), url, tmp


def bench_tenant(container: Container, prefix: str) -> tuple[str, Cause, SetupSpec]:
    """A new tenant with the 珠晖 rubric published, and an assessment set-up using it."""
    slug = f"{prefix}_{uuid.uuid4().hex[:8]}"
    created = container.platform.create_tenant(slug, "基准测试区",
                                               Cause("operator", "operator", "bench"))
    admin = Cause(str(created.admin_id), "admin", "bench")
    app = container.app(slug)
    name, step, indicators = rubric_template()
    rubric = app.draft_rubric(name, step, indicators, admin)
    app.publish_rubric(rubric.id, admin)
    spec = SetupSpec("基准", (ComponentSpec("routine", "常态化", rubric.id, 1, Decimal(100)),),
                     Aggregation("trimmed_mean"), 1, (), (RankingGroup("g", "组"),))
    return slug, admin, spec
