"""The auditors' command line against a real tenant: verify, export, replay, history."""

import json
from pathlib import Path

import pytest
from psycopg.sql import SQL, Identifier

from adapters.cli import main
from adapters.export import verify_export
from tenants.tokens import token_hash
from tests.integration.scenario import scored_assessment


@pytest.fixture
def cli(database_url, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KAOPING_DATABASE_URL", database_url)
    monkeypatch.setenv("KAOPING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KAOPING_OPERATOR_TOKEN", "kp_cli_test")

    def run(*argv: str) -> tuple[int, str]:
        try:
            main(list(argv))
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        return code, capsys.readouterr().out

    return run


def test_audit_verify_reads_the_database_and_an_export(cli, tenant, tmp_path, container):
    scored_assessment(tenant)
    code, out = cli("audit", "verify", "--tenant", tenant.slug)
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["length"] > 20
    exported = tmp_path / "log.jsonl"
    assert cli("export", "--tenant", tenant.slug, "--out", str(exported))[0] == 0
    code, out = cli("audit", "verify", "--file", str(exported))
    assert code == 0 and json.loads(out)["head"] == report["head"]
    lines = exported.read_text(encoding="utf-8").splitlines()
    tampered = json.loads(lines[7])
    tampered["originator_version"] += 1
    lines[7] = json.dumps(tampered)
    exported.write_text("\n".join(lines), encoding="utf-8")
    code, out = cli("audit", "verify", "--file", str(exported))
    assert code == 1 and json.loads(out)["first_bad_position"] == tampered["position"]
    with container.pool.connection() as conn:
        conn.execute(SQL("DELETE FROM {}.event_log WHERE position = %s").format(
            Identifier(f"t_{tenant.slug}")), (tampered["position"],))
    code, out = cli("audit", "verify", "--tenant", tenant.slug)
    assert code == 1 and json.loads(out)["first_bad_position"] == tampered["position"]


def test_replay_and_history_print_the_board_and_every_change(cli, tenant) -> None:
    scenario = scored_assessment(tenant)
    code, out = cli("replay", "--tenant", tenant.slug, "--assessment",
                    str(scenario.assessment_id))
    lines = [line.split("\t") for line in out.splitlines() if not line.startswith("#")]
    assert code == 0 and sorted(line[4] for line in lines) == ["京东学校", "南钢学校"]
    assert all(line[2] == "95.00" and line[1] == "1" for line in lines)
    code, out = cli("replay", "--tenant", tenant.slug, "--assessment",
                    str(scenario.assessment_id), "--as-of", "2000-01-01T00:00:00+00:00")
    assert code == 0 and [line for line in out.splitlines() if not line.startswith("#")] == []
    code, out = cli("history", "--tenant", tenant.slug, "--assessment",
                    str(scenario.assessment_id), "--judge", str(scenario.judges[0]))
    assert code == 0
    assert sum("ScoresRecorded" in line for line in out.splitlines()) == 4
    assert "2.1: None → 10" in out
    assert cli("audit", "verify", "--tenant", "nobody")[0] != 0


def test_import_log_restores_an_export_into_a_new_tenant_with_the_same_chain(
        cli, new_slug, container) -> None:
    kept = Path(__file__).resolve().parents[1] / "fixtures" / "release_088d793" / "log.jsonl"
    slug = new_slug()
    code, out = cli("import-log", "--tenant", slug, "--file", str(kept), "--name", "珠晖区（恢复）")
    restored = json.loads(out)
    with kept.open(encoding="utf-8") as lines:
        exported = verify_export(lines)
    assert code == 0 and restored["events"] == exported.length == restored["views_at"]
    code, out = cli("audit", "verify", "--tenant", slug)
    assert code == 0 and json.loads(out)["head"] == restored["head"] == exported.head
    admin = container.catalogue.principal(token_hash(restored["admin_token"]))
    assert admin is not None and (admin.tenant, admin.role) == (slug, "admin")
    code, _ = cli("import-log", "--tenant", slug, "--file", str(kept))
    assert code == 1  # the slug is taken now: refused, nothing written
