"""The auditor finds a revision in the timeline and slides the board back to before it; the
admin watches the round on a phone and is told, by name, which cards keep it from closing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.flow import Round, create_tenant
from tests.browser.conftest import PHONE, screenshot
from tests.web_session import sign_in_browser

FULL = {"1.1": 6, "1.2": 4, "2.1": 10}


@pytest.fixture
def rnd(client, new_slug) -> Round:
    made = Round(create_tenant(client, new_slug(), "青山湖区教研室"), judges=3)
    judge = made.judges[0][1]
    card = made.card(made.subjects[0])
    made.score(0, made.subjects[0], FULL)
    judge.post(card + "/reopen", {"reason": "复核材料后更正集体备课"}, expect=200)
    judge.put(card, {"scores": {"2.1": 5}})
    judge.post(card + "/submit", expect=200)
    made.score(1, made.subjects[0], {"1.1": 5, "1.2": 4, "2.1": 9})
    made.judges[2][1].post(f"/assessments/{made.id}/recusals",
                           {"subject_id": made.subjects[1], "reason": "曾任该校副校长"})
    return made


def auditor(rnd: Round) -> tuple[str, str]:
    made = rnd.admin.post("/users", {"name": "监察室王老师", "role": "auditor"})
    return made["id"], made["token"]


def test_the_auditor_sees_the_revision_and_the_board_before_it(live_server, desktop: Any,
                                                                rnd: Round) -> None:
    sign_in_browser(desktop, live_server, rnd.admin, *auditor(rnd))
    base = f"{live_server}/t/{rnd.admin.slug}/audit/{rnd.id}"
    desktop.goto(base)
    timeline = desktop.locator("#timeline")
    assert "复核材料后更正集体备课" in timeline.inner_text()
    assert desktop.locator(".entry.recusal").count() == 1
    desktop.select_option("select[name=type]", "Reopened")  # htmx swaps the list in place
    desktop.wait_for_url("**type=Reopened**")
    entries = desktop.locator("#timeline .entry")
    entries.first.wait_for()
    assert entries.count() == 1 and "复核材料后更正集体备课" in entries.first.inner_text()
    desktop.select_option("select[name=type]", "")
    desktop.wait_for_url(lambda url: "type=Reopened" not in url)
    desktop.locator(".entry.recusal").wait_for()
    screenshot(desktop, "audit-timeline-desktop")

    history = rnd.admin.get(f"/assessments/{rnd.id}/history", limit=1000)["events"]
    first_submit = next(i for i, e in enumerate(history) if e["type"] == "Submitted") + 1
    desktop.goto(base + "/board")
    row = desktop.locator(f'tr[data-subject="{rnd.subjects[0]}"] .final-then-now')
    now = row.inner_text().split("→")[1].strip()
    assert row.inner_text().split("→")[0].strip() == now  # at the latest change: no change
    desktop.locator("#at").fill(str(first_submit))  # slide back to 评委1's first submission
    desktop.wait_for_function(
        "(s) => document.querySelector(s).innerText.startsWith('100 →')",
        arg=f'tr[data-subject="{rnd.subjects[0]}"] .final-then-now')
    assert row.inner_text().split("→")[1].strip() == now
    assert desktop.locator("#asof-label").inner_text().startswith(f"第 {first_submit} /")
    screenshot(desktop, "audit-board-asof")


def test_the_admin_watches_the_round_on_a_phone_and_close_names_the_missing_cards(
        live_server, phone: Any, rnd: Round) -> None:
    admin_id = rnd.admin.get("/users", role="admin")[0]["id"]
    sign_in_browser(phone, live_server, rnd.admin, admin_id, rnd.admin.token)
    phone.goto(f"{live_server}/t/{rnd.admin.slug}/admin/round/{rnd.id}")
    progress = phone.locator("#progress")
    assert "已提交 2 / 5" in progress.inner_text()  # 3 judges × 2 schools, one 回避
    assert "评委3" in progress.locator(".owed").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "round-live-phone")
    # What the admin sees while the server works: the form's navigation is cancelled by a
    # listener that runs after busy.js (registered later), so nothing waits on the server.
    said, disabled, prevented = phone.evaluate("""() => {
        const form = document.querySelector('form[action$="/close"]');
        const seen = [];
        const hold = e => { seen.push(e.defaultPrevented); e.preventDefault(); };
        document.addEventListener('submit', hold);
        form.querySelector('button').click();
        form.querySelector('button').click();  // a second press while it works
        document.removeEventListener('submit', hold);
        return [form.querySelector('.busy-status').textContent,
                form.querySelector('button').getAttribute('aria-disabled'), seen];
    }""")
    assert said == "正在截止评分，请稍候…" and disabled == "true"
    assert prevented == [False, True]  # the first press is sent, the second is not
    phone.reload()
    phone.get_by_role("button", name="截止评分").click()
    refusal = phone.get_by_role("alert")
    refusal.wait_for()
    assert "评委3 — 南钢学校" in refusal.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
