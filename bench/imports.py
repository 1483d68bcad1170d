"""表格导入 of 5,000 schools (issue 14: the dry run must report in under 5 s), beside a
baseline measured in the same run: openpyxl alone reading the same sheet (read-only mode, every
value), which is the floor any .xlsx import sits on.

Times, over HTTP in-process (litestar's TestClient: body checks, guard, handler, PostgreSQL):
  (1) the baseline: openpyxl parsing the sheet (and python-calamine, which imports use);
  (2) the dry run of the 5,000 rows into an empty tenant;
  (3) its commit (10,000 events: a school and its name claim per row, one transaction);
  (4) a dry run of the same sheet again, now that every name is taken (5,000 rows in error:
      the worst case, every row loads the record holding its name).

    .venv/bin/python bench/imports.py [--rows 5000] [--server postgresql://…]

``--server``: a fresh database is made on that server and dropped afterwards; otherwise
KAOPING_DATABASE_URL (give it a fresh database), otherwise an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import io
import platform
import time
import uuid
from contextlib import ExitStack
from typing import Any

from common import TOKEN, bench_container, fresh_database  # bench/ is the script's folder
from litestar.testing import TestClient
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from adapters.http.app import create_app

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GROUPS = ("一贯制学校组", "一类小学组", "二类小学组")
STAGES = ("小学", "初中", "高中", "学前")


def schools_sheet(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("学校")
    sheet.append(["学校名称", "分组", "学段", "片区", "外部合作校"])
    for i in range(rows):
        sheet.append([f"第{i + 1}学校", GROUPS[i % 3], STAGES[i % 4], f"第{i % 4 + 1}片区",
                      "是" if i % 50 == 0 else "否"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def openpyxl_alone(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) if any(row))
    book.close()
    return count


def calamine_alone(data: bytes) -> int:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return sum(1 for row in book.get_sheet_by_index(0).to_python() if any(row))


def timed(what: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = what()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--server", default=None)
    args = parser.parse_args()
    data = schools_sheet(args.rows)
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database(args.server)) if args.server else None
        container, _, _ = bench_container(url)
        stack.callback(container.close)
        client = stack.enter_context(TestClient(create_app(container)))
        slug = f"imp_{uuid.uuid4().hex[:8]}"
        made = client.post("/api/v1/tenants", json={"slug": slug, "name": "基准测试区"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
        assert made.status_code == 201, made.text
        admin = {"Authorization": f"Bearer {made.json()['admin_token']}", "content-type": XLSX}
        url_of = f"/api/v1/tenants/{slug}/imports"

        def dry_run() -> Any:
            r = client.post(f"{url_of}/schools", content=data, headers=admin)
            assert r.status_code == 201, r.text
            return r.json()

        baseline, parsed = timed(lambda: openpyxl_alone(data))
        calamine, _ = timed(lambda: calamine_alone(data))
        dry, report = timed(dry_run)
        assert report["rows"] == args.rows and not report["errors"], report["errors"][:3]

        def commit() -> Any:
            r = client.post(f"{url_of}/{report['id']}/commit", headers=admin)
            assert r.status_code == 200, r.text
            return r.json()

        committed, answer = timed(commit)
        again, second = timed(dry_run)
        assert len(second["errors"]) == args.rows
    print(f"python {platform.python_version()}, {args.rows} rows, "
          f"{len(data) / 1024:.0f} KiB .xlsx")
    print(f"(1) baseline: openpyxl alone parses the sheet      {baseline:6.2f} s "
          f"({parsed - 1} rows)")
    print(f"    python-calamine alone parses it (what imports use) {calamine:6.2f} s")
    print(f"(2) dry run over HTTP, empty tenant                {dry:6.2f} s "
          f"({dry / baseline:.1f}× the parse; target < 5 s: {'met' if dry < 5 else 'NOT met'})")
    print(f"(3) commit ({answer['written']} schools + their name claims, one transaction)"
          f" {committed:6.2f} s")
    print(f"(4) dry run again, every name taken (all rows in error) {again:6.2f} s")


if __name__ == "__main__":
    main()
