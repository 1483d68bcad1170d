"""`kaoping audit verify --file EXPORT --results SHEET.json`: the 公示 sheet recomputed from an
export of the log alone, row by row, and its chain head checked."""

from __future__ import annotations

import json

from tests.api.flow import create_tenant
from tests.api.test_published_sheet import PublishedRound
from tests.integration.test_cli import cli  # noqa: F401 — the fixture


def test_a_sheet_is_recomputed_from_an_export_and_a_doctored_one_is_named(
    cli, client, new_slug, tmp_path  # noqa: F811
) -> None:
    admin = create_tenant(client, new_slug())
    r = PublishedRound(admin)
    exported, saved = tmp_path / "log.jsonl", tmp_path / "sheet.json"
    assert cli("export", "--tenant", admin.slug, "--out", str(exported))[0] == 0
    sheet = r.results()
    saved.write_text(json.dumps(sheet, ensure_ascii=False), encoding="utf-8")

    code, out = cli("audit", "verify", "--file", str(exported), "--results", str(saved))
    assert code == 0 and "OK 一致: the sheet" in out and "2 subjects" in out

    doctored = json.loads(json.dumps(sheet))
    row = next(x for x in doctored["rows"] if x["name"] == "南钢学校")
    row["final"] = 78.24
    saved.write_text(json.dumps(doctored, ensure_ascii=False), encoding="utf-8")
    code, out = cli("audit", "verify", "--file", str(exported), "--results", str(saved))
    assert code == 1 and "MISMATCH 不一致" in out
    assert f"南钢学校 ({r.subjects['南钢学校']}) final: the log gives 78.23, the sheet " \
           "shows 78.24" in out
    assert "京东学校" not in out

    doctored = json.loads(json.dumps(sheet))
    doctored["chain"]["hash"] = "0" * 64
    saved.write_text(json.dumps(doctored), encoding="utf-8")
    code, out = cli("audit", "verify", "--file", str(exported), "--results", str(saved))
    assert code == 1 and f"chain: the hash at position {sheet['chain']['position']}" in out


def test_a_sheet_naming_another_position_is_not_the_published_one(
    cli, client, new_slug, tmp_path  # noqa: F811
) -> None:
    admin = create_tenant(client, new_slug())
    r = PublishedRound(admin)
    exported, saved = tmp_path / "log.jsonl", tmp_path / "sheet.json"
    assert cli("export", "--tenant", admin.slug, "--out", str(exported))[0] == 0
    sheet = r.results()
    # An earlier, genuine link of the chain: the board then had only the first card.
    earlier = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()
               if '"position"' in line and '"head"' not in line][-8]
    sheet["chain"] = {"position": earlier["position"], "hash": earlier["hash"]}
    saved.write_text(json.dumps(sheet), encoding="utf-8")
    code, out = cli("audit", "verify", "--file", str(exported), "--results", str(saved))
    assert code == 1 and "the log published this assessment at position" in out
    assert cli("audit", "verify", "--tenant", admin.slug, "--results", str(saved))[0] != 0


def test_replay_prints_the_figure_the_board_shows(cli, client, new_slug) -> None:  # noqa: F811
    admin = create_tenant(client, new_slug())
    r = PublishedRound(admin)  # 南钢学校: exactly 78.225, which :.2f printed as 78.22
    code, out = cli("replay", "--tenant", admin.slug, "--assessment", r.id)
    lines = {line.split("\t")[4]: line.split("\t") for line in out.splitlines()
             if line.count("\t") >= 5}
    assert code == 0
    assert lines["南钢学校"][1:4] == ["2", "78.23", "良好"]
    assert lines["京东学校"][1:4] == ["1", "89.40", "良好"]
