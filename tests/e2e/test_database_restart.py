"""PostgreSQL restarted while judges are submitting: requests fail fast with 503 and
Retry-After, the server recovers by itself, and no acknowledged write is lost."""

from __future__ import annotations

import time

import pgserver
import pytest
from litestar.testing import TestClient

from adapters.bootstrap import build_container
from adapters.http.app import create_app
from adapters.settings import Settings
from tests.api.flow import Round, create_tenant
from tests.conftest import OPERATOR_TOKEN

pytestmark = pytest.mark.e2e


def test_a_database_restart_costs_no_acknowledged_write(private_dir) -> None:
    server = pgserver.get_server(private_dir / "pg", cleanup_mode="stop")
    settings = Settings.from_env({"KAOPING_DATA_DIR": str(private_dir),
                                  "KAOPING_POOL_MAX": "4"})
    container = build_container(settings, server.get_uri(), OPERATOR_TOKEN)
    container.projector.start()
    try:
        with TestClient(create_app(container)) as client:
            rnd = Round(create_tenant(client, "restart", "重启测试区"), judges=2)
            judge = rnd.judges[0][1]
            acknowledged = judge.put(rnd.card(rnd.subjects[0]),
                                     {"scores": {"1.1": 6, "1.2": 4, "2.1": 10}})
            judge.post(rnd.card(rnd.subjects[0]) + "/submit", expect=200)

            pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata,
                            user=server.system_user)
            started = time.monotonic()
            refused = client.put(judge.url(rnd.card(rnd.subjects[1])),
                                 json={"scores": {"1.1": 5}},
                                 headers={"Authorization": f"Bearer {judge.token}"})
            assert refused.status_code == 503, refused.text
            assert refused.headers["retry-after"] and time.monotonic() - started < 5
            assert refused.headers["content-type"].startswith("application/problem+json")

            server.ensure_postgres_running()
            deadline = time.monotonic() + 30
            while True:  # a client retrying as Retry-After says
                r = client.put(judge.url(rnd.card(rnd.subjects[1])),
                               json={"scores": {"1.1": 5}},
                               headers={"Authorization": f"Bearer {judge.token}"})
                if r.status_code == 200:
                    break
                assert r.status_code == 503 and time.monotonic() < deadline, r.text
            card = judge.get(rnd.card(rnd.subjects[0]))
            assert card["submitted"] and card["total"] == 20.0
            assert card["version"] == acknowledged["version"] + 1
            history = rnd.admin.get(f"/assessments/{rnd.id}/history", type="ScoresRecorded")
            assert len(history["events"]) == 2  # the refused write left nothing behind
    finally:
        container.close()
        server.cleanup()
